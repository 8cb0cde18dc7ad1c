//! Canonical forms of SQL expressions and queries.
//!
//! PostgreSQL rewrites what it stores: `price > 0` comes back as `(price > (0)::numeric)`, `x IN (1, 2)` as
//! `(x = ANY (ARRAY[1, 2]))`. Both the desired text and the text the database prints go through these
//! functions, and two expressions are equal when their canonical forms are. The forms are for comparison
//! only, never rendered into DDL. They never fail: text that does not parse is compared by its
//! whitespace-normalized form.
//!
//! Each function parses with sqlparser, rewrites the tree bottom-up (see [`rewrite`]), applies the
//! query-level rules (see [`select`]), re-adds the parentheses precedence needs (see [`parens`]) and prints.

mod interval;
mod parens;
mod relative;
mod rewrite;
mod select;
mod star;
mod tree;

use crate::depth;
use sqlparser::ast::{Expr, Query, Statement, Value, ValueWithSpan, Visit, VisitMut};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::{Token, TokenWithSpan, Tokenizer};
use tree::query_children;

pub(crate) use tree::{Child, expr_children};

pub(crate) use select::derived_name;

pub use relative::relative_to;

/// The canonical form of a scalar expression (a default, a check, an index key or predicate).
pub fn expr(sql: &str) -> String {
    match parse_expr(sql) {
        Some(mut parsed) => {
            normalize_expr(&mut parsed);
            parens::parenthesize_expr(&mut parsed);
            parsed.to_string()
        }
        None => collapse_whitespace(sql),
    }
}

/// The value of a default written as a string literal, cast or not (`'2024-01-02 03:04:00'::timestamptz`).
/// The server stores such a constant in its type's output form, which may differ from the text written (a
/// time zone added, digits padded), so the engine asks for that form.
pub fn string_literal(sql: &str) -> Option<String> {
    let mut parsed = parse_expr(sql)?;
    loop {
        parsed = match parsed {
            Expr::Nested(inner) | Expr::Cast { expr: inner, .. } => *inner,
            Expr::Value(ValueWithSpan { value: Value::SingleQuotedString(value), .. }) => return Some(value),
            _ => return None,
        };
    }
}

/// The canonical form of the default `value` on a column of `data_type`, as the parser gives a string
/// literal default.
pub fn string_literal_expr(value: &str, data_type: &str) -> String {
    expr(&format!("{}::{data_type}", driftless_model::quote_literal(value)))
}

/// The canonical form of a routine's SQL-standard body: `RETURN expr`, or `BEGIN ATOMIC stmt; ... END` with
/// each query canonical (other statements with their spacing collapsed).
pub fn routine_body(sql: &str) -> String {
    let trimmed = sql.trim();
    if let Some(value) = strip_keyword(trimmed, "return") {
        return format!("RETURN {}", expr(value));
    }
    let statements = strip_keyword(trimmed, "begin")
        .and_then(|rest| strip_keyword(rest.trim_start(), "atomic"))
        .and_then(|rest| strip_keyword_at_end(rest, "end"));
    let Some(statements) = statements else { return collapse_whitespace(sql) };
    let canonical: Vec<String> = statements
        .split(';')
        .map(str::trim)
        .filter(|statement| !statement.is_empty())
        .map(|statement| match parse_query(statement) {
            Some(_) => format!("{};", query(statement)),
            None => format!("{};", collapse_whitespace(statement)),
        })
        .collect();
    format!("BEGIN ATOMIC {} END", canonical.join(" "))
}

/// `text` after a leading keyword, in any case.
fn strip_keyword<'t>(text: &'t str, keyword: &str) -> Option<&'t str> {
    text.get(..keyword.len()).filter(|head| head.eq_ignore_ascii_case(keyword)).map(|_| &text[keyword.len()..])
}

/// `text` before a trailing keyword, in any case.
fn strip_keyword_at_end<'t>(text: &'t str, keyword: &str) -> Option<&'t str> {
    let text = text.trim_end();
    let start = text.len().checked_sub(keyword.len())?;
    text.get(start..).filter(|tail| tail.eq_ignore_ascii_case(keyword)).map(|_| &text[..start])
}

/// The canonical form of a view's query.
pub fn query(sql: &str) -> String {
    match parse_query(sql) {
        Some(mut parsed) => {
            normalize_query(&mut parsed);
            parens::parenthesize_query(&mut parsed);
            parsed.to_string()
        }
        None => collapse_whitespace(sql),
    }
}

/// The canonical form of a view's query as PostgreSQL stores it: every `*` expanded into the columns it
/// stands for (see [`star`]), which `columns` gives for a table name's folded parts.
pub fn view_query(sql: &str, columns: &dyn Fn(&[String]) -> Option<Vec<String>>) -> String {
    match parse_query(sql) {
        Some(mut parsed) => {
            star::expand(&mut parsed, columns, &[]);
            normalize_query(&mut parsed);
            parens::parenthesize_query(&mut parsed);
            parsed.to_string()
        }
        None => collapse_whitespace(sql),
    }
}

/// The expression in `sql` when the whole text is exactly one expression.
/// The names of a view query's output columns, when every one is known.
pub fn query_output_names(sql: &str) -> Option<Vec<String>> {
    let query = parse_query(sql)?;
    let names = star::output_names(&query);
    depth::dismantle(query);
    names
}

fn parse_expr(sql: &str) -> Option<Expr> {
    let dialect = PostgreSqlDialect {};
    let mut parser = depth::parser(&dialect).with_tokens_with_locations(tokens(sql)?);
    let parsed = shallow(parser.parse_expr().ok()?)?;
    (parser.peek_token().token == Token::EOF).then_some(parsed)
}

fn parse_query(sql: &str) -> Option<Box<Query>> {
    let dialect = PostgreSqlDialect {};
    let text = sql.trim().trim_end_matches(';');
    let statements = depth::parser(&dialect).with_tokens_with_locations(tokens(text)?).parse_statements().ok()?;
    if statements.len() != 1 {
        depth::dismantle(statements);
        return None;
    }
    let mut statements = shallow(statements)?;
    match (statements.pop(), statements.is_empty()) {
        (Some(Statement::Query(query)), true) => Some(query),
        _ => None,
    }
}

/// The tokens of `sql`, with PostgreSQL's spelled-out variadic calls folded back: it prints
/// `f(a, 'x', 'y')` as `f(a, VARIADIC ARRAY['x', 'y'])`, which sqlparser does not read.
fn tokens(sql: &str) -> Option<Vec<TokenWithSpan>> {
    let tokens = Tokenizer::new(&PostgreSqlDialect {}, sql).tokenize_with_location().ok()?;
    if depth::too_long(tokens.iter().map(|t| &t.token)) {
        return None;
    }
    let is_word = |token: &Token, keyword: Keyword| matches!(token, Token::Word(w) if w.keyword == keyword);
    let mut result = Vec::with_capacity(tokens.len());
    let mut open_brackets: Vec<bool> = Vec::new();
    let mut index = 0;
    while index < tokens.len() {
        let token = &tokens[index].token;
        let next: Vec<usize> =
            (index + 1..tokens.len()).filter(|&i| !matches!(tokens[i].token, Token::Whitespace(_))).take(2).collect();
        let spelled_out = is_word(token, Keyword::VARIADIC)
            && matches!(next.as_slice(), [array, bracket] if is_word(&tokens[*array].token, Keyword::ARRAY)
                && tokens[*bracket].token == Token::LBracket);
        if spelled_out {
            open_brackets.push(true);
            index = next[1] + 1;
            continue;
        }
        match token {
            Token::LBracket => open_brackets.push(false),
            Token::RBracket if open_brackets.pop() == Some(true) => {
                index += 1;
                continue;
            }
            _ => {}
        }
        result.push(tokens[index].clone());
        index += 1;
    }
    Some(result)
}

/// `node` when the canonical forms can walk it (see [`depth`]); a deeper one is taken apart.
fn shallow<T: Visit + VisitMut>(node: T) -> Option<T> {
    if depth::exceeds(&node, depth::MAX_CANONICAL_DEPTH) {
        depth::dismantle(node);
        return None;
    }
    Some(node)
}

fn normalize_expr(expr: &mut Expr) {
    for child in expr_children(expr) {
        match child {
            Child::Expr(e) => normalize_expr(e),
            Child::Query(q) => normalize_query(q),
        }
    }
    rewrite::rewrite(expr);
}

fn normalize_query(query: &mut Query) {
    // Aliases are judged on the expressions as written: `'a'::text AS text` names itself by its cast.
    select::drop_derived_aliases(query);
    for child in query_children(query) {
        match child {
            Child::Expr(e) => normalize_expr(e),
            Child::Query(q) => normalize_query(q),
        }
    }
    select::normalize_clauses(query);
}

pub(crate) fn collapse_whitespace(sql: &str) -> String {
    collapse_whitespace_in(sql, &PostgreSqlDialect {})
}

/// The text with comments gone and whitespace collapsed, the comments as `dialect` reads them (MySQL's `#`).
pub fn collapse_whitespace_in(sql: &str, dialect: &dyn sqlparser::dialect::Dialect) -> String {
    let collapse = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    if !sql.contains("--") && !sql.contains("/*") && !sql.contains('#') {
        return collapse(sql);
    }
    // a line comment would swallow everything after it once the lines are joined (and the rest might then
    // parse): comments go first, read by the tokenizer so that `--` inside a string stays. The other tokens
    // keep their text as written: printed again, a string would lose its doubled quotes and end elsewhere.
    let tokens = Tokenizer::new(dialect, sql).tokenize_with_location();
    match tokens.ok().and_then(|tokens| without_comments(sql, &tokens)) {
        Some(text) => collapse(&text),
        // text that does not even tokenize keeps the line break after each line that may end in a comment
        // (which a carriage return ends too, as in PostgreSQL)
        None => {
            let mut result = String::new();
            for line in sql.split(['\n', '\r']).map(collapse).filter(|line| !line.is_empty()) {
                if !result.is_empty() && !result.ends_with('\n') {
                    result.push(' ');
                }
                result.push_str(&line);
                if line.contains("--") {
                    result.push('\n');
                }
            }
            result.trim_end().to_string()
        }
    }
}

/// `sql` with each whitespace or comment token replaced by a space and every other token as written (its
/// text runs to where the next token starts); `None` if a token's location is not in `sql`.
fn without_comments(sql: &str, tokens: &[TokenWithSpan]) -> Option<String> {
    // the tokenizer counts lines and columns in characters, from 1
    let mut starts = Vec::with_capacity(tokens.len() + 1);
    let mut wanted = tokens.iter().map(|token| (token.span.start.line, token.span.start.column)).peekable();
    let (mut line, mut column) = (1, 1);
    for (offset, c) in sql.char_indices().chain(std::iter::once((sql.len(), '\0'))) {
        while wanted.next_if(|&at| at == (line, column)).is_some() {
            starts.push(offset);
        }
        if c == '\n' {
            (line, column) = (line + 1, 1);
        } else {
            column += 1;
        }
    }
    if starts.len() != tokens.len() {
        return None;
    }
    starts.push(sql.len());
    let mut text = String::with_capacity(sql.len());
    for (token, span) in tokens.iter().zip(starts.windows(2)) {
        match token.token {
            Token::Whitespace(_) => text.push(' '),
            _ => text.push_str(&sql[span[0]..span[1]]),
        }
    }
    Some(text)
}

#[cfg(test)]
mod tests;
