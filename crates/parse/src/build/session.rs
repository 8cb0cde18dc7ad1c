//! The session statements pg_dump writes around the DDL: `SET`, `set_config` and `setval`. `search_path`
//! decides where unqualified names land; the other settings pg_dump writes change nothing the model holds
//! and are accepted, a value that would change how the file reads is refused, and an unknown setting too.
//! Privileges (`GRANT`, `REVOKE`, `ALTER DEFAULT PRIVILEGES`) are not managed: they are read, to refuse what
//! is not SQL, and counted.

use super::Builder;
use crate::ParseError;
use crate::ident::fold_parts;
use sqlparser::ast::Statement;
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Token, TokenWithSpan, Tokenizer};

/// A `SELECT` of one of the functions pg_dump calls.
enum Call {
    /// `set_config('name', 'value', is_local)`.
    SetConfig { name: String, value: String },
    /// `setval('sequence', value[, is_called])`.
    SetSequenceValue { sequence: String },
}

impl Builder<'_> {
    /// `SET [SESSION | LOCAL] name {= | TO} value[, ...]`.
    pub(super) fn set(&mut self, tokens: Vec<TokenWithSpan>) -> Result<(), ParseError> {
        let (name, values) = self.parse_with(tokens, parse_set)?;
        self.apply_setting(&name, values)
    }

    /// `GRANT`/`REVOKE` of privileges on objects and `ALTER DEFAULT PRIVILEGES`: accepted and counted, not
    /// managed. Granting a role to a role manages roles, which stay outside the schema.
    pub(super) fn privileges(&mut self, tokens: Vec<TokenWithSpan>) -> Result<(), ParseError> {
        match self.parse_with(tokens, |parser| parser.parse_statement())? {
            Statement::Grant(_) | Statement::Revoke(_) | Statement::AlterDefaultPrivileges(_) => {
                self.not_managed.privileges += 1;
                Ok(())
            }
            Statement::GrantRole(_) | Statement::RevokeRole(_) => Err(self.unsupported(
                "granting a role to a role manages roles, which are not part of a schema (CloudNativePG manages them \
                 with its Database Role resources)",
            )),
            _ => Err(self.unsupported("this GRANT or REVOKE form is not supported")),
        }
    }

    /// `SELECT [pg_catalog.]set_config(...)` or `SELECT [pg_catalog.]setval(...)`; any other `SELECT` is not
    /// schema DDL.
    pub(super) fn select(&mut self, tokens: Vec<TokenWithSpan>) -> Result<(), ParseError> {
        let not_ddl = || {
            let (line, excerpt) = self.location();
            ParseError::NotDdl { line, excerpt }
        };
        match self.parse_with(tokens, parse_call).map_err(|_| not_ddl())? {
            Some(Call::SetConfig { name, value }) => {
                // a string value is one list for a list setting, as PostgreSQL splits it
                let values = if name == "search_path" { identifier_list(&value) } else { vec![value] };
                self.apply_setting(&name, values)
            }
            Some(Call::SetSequenceValue { sequence }) => {
                let sequence = Parser::new(&PostgreSqlDialect {})
                    .try_with_sql(&sequence)
                    .and_then(|mut parser| parser.parse_object_name(false))
                    .map_err(|_| self.invalid(&format!("`{sequence}` is not a sequence name")))?;
                let sequence = self.qualify(&sequence)?;
                if !self.relation_taken(&sequence.schema, &sequence.name) {
                    return Err(self.invalid(&format!("sequence {sequence} is not declared before this statement")));
                }
                self.not_managed.sequence_values += 1;
                Ok(())
            }
            None => Err(not_ddl()),
        }
    }

    fn apply_setting(&mut self, name: &str, values: Vec<String>) -> Result<(), ParseError> {
        let value = values.join(", ").to_ascii_lowercase();
        let refuse =
            |why: &str| -> Result<(), ParseError> { Err(self.unsupported(&format!("{name} = {value}: {why}"))) };
        match name {
            "search_path" => {
                self.search_path = Some(values);
                Ok(())
            }
            "statement_timeout"
            | "lock_timeout"
            | "idle_in_transaction_session_timeout"
            | "transaction_timeout"
            | "check_function_bodies"
            | "xmloption"
            | "client_min_messages"
            | "row_security" => Ok(()),
            "client_encoding" if matches!(value.as_str(), "utf8" | "utf-8" | "unicode" | "default") => Ok(()),
            "client_encoding" => refuse("the desired schema is read as UTF-8"),
            "standard_conforming_strings" if matches!(value.as_str(), "on" | "true" | "default") => Ok(()),
            "standard_conforming_strings" => {
                refuse("backslashes in '...' strings would be escapes; only standard_conforming_strings = on is read")
            }
            "default_tablespace" if matches!(value.as_str(), "" | "default") => Ok(()),
            "default_tablespace" => refuse("tablespaces are not part of the model"),
            "default_table_access_method" if matches!(value.as_str(), "heap" | "default") => Ok(()),
            "default_table_access_method" => refuse("tables are modelled with the heap access method only"),
            "default_with_oids" if matches!(value.as_str(), "off" | "false" | "default") => Ok(()),
            "default_with_oids" => refuse("tables WITH OIDS do not exist since PostgreSQL 12"),
            _ => refuse("this setting is not one a desired schema may change"),
        }
    }

    /// The schema unqualified names land in: the first schema of the file's `search_path` that is declared
    /// when the statement runs (PostgreSQL skips missing ones), else the connection's default schema.
    pub(super) fn unqualified_schema(&self) -> Result<String, ParseError> {
        let Some(path) = &self.search_path else {
            return Ok(self.options.default_schema.clone());
        };
        path.iter().find(|schema| *schema != "pg_catalog" && self.db.schemas.contains_key(*schema)).cloned().ok_or_else(
            || self.invalid("no schema to resolve an unqualified name in: search_path names no declared schema"),
        )
    }
}

fn parse_set(parser: &mut Parser) -> Result<(String, Vec<String>), ParserError> {
    parser.expect_keyword(Keyword::SET)?;
    let _ = parser.parse_one_of_keywords(&[Keyword::SESSION, Keyword::LOCAL]);
    let name = fold_parts(&parser.parse_object_name(false)?).join(".");
    if !parser.consume_token(&Token::Eq) {
        parser.expect_keyword(Keyword::TO)?;
    }
    let mut values = Vec::new();
    loop {
        let token = parser.next_token();
        values.push(match token.token {
            Token::Word(word) if word.quote_style.is_some() => word.value,
            Token::Word(word) => word.value.to_lowercase(),
            Token::SingleQuotedString(s) | Token::EscapedStringLiteral(s) => s,
            Token::Number(n, _) => n,
            Token::Minus => format!("-{}", parser.parse_number_value()?.value),
            _ => return parser.expected("a setting value", token),
        });
        if !parser.consume_token(&Token::Comma) {
            return Ok((name, values));
        }
    }
}

/// `SELECT f(arguments)` for `f` one of pg_dump's calls; `None` for any other `SELECT`.
fn parse_call(parser: &mut Parser) -> Result<Option<Call>, ParserError> {
    parser.expect_keyword(Keyword::SELECT)?;
    let function = fold_parts(&parser.parse_object_name(false)?);
    let name = match function.as_slice() {
        [name] | [_, name] if function.len() == 1 || function[0] == "pg_catalog" => name.clone(),
        _ => return Ok(None),
    };
    parser.expect_token(&Token::LParen)?;
    let first = super::tokens::parse_string(parser)?;
    parser.expect_token(&Token::Comma)?;
    let call = match name.as_str() {
        "set_config" => {
            let value = super::tokens::parse_string(parser)?;
            parser.expect_token(&Token::Comma)?;
            parser.parse_value()?;
            Call::SetConfig { name: first.to_ascii_lowercase(), value }
        }
        "setval" => {
            parser.parse_number_value()?;
            if parser.consume_token(&Token::Comma) {
                parser.parse_value()?;
            }
            Call::SetSequenceValue { sequence: first }
        }
        _ => return Ok(None),
    };
    parser.expect_token(&Token::RParen)?;
    Ok(Some(call))
}

/// A list setting's string as PostgreSQL splits it: comma-separated identifiers, folded unless quoted.
fn identifier_list(text: &str) -> Vec<String> {
    let Ok(tokens) = Tokenizer::new(&PostgreSqlDialect {}, text).tokenize() else {
        return vec![text.to_string()];
    };
    tokens
        .into_iter()
        .filter_map(|token| match token {
            Token::Word(word) if word.quote_style.is_some() => Some(word.value),
            Token::Word(word) => Some(word.value.to_lowercase()),
            _ => None,
        })
        .collect()
}
