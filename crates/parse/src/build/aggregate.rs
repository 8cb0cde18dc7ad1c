//! CREATE [OR REPLACE] AGGREGATE, both the current form `name(args) (SFUNC = ..., STYPE = ...)` and the old
//! one `name (BASETYPE = ..., SFUNC = ..., STYPE = ...)`, read over sqlparser's tokens as routines are.
//! Ordered-set, hypothetical-set and moving aggregates and sort operators are refused: the model holds
//! ordinary aggregates.

use super::Builder;
use super::routine::{RawArgument, parse_arguments};
use super::tokens::parse_string;
use crate::ParseError;
use crate::ident::fold_parts;
use driftless_model::{Aggregate, ArgMode, FinalModify, Function, FunctionArg, Parallel};
use sqlparser::ast::{DataType, ObjectName};
use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Token, TokenWithSpan};

/// The options PostgreSQL has that the model does not hold, with what they are.
const UNSUPPORTED_OPTIONS: &[(&str, &str)] = &[
    ("msfunc", "moving-aggregate mode"),
    ("minvfunc", "moving-aggregate mode"),
    ("mstype", "moving-aggregate mode"),
    ("msspace", "moving-aggregate mode"),
    ("mfinalfunc", "moving-aggregate mode"),
    ("mfinalfunc_extra", "moving-aggregate mode"),
    ("mfinalfunc_modify", "moving-aggregate mode"),
    ("minitcond", "moving-aggregate mode"),
    ("sortop", "a sort operator"),
    ("hypothetical", "hypothetical-set aggregates"),
];

/// A CREATE AGGREGATE statement, as written.
struct RawAggregate {
    or_replace: bool,
    name: ObjectName,
    arguments: Vec<RawArgument>,
    state_function: Option<ObjectName>,
    state_type: Option<DataType>,
    state_space: i32,
    final_function: Option<ObjectName>,
    final_extra: bool,
    final_modify: FinalModify,
    combine_function: Option<ObjectName>,
    serial_function: Option<ObjectName>,
    deserial_function: Option<ObjectName>,
    initial_condition: Option<String>,
    parallel: Parallel,
    /// `name (BASETYPE = ..., ...)`, where the option list gives the argument.
    old_form: bool,
    /// What the statement uses that the model cannot hold.
    unsupported: Option<&'static str>,
}

impl Builder<'_> {
    pub(super) fn create_aggregate(&mut self, tokens: Vec<TokenWithSpan>) -> Result<(), ParseError> {
        let raw = self.parse_with(tokens, parse_aggregate)?;
        if let Some(what) = raw.unsupported {
            return Err(self.unsupported(&format!("{what} is not supported; declare an ordinary aggregate")));
        }
        let (Some(state_function), Some(state_type)) = (&raw.state_function, &raw.state_type) else {
            return Err(self.invalid("an aggregate needs SFUNC and STYPE"));
        };
        let name = self.qualify(&raw.name)?;
        let args = raw
            .arguments
            .iter()
            .map(|argument| FunctionArg {
                name: argument.name.clone(),
                data_type: self.argument_type(&argument.data_type),
                mode: argument.mode,
                default: None,
            })
            .collect();
        let support = |function: &Option<ObjectName>| function.as_ref().map(|f| self.support_function(f)).transpose();
        let aggregate = Aggregate {
            state_function: self.support_function(state_function)?,
            state_type: self.argument_type(state_type),
            state_space: raw.state_space,
            final_function: support(&raw.final_function)?,
            final_extra: raw.final_extra,
            final_modify: raw.final_modify,
            combine_function: support(&raw.combine_function)?,
            serial_function: support(&raw.serial_function)?,
            deserial_function: support(&raw.deserial_function)?,
            initial_condition: raw.initial_condition,
        };
        self.declare_routine(Function::aggregate(name, args, aggregate, raw.parallel), raw.or_replace)
    }

    /// A support function's name as [`Aggregate::support_function`] prints it. An unqualified name is looked up
    /// as PostgreSQL does: `pg_catalog` first, then the search path, whose first schema is the default one
    /// unless the file sets another; there, a function the file declares is taken.
    fn support_function(&self, name: &ObjectName) -> Result<String, ParseError> {
        let default_schema = &self.options.default_schema;
        let parts = fold_parts(name);
        let (schema, function) = match parts.as_slice() {
            [function] => {
                let schema = self.unqualified_schema()?;
                let declared = self
                    .db
                    .schemas
                    .get(&schema)
                    .is_some_and(|s| s.functions.values().any(|f| &f.name.name == function));
                (if declared { schema } else { default_schema.clone() }, function.clone())
            }
            [.., schema, function] => (schema.clone(), function.clone()),
            [] => return Err(self.invalid("a support function needs a name")),
        };
        Ok(Aggregate::support_function(&schema, &function, default_schema))
    }
}

fn parse_aggregate(parser: &mut Parser) -> Result<RawAggregate, ParserError> {
    parser.expect_keyword(Keyword::CREATE)?;
    let or_replace = parser.parse_keywords(&[Keyword::OR, Keyword::REPLACE]);
    parser.expect_keyword(Keyword::AGGREGATE)?;
    let name = parser.parse_object_name(false)?;
    let old_form = parser.peek_token().token == Token::LParen
        && matches!(parser.peek_nth_token(1).token, Token::Word(_))
        && parser.peek_nth_token(2).token == Token::Eq;
    let mut aggregate = RawAggregate {
        or_replace,
        name,
        arguments: Vec::new(),
        state_function: None,
        state_type: None,
        state_space: 0,
        final_function: None,
        final_extra: false,
        final_modify: FinalModify::ReadOnly,
        combine_function: None,
        serial_function: None,
        deserial_function: None,
        initial_condition: None,
        parallel: Parallel::Unsafe,
        old_form,
        unsupported: None,
    };
    if !old_form {
        aggregate.arguments = parse_aggregate_arguments(parser, &mut aggregate.unsupported)?;
    }
    parser.expect_token(&Token::LParen)?;
    loop {
        parse_option(parser, &mut aggregate)?;
        if !parser.consume_token(&Token::Comma) {
            break;
        }
    }
    parser.expect_token(&Token::RParen)?;
    Ok(aggregate)
}

/// `(*)`, `([mode] [name] type, ...)`; `ORDER BY` makes an ordered-set aggregate, which is refused.
fn parse_aggregate_arguments(
    parser: &mut Parser,
    unsupported: &mut Option<&'static str>,
) -> Result<Vec<RawArgument>, ParserError> {
    if parser.peek_nth_token(1).token == Token::Mul {
        parser.expect_token(&Token::LParen)?;
        parser.expect_token(&Token::Mul)?;
        parser.expect_token(&Token::RParen)?;
        return Ok(Vec::new());
    }
    let mut depth = 0usize;
    for n in 0.. {
        match parser.peek_nth_token(n).token {
            Token::LParen => depth += 1,
            Token::RParen if depth <= 1 => break,
            Token::RParen => depth -= 1,
            Token::Word(word) if word.keyword == Keyword::ORDER && depth == 1 => {
                *unsupported = Some("an ordered-set aggregate (ORDER BY in its arguments)");
                while !matches!(parser.next_token().token, Token::RParen | Token::EOF) {}
                return Ok(Vec::new());
            }
            Token::EOF => break,
            _ => {}
        }
    }
    let arguments = parse_arguments(parser)?;
    if arguments.iter().any(|argument| matches!(argument.mode, ArgMode::Out | ArgMode::InOut)) {
        return Err(ParserError::ParserError("an aggregate takes only input arguments".into()));
    }
    Ok(arguments)
}

/// One `name [= value]` of the option list.
fn parse_option(parser: &mut Parser, aggregate: &mut RawAggregate) -> Result<(), ParserError> {
    let token = parser.next_token();
    let option = match &token.token {
        Token::Word(word) => word.value.to_lowercase(),
        _ => return parser.expected("an aggregate option", token),
    };
    let has_value = parser.consume_token(&Token::Eq);
    if let Some((_, what)) = UNSUPPORTED_OPTIONS.iter().find(|(name, _)| *name == option) {
        aggregate.unsupported = Some(what);
        if has_value {
            parser.next_token();
        }
        return Ok(());
    }
    if option == "finalfunc_extra" {
        aggregate.final_extra = !has_value || parse_boolean(parser)?;
        return Ok(());
    }
    if !has_value {
        return parser.expected(&format!("= after {option}"), parser.peek_token());
    }
    match option.as_str() {
        "sfunc" => aggregate.state_function = Some(parser.parse_object_name(false)?),
        "stype" => aggregate.state_type = Some(parser.parse_data_type()?),
        "sspace" => aggregate.state_space = parse_number(parser)?,
        "finalfunc" => aggregate.final_function = Some(parser.parse_object_name(false)?),
        "finalfunc_modify" => {
            aggregate.final_modify = match parse_word(parser)?.as_str() {
                "read_only" => FinalModify::ReadOnly,
                "shareable" => FinalModify::Shareable,
                "read_write" => FinalModify::ReadWrite,
                _ => {
                    return Err(ParserError::ParserError(
                        "FINALFUNC_MODIFY is READ_ONLY, SHAREABLE or READ_WRITE".into(),
                    ));
                }
            }
        }
        "combinefunc" => aggregate.combine_function = Some(parser.parse_object_name(false)?),
        "serialfunc" => aggregate.serial_function = Some(parser.parse_object_name(false)?),
        "deserialfunc" => aggregate.deserial_function = Some(parser.parse_object_name(false)?),
        "initcond" => {
            aggregate.initial_condition = Some(match parser.peek_token().token {
                Token::Number(number, _) => {
                    parser.next_token();
                    number
                }
                _ => parse_string(parser)?,
            })
        }
        "parallel" => {
            aggregate.parallel = match parse_word(parser)?.as_str() {
                "safe" => Parallel::Safe,
                "restricted" => Parallel::Restricted,
                "unsafe" => Parallel::Unsafe,
                _ => return Err(ParserError::ParserError("PARALLEL is SAFE, RESTRICTED or UNSAFE".into())),
            }
        }
        "basetype" if aggregate.old_form => {
            let any = matches!(&parser.peek_token().token, Token::Word(w) if w.keyword == Keyword::ANY);
            if any {
                parser.next_token();
            } else {
                let data_type = parser.parse_data_type()?;
                aggregate.arguments = vec![RawArgument { mode: ArgMode::In, name: None, data_type, default: None }];
            }
        }
        other => return Err(ParserError::ParserError(format!("`{other}` is not an aggregate option"))),
    }
    Ok(())
}

fn parse_word(parser: &mut Parser) -> Result<String, ParserError> {
    let token = parser.next_token();
    match &token.token {
        Token::Word(word) => Ok(word.value.to_lowercase()),
        Token::SingleQuotedString(text) => Ok(text.to_lowercase()),
        _ => parser.expected("a word", token),
    }
}

fn parse_boolean(parser: &mut Parser) -> Result<bool, ParserError> {
    match parse_word(parser)?.as_str() {
        "true" | "on" | "yes" => Ok(true),
        "false" | "off" | "no" => Ok(false),
        other => Err(ParserError::ParserError(format!("`{other}` is not a boolean"))),
    }
}

fn parse_number(parser: &mut Parser) -> Result<i32, ParserError> {
    let token = parser.next_token();
    match &token.token {
        Token::Number(number, _) => {
            number.parse().map_err(|_| ParserError::ParserError(format!("`{number}` is not an integer")))
        }
        _ => parser.expected("a number", token),
    }
}
