//! CREATE [OR REPLACE] FUNCTION/PROCEDURE, read by a small parser of PostgreSQL's grammar over sqlparser's
//! tokens: sqlparser's own reading misses options such as COST and LEAKPROOF and procedures' bodies.

use super::Builder;
use super::tokens::{offset_of, parse_string};
use crate::ident::{fold, fold_parts_with, fold_untruncated, quote_if_needed};
use crate::types::format_type;
use crate::{ParseError, canon, depth};
use driftless_model::{ArgMode, Dialect, Expr, Function, FunctionArg, FunctionKind, Parallel, Volatility, quote_ident};
use sqlparser::ast::{DataType, Expr as SqlExpr, Ident, ObjectName};
use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Token, TokenWithSpan};

/// An argument as written.
pub(super) struct RawArgument {
    pub mode: ArgMode,
    pub name: Option<String>,
    pub data_type: DataType,
    pub default: Option<SqlExpr>,
}

/// What a routine returns, as written.
enum RawReturns {
    Type(DataType),
    SetOf(DataType),
    Table(Vec<(String, DataType)>),
}

/// A CREATE FUNCTION/PROCEDURE statement, as written.
struct RawRoutine {
    or_replace: bool,
    /// A procedure rather than a function.
    procedure: bool,
    name: ObjectName,
    arguments: Vec<RawArgument>,
    returns: Option<RawReturns>,
    language: Option<String>,
    body: Option<String>,
    /// `RETURN expr` or `BEGIN ATOMIC ... END`, as written.
    sql_body: Option<String>,
    volatility: Volatility,
    strict: bool,
    security_definer: bool,
    leakproof: bool,
    parallel: Parallel,
    cost: Option<String>,
    rows: Option<String>,
    config: Vec<String>,
}

impl Builder<'_> {
    pub(super) fn create_routine(&mut self, tokens: Vec<TokenWithSpan>) -> Result<(), ParseError> {
        let sql = self.current.as_ref().map(|s| s.sql.clone()).unwrap_or_default();
        let raw = self.parse_with(tokens, |parser| parse_routine(parser, &sql))?;
        let name = self.qualify(&raw.name)?;
        let args: Vec<FunctionArg> = raw
            .arguments
            .iter()
            .map(|a| FunctionArg {
                name: a.name.clone(),
                data_type: self.argument_type(&a.data_type),
                mode: a.mode,
                default: a.default.as_ref().map(|d| super::expression(&d.to_string())),
            })
            .collect();
        let returns = match (&raw.returns, raw.procedure) {
            (Some(RawReturns::Type(t)), _) => self.argument_type(t),
            (Some(RawReturns::SetOf(t)), _) => format!("SETOF {}", self.argument_type(t)),
            (Some(RawReturns::Table(columns)), _) => {
                let columns: Vec<String> = columns
                    .iter()
                    .map(|(name, t)| format!("{} {}", quote_if_needed(name), self.argument_type(t)))
                    .collect();
                format!("TABLE({})", columns.join(", "))
            }
            (None, true) => String::new(),
            // without RETURNS, a function returns its OUT arguments: the one's type, or a record of several
            (None, false) => {
                let outputs: Vec<&FunctionArg> =
                    args.iter().filter(|a| matches!(a.mode, ArgMode::Out | ArgMode::InOut)).collect();
                match outputs.as_slice() {
                    [] => return Err(self.invalid("a function without OUT arguments needs RETURNS")),
                    [single] => single.data_type.clone(),
                    _ => "record".to_string(),
                }
            }
        };
        let (body, sql_body) = match (raw.body, raw.sql_body) {
            // the plan writes the body after the routine's head, then a `;`
            (_, Some(sql_body))
                if !crate::split::splits_as_one(&format!("CREATE FUNCTION f()\n{sql_body}"), Dialect::Postgres) =>
            {
                return Err(self.invalid("the routine's body runs into what follows it; end it where it ends"));
            }
            (_, Some(sql_body)) => (String::new(), Some(Expr::new(&sql_body, canon::routine_body(&sql_body)))),
            (Some(body), None) => (body, None),
            (None, None) => {
                return Err(self.invalid("the routine has no body (AS '...', RETURN or BEGIN ATOMIC)"));
            }
        };
        let language = raw.language.unwrap_or_else(|| "sql".to_string());
        let function = Function {
            name,
            kind: if raw.procedure { FunctionKind::Procedure } else { FunctionKind::Function },
            cost: raw.cost.unwrap_or_else(|| Function::default_cost(&language)),
            rows: raw.rows.unwrap_or_else(|| Function::default_rows(&returns)),
            args,
            returns,
            language,
            body,
            sql_body,
            volatility: raw.volatility,
            strict: raw.strict,
            security_definer: raw.security_definer,
            leakproof: raw.leakproof,
            parallel: raw.parallel,
            config: raw.config,
            comment: None,
        };
        self.declare_routine(function, raw.or_replace)
    }

    /// Adds a routine to its schema; under `OR REPLACE` it takes the place of one of the same signature.
    pub(super) fn declare_routine(&mut self, function: Function, or_replace: bool) -> Result<(), ParseError> {
        let signature = function.signature();
        let functions = &mut self.schema_mut(&function.name.schema).functions;
        match functions.get(&signature) {
            Some(existing) if or_replace => {
                let comment = existing.comment.clone();
                functions.insert(signature, Function { comment, ..function });
            }
            Some(_) => return Err(self.invalid(&format!("function {signature} is declared twice"))),
            None => {
                functions.insert(signature, function);
            }
        }
        Ok(())
    }

    /// An argument or result type as `format_type` prints it for routines: without type modifiers, which
    /// PostgreSQL does not keep for them (`varchar(10)` → `character varying`, `char(5)` → `character`).
    pub(super) fn argument_type(&self, data_type: &DataType) -> String {
        let formatted = driftless_model::DataType::from(format_type(data_type, &self.options.default_schema).name);
        let base = formatted.base_name();
        let base = match base.as_ref() {
            interval if interval.starts_with("interval") => "interval",
            "bpchar" => "character",
            other => other,
        };
        let array = if formatted.is_array() { "[]" } else { "" };
        format!("{base}{array}")
    }
}

fn parse_routine(parser: &mut Parser, sql: &str) -> Result<RawRoutine, ParserError> {
    parser.expect_keyword(Keyword::CREATE)?;
    let or_replace = parser.parse_keywords(&[Keyword::OR, Keyword::REPLACE]);
    let procedure = parser.expect_one_of_keywords(&[Keyword::FUNCTION, Keyword::PROCEDURE])? == Keyword::PROCEDURE;
    let name = parser.parse_object_name(false)?;
    let arguments = parse_arguments(parser)?;
    let mut routine = RawRoutine {
        or_replace,
        procedure,
        name,
        arguments,
        returns: None,
        language: None,
        body: None,
        sql_body: None,
        volatility: Volatility::Volatile,
        strict: false,
        security_definer: false,
        leakproof: false,
        parallel: Parallel::Unsafe,
        cost: None,
        rows: None,
        config: Vec::new(),
    };
    if parser.parse_keyword(Keyword::RETURNS) {
        routine.returns = Some(parse_returns(parser)?);
    }
    loop {
        let start = parser.peek_token().span.start;
        if parser.parse_keyword(Keyword::LANGUAGE) {
            let token = parser.next_token();
            routine.language = Some(match token.token {
                Token::Word(w) => w.value.to_lowercase(),
                Token::SingleQuotedString(s) => s.to_lowercase(),
                _ => return parser.expected("a language name", token),
            });
        } else if parser.parse_keyword(Keyword::IMMUTABLE) {
            routine.volatility = Volatility::Immutable;
        } else if parser.parse_keyword(Keyword::STABLE) {
            routine.volatility = Volatility::Stable;
        } else if parser.parse_keyword(Keyword::VOLATILE) {
            routine.volatility = Volatility::Volatile;
        } else if parser.parse_keyword(Keyword::STRICT)
            || parser.parse_keywords(&[Keyword::RETURNS, Keyword::NULL, Keyword::ON, Keyword::NULL, Keyword::INPUT])
        {
            routine.strict = true;
        } else if parser.parse_keywords(&[Keyword::CALLED, Keyword::ON, Keyword::NULL, Keyword::INPUT]) {
            routine.strict = false;
        } else if parser.parse_keyword(Keyword::SECURITY)
            || parser.parse_keywords(&[Keyword::EXTERNAL, Keyword::SECURITY])
        {
            routine.security_definer =
                parser.expect_one_of_keywords(&[Keyword::DEFINER, Keyword::INVOKER])? == Keyword::DEFINER;
        } else if parser.parse_keyword(Keyword::AS) {
            let definition = parse_string(parser)?;
            // C functions: AS 'object file', 'link symbol'; PostgreSQL keeps the symbol as the source
            routine.body = Some(if parser.consume_token(&Token::Comma) { parse_string(parser)? } else { definition });
        } else if parser.parse_keyword(Keyword::RETURN) {
            depth::checked(parser.parse_expr()?)?;
            routine.sql_body = Some(rest_of_statement(sql, start));
            break;
        } else if parser.parse_keywords(&[Keyword::BEGIN, Keyword::ATOMIC]) {
            // the body is the rest of the statement, and it must be closed: an unterminated body rendered
            // with a `;` after it would take in the statements that follow
            let mut last = Token::EOF;
            while parser.peek_token().token != Token::EOF {
                match parser.next_token().token {
                    Token::SemiColon => {}
                    token => last = token,
                }
            }
            if !matches!(&last, Token::Word(word) if word.keyword == Keyword::END) {
                return Err(ParserError::ParserError("BEGIN ATOMIC without its END".into()));
            }
            routine.sql_body = Some(rest_of_statement(sql, start));
            break;
        } else if parser.parse_keyword(Keyword::LEAKPROOF) {
            routine.leakproof = true;
        } else if parser.parse_keywords(&[Keyword::NOT, Keyword::LEAKPROOF]) {
            routine.leakproof = false;
        } else if parser.parse_keyword(Keyword::PARALLEL) {
            let token = parser.next_token();
            routine.parallel = match &token.token {
                Token::Word(w) if w.value.eq_ignore_ascii_case("safe") => Parallel::Safe,
                Token::Word(w) if w.value.eq_ignore_ascii_case("restricted") => Parallel::Restricted,
                Token::Word(w) if w.value.eq_ignore_ascii_case("unsafe") => Parallel::Unsafe,
                _ => return parser.expected("SAFE, RESTRICTED or UNSAFE", token),
            };
        } else if parser.parse_keyword(Keyword::COST) {
            routine.cost = Some(parse_estimate(parser)?);
        } else if parser.parse_keyword(Keyword::ROWS) {
            routine.rows = Some(parse_estimate(parser)?);
        } else if parser.parse_keyword(Keyword::SET) {
            if let Some((name, value)) = parse_setting(parser)? {
                // a later SET of the same setting replaces the earlier one, as in PostgreSQL
                routine.config.retain(|setting| setting.split_once('=').map(|(n, _)| n) != Some(name.as_str()));
                routine.config.push(format!("{name}={value}"));
            }
        } else if !skip_ignored_option(parser)? {
            break;
        }
    }
    Ok(routine)
}

/// Options the model does not hold (they do not change what the routine computes): read and dropped.
fn skip_ignored_option(parser: &mut Parser) -> Result<bool, ParserError> {
    if parser.parse_keyword(Keyword::WINDOW) {
        return Ok(true);
    }
    if parser.parse_keyword(Keyword::SUPPORT) {
        parser.parse_object_name(false)?;
        return Ok(true);
    }
    Ok(false)
}

/// A `COST`/`ROWS` estimate, printed the way PostgreSQL's float4 column reads back.
fn parse_estimate(parser: &mut Parser) -> Result<String, ParserError> {
    let token = parser.next_token();
    match &token.token {
        Token::Number(n, _) => {
            n.parse::<f32>().map(|v| v.to_string()).map_err(|e| ParserError::ParserError(e.to_string()))
        }
        _ => parser.expected("a number", token),
    }
}

/// `SET name { = | TO } value [, ...]` as the name and the value `proconfig` stores: unquoted words folded,
/// items joined with `, ` and, for settings that quote their items, quoted as identifiers where needed. `SET
/// name FROM CURRENT` captures the session's value at creation time, which no text can state, so it is left out.
fn parse_setting(parser: &mut Parser) -> Result<Option<(String, String)>, ParserError> {
    // Setting names are case-insensitive; quoting only lets a name hold characters a bare word cannot
    let name = fold_parts_with(&parser.parse_object_name(false)?, fold_untruncated).join(".").to_lowercase();
    if parser.parse_keywords(&[Keyword::FROM, Keyword::CURRENT]) {
        return Ok(None);
    }
    if !parser.consume_token(&Token::Eq) {
        parser.expect_keyword(Keyword::TO)?;
    }
    let quote_items = Function::quotes_list_items(&name);
    let mut values = Vec::new();
    loop {
        let token = parser.next_token();
        let value = match token.token {
            Token::SingleQuotedString(s) => s,
            Token::Word(w) => fold(&Ident { value: w.value, quote_style: w.quote_style, span: token.span }),
            Token::Number(n, _) => n,
            _ => return parser.expected("a setting value", token),
        };
        values.push(if quote_items { quote_ident(&value) } else { value });
        if !parser.consume_token(&Token::Comma) {
            return Ok(Some((name, values.join(", "))));
        }
    }
}

/// The statement's text from `start` on, without the closing semicolon: a SQL-standard body as written.
fn rest_of_statement(sql: &str, start: sqlparser::tokenizer::Location) -> String {
    let body = &sql[offset_of(sql, start)..];
    body.trim_end().trim_end_matches(';').trim_end().to_string()
}

fn parse_returns(parser: &mut Parser) -> Result<RawReturns, ParserError> {
    if parser.parse_keyword(Keyword::SETOF) {
        return Ok(RawReturns::SetOf(parser.parse_data_type()?));
    }
    if parser.parse_keyword(Keyword::TABLE) {
        parser.expect_token(&Token::LParen)?;
        let columns = parser.parse_comma_separated(|p| Ok((fold(&p.parse_identifier()?), p.parse_data_type()?)))?;
        parser.expect_token(&Token::RParen)?;
        return Ok(RawReturns::Table(columns));
    }
    Ok(RawReturns::Type(parser.parse_data_type()?))
}

/// `( [mode] [name] type [DEFAULT expr], ... )`
pub(super) fn parse_arguments(parser: &mut Parser) -> Result<Vec<RawArgument>, ParserError> {
    parser.expect_token(&Token::LParen)?;
    if parser.consume_token(&Token::RParen) {
        return Ok(Vec::new());
    }
    let arguments = parser.parse_comma_separated(parse_argument)?;
    parser.expect_token(&Token::RParen)?;
    Ok(arguments)
}

fn parse_argument(parser: &mut Parser) -> Result<RawArgument, ParserError> {
    let mode = match parser.parse_one_of_keywords(&[Keyword::IN, Keyword::OUT, Keyword::INOUT, Keyword::VARIADIC]) {
        Some(Keyword::OUT) => ArgMode::Out,
        Some(Keyword::INOUT) => ArgMode::InOut,
        Some(Keyword::VARIADIC) => ArgMode::Variadic,
        _ => ArgMode::In,
    };
    // A type alone, or a name and a type: the type reading wins when it ends the argument
    // (`double precision` is one type, `a double precision` a name and a type).
    let type_only = parser.maybe_parse(|p| {
        let data_type = p.parse_data_type()?;
        let next = p.peek_token();
        let ends_argument = matches!(&next.token, Token::Comma | Token::RParen | Token::Eq)
            || matches!(&next.token, Token::Word(w) if w.keyword == Keyword::DEFAULT);
        if ends_argument { Ok(data_type) } else { p.expected("the end of the argument", next) }
    })?;
    let (name, data_type) = match type_only {
        Some(data_type) => (None, data_type),
        None => (Some(fold(&parser.parse_identifier()?)), parser.parse_data_type()?),
    };
    let default = if parser.parse_keyword(Keyword::DEFAULT) || parser.consume_token(&Token::Eq) {
        Some(depth::checked(parser.parse_expr()?)?)
    } else {
        None
    };
    Ok(RawArgument { mode, name, data_type, default })
}
