//! `PARTITION BY` of `CREATE TABLE` and `ALTER TABLE t PARTITION BY ... | REMOVE PARTITIONING`, read over the
//! tokens (sqlparser does not read MySQL's partitioning) into what `information_schema.PARTITIONS` shows:
//! the server's printing of the expression (`` `a` + `b` * 2 ``, `` to_days(`d`) ``) and of each partition's
//! bound or values (`10`, `'1985-12-31'`, `NULL,3,1`, `(1,'a'),(2,'b')`). Sub-partitions, partition options
//! other than `ENGINE` and `COMMENT`, and `KEY ALGORITHM` are refused.

use driftless_model::mysql::{Partition, Partitioning};
use sqlparser::ast::{BinaryOperator, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, UnaryOperator, Value};
use sqlparser::dialect::MySqlDialect;
use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Token, TokenWithSpan};

/// What a statement says about a table's partitioning.
pub(super) enum Clause {
    PartitionBy(Partitioning),
    RemovePartitioning,
}

/// Splits a top-level `PARTITION BY ...` (or `REMOVE PARTITIONING`) off the end of a `CREATE TABLE` or
/// `ALTER TABLE` statement's tokens; the statement before it is returned for sqlparser.
pub(super) fn split_off(tokens: &mut Vec<TokenWithSpan>) -> Option<Vec<TokenWithSpan>> {
    let words: Vec<(usize, &Token)> = tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| !matches!(t.token, Token::Whitespace(_)))
        .map(|(i, t)| (i, &t.token))
        .collect();
    let is = |token: &Token, keyword: &str| matches!(token, Token::Word(w) if w.value.eq_ignore_ascii_case(keyword));
    let is_table_statement = matches!(words.as_slice(), [(_, first), (_, second), ..]
        if (is(first, "create") || is(first, "alter")) && is(second, "table"));
    if !is_table_statement {
        return None;
    }
    let mut depth = 0usize;
    for (position, (index, token)) in words.iter().enumerate() {
        match token {
            Token::LParen => depth += 1,
            Token::RParen => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            _ if is(token, "partition") && words.get(position + 1).is_some_and(|(_, next)| is(next, "by")) => {
                return Some(tokens.split_off(*index));
            }
            _ if is(token, "remove") && words.get(position + 1).is_some_and(|(_, next)| is(next, "partitioning")) => {
                return Some(tokens.split_off(*index));
            }
            _ => {}
        }
    }
    None
}

/// Reads the clause [`split_off`] returned. `column` gives a column's name as the table declares it (the
/// server prints names that way, whatever their case in the expression).
pub(super) fn parse(tokens: Vec<TokenWithSpan>, column: &dyn Fn(&str) -> Option<String>) -> Result<Clause, String> {
    let dialect = MySqlDialect {};
    let mut parser = Parser::new(&dialect).with_tokens_with_locations(tokens);
    let clause =
        read_clause(&mut parser, column).map_err(|error| error.to_string().replace("sql parser error: ", ""))?;
    let _ = parser.consume_token(&Token::SemiColon);
    match parser.peek_token().token {
        Token::EOF => Ok(clause),
        other => Err(format!("unexpected `{other}` after the partitioning")),
    }
}

fn word(parser: &mut Parser, expected: &str) -> bool {
    match &parser.peek_token().token {
        Token::Word(w) if w.value.eq_ignore_ascii_case(expected) => {
            parser.next_token();
            true
        }
        _ => false,
    }
}

fn expect_word(parser: &mut Parser, expected: &str) -> Result<(), ParserError> {
    if word(parser, expected) { Ok(()) } else { parser.expected(&expected.to_uppercase(), parser.peek_token()) }
}

fn unsupported(what: &str) -> ParserError {
    ParserError::ParserError(format!("{what} is not supported for MySQL partitioning yet"))
}

fn read_clause(parser: &mut Parser, column: &dyn Fn(&str) -> Option<String>) -> Result<Clause, ParserError> {
    if word(parser, "remove") {
        expect_word(parser, "partitioning")?;
        return Ok(Clause::RemovePartitioning);
    }
    expect_word(parser, "partition")?;
    expect_word(parser, "by")?;
    let linear = word(parser, "linear");
    let kind = match &parser.next_token().token {
        Token::Word(w) => w.value.to_uppercase(),
        other => return Err(ParserError::ParserError(format!("expected a partitioning method, found {other}"))),
    };
    let method = match (kind.as_str(), linear) {
        ("HASH" | "KEY", _) => format!("{}{kind}", if linear { "LINEAR " } else { "" }),
        ("RANGE" | "LIST", false) if word(parser, "columns") => format!("{kind} COLUMNS"),
        ("RANGE" | "LIST", false) => kind,
        _ => return Err(ParserError::ParserError(format!("`{kind}` is not a partitioning method"))),
    };
    if method.ends_with("KEY") && word(parser, "algorithm") {
        return Err(unsupported("KEY ALGORITHM"));
    }
    let columns_only = method.ends_with("KEY") || method.ends_with("COLUMNS");
    parser.expect_token(&Token::LParen)?;
    let expression = if columns_only {
        let mut names = Vec::new();
        while parser.peek_token().token != Token::RParen {
            // a column list prints as written, an expression's columns as the table declares them
            let ident = parser.parse_identifier()?;
            names.push(quote_column(&ident.value, &|_| None));
            if !parser.consume_token(&Token::Comma) {
                break;
            }
        }
        names.join(",")
    } else {
        print_expr(&parser.parse_expr()?, column)?
    };
    parser.expect_token(&Token::RParen)?;
    let count = if word(parser, "partitions") { Some(read_integer(parser)?) } else { None };
    if word(parser, "subpartition") {
        return Err(unsupported("SUBPARTITION BY"));
    }
    let mut partitions = Vec::new();
    if parser.consume_token(&Token::LParen) {
        loop {
            partitions.push(read_partition(parser, &method)?);
            if !parser.consume_token(&Token::Comma) {
                break;
            }
        }
        parser.expect_token(&Token::RParen)?;
    }
    match (count, partitions.is_empty()) {
        (Some(count), true) if method.contains("HASH") || method.contains("KEY") => {
            partitions =
                (0..count).map(|n| Partition { name: format!("p{n}"), values: None, comment: String::new() }).collect();
        }
        (Some(count), false) if usize::try_from(count).ok() != Some(partitions.len()) => {
            return Err(ParserError::ParserError(format!(
                "PARTITIONS {count} but {} partitions listed",
                partitions.len()
            )));
        }
        (None, true) if method.contains("HASH") || method.contains("KEY") => {
            partitions = vec![Partition { name: "p0".into(), values: None, comment: String::new() }];
        }
        (_, true) => return Err(ParserError::ParserError(format!("{method} partitioning lists its partitions"))),
        _ => {}
    }
    Ok(Clause::PartitionBy(Partitioning { method, expression, partitions, subpartitioning: None }))
}

fn read_partition(parser: &mut Parser, method: &str) -> Result<Partition, ParserError> {
    expect_word(parser, "partition")?;
    let name = parser.parse_identifier()?.value;
    let values = if word(parser, "values") {
        let range = method.starts_with("RANGE");
        if range {
            expect_word(parser, "less")?;
            expect_word(parser, "than")?;
        } else {
            parser.expect_keyword(Keyword::IN)?;
        }
        if range && word(parser, "maxvalue") {
            Some("MAXVALUE".to_string())
        } else {
            parser.expect_token(&Token::LParen)?;
            let values = read_values(parser, method)?;
            parser.expect_token(&Token::RParen)?;
            Some(values)
        }
    } else {
        None
    };
    if values.is_some() == (method.contains("HASH") || method.contains("KEY")) {
        return Err(ParserError::ParserError(format!("partition {name}: VALUES do not match {method} partitioning")));
    }
    let mut comment = String::new();
    loop {
        let _ = word(parser, "storage");
        if word(parser, "engine") {
            let _ = parser.consume_token(&Token::Eq);
            let engine = parser.parse_identifier()?.value;
            // the table's engine is the only one a partition can have
            if !engine.eq_ignore_ascii_case("innodb") {
                return Err(unsupported(&format!("a partition with ENGINE {engine}")));
            }
        } else if parser.parse_keyword(Keyword::COMMENT) {
            let _ = parser.consume_token(&Token::Eq);
            comment = parser.parse_literal_string()?;
        } else {
            break;
        }
    }
    match parser.peek_token().token {
        Token::Comma | Token::RParen => Ok(Partition { name, values, comment }),
        _ => Err(unsupported(&format!("partition option `{}`", parser.peek_token()))),
    }
}

/// The values of `VALUES LESS THAN (...)` or `VALUES IN (...)`, printed as the server prints them: RANGE and
/// LIST take integers (a LIST's NULL first), COLUMNS integers and strings, several columns' values tupled.
fn read_values(parser: &mut Parser, method: &str) -> Result<String, ParserError> {
    let columns = method.ends_with("COLUMNS");
    let mut values = Vec::new();
    loop {
        if !method.starts_with("RANGE") && columns && parser.peek_token().token == Token::LParen {
            parser.next_token();
            let tuple = read_values(parser, "RANGE COLUMNS")?;
            parser.expect_token(&Token::RParen)?;
            values.push(format!("({tuple})"));
        } else {
            values.push(read_value(parser, columns)?);
        }
        if !parser.consume_token(&Token::Comma) {
            break;
        }
    }
    if method == "LIST" {
        // the server keeps a LIST partition's NULL first
        values.sort_by_key(|value| value != "NULL");
    }
    Ok(values.join(","))
}

fn read_value(parser: &mut Parser, columns: bool) -> Result<String, ParserError> {
    if word(parser, "maxvalue") {
        return Ok("MAXVALUE".into());
    }
    if parser.parse_keyword(Keyword::NULL) {
        return Ok("NULL".into());
    }
    if columns && let Token::SingleQuotedString(text) = &parser.peek_token().token {
        let text = text.clone();
        parser.next_token();
        if text.chars().any(|c| c == '\\' || c.is_control()) {
            return Err(unsupported("a partition bound with a backslash or a control character"));
        }
        return Ok(format!("'{}'", text.replace('\'', "''")));
    }
    Ok(read_integer(parser)?.to_string())
}

fn read_integer(parser: &mut Parser) -> Result<i64, ParserError> {
    let negative = parser.consume_token(&Token::Minus);
    let _ = !negative && parser.consume_token(&Token::Plus);
    let token = parser.next_token();
    let Token::Number(digits, _) = &token.token else {
        return parser.expected("an integer (the server evaluates a bound; write its value)", token);
    };
    let value: i64 = digits.parse().map_err(|_| ParserError::ParserError(format!("`{digits}` is not an integer")))?;
    Ok(if negative { -value } else { value })
}

fn quote_column(name: &str, column: &dyn Fn(&str) -> Option<String>) -> String {
    let declared = column(name).unwrap_or_else(|| name.to_string());
    format!("`{}`", declared.replace('`', "``"))
}

/// The expression of RANGE, LIST or HASH as the server prints it: columns quoted, function names in lower
/// case, operators spaced; what it prints otherwise is refused rather than guessed.
fn print_expr(expr: &Expr, column: &dyn Fn(&str) -> Option<String>) -> Result<String, ParserError> {
    Ok(match expr {
        Expr::Identifier(ident) => quote_column(&ident.value, column),
        Expr::Value(value) => match &value.value {
            Value::Number(digits, _) => digits.clone(),
            _ => return Err(unsupported(&format!("`{expr}` in a partitioning expression"))),
        },
        Expr::Nested(inner) => format!("({})", print_expr(inner, column)?),
        Expr::UnaryOp { op: UnaryOperator::Minus, expr } => format!("-{}", print_expr(expr, column)?),
        Expr::BinaryOp { left, op, right }
            if matches!(
                op,
                BinaryOperator::Plus | BinaryOperator::Minus | BinaryOperator::Multiply | BinaryOperator::Modulo
            ) =>
        {
            format!("{} {op} {}", print_expr(left, column)?, print_expr(right, column)?)
        }
        Expr::Function(function) if function.name.0.len() == 1 => {
            let FunctionArguments::List(list) = &function.args else {
                return Err(unsupported(&format!("`{expr}` in a partitioning expression")));
            };
            let args: Vec<String> = list
                .args
                .iter()
                .map(|arg| match arg {
                    FunctionArg::Unnamed(FunctionArgExpr::Expr(arg)) => print_expr(arg, column),
                    _ => Err(unsupported(&format!("`{expr}` in a partitioning expression"))),
                })
                .collect::<Result<_, _>>()?;
            format!("{}({})", function.name.to_string().to_lowercase(), args.join(","))
        }
        _ => return Err(unsupported(&format!("`{expr}` in a partitioning expression"))),
    })
}
