//! `PRAGMA application_id = N` and `PRAGMA user_version = N`: header values an application reads to know
//! what a database file is and which of its own migrations ran. A schema file that sets them declares them
//! as much as its tables (a database built without them looks like another application's, or an old one's),
//! so they are part of the model. Every other pragma is refused: it changes how the connection or the file
//! behaves, not what the schema is.

use crate::build::tokens::offset_of;
use driftless_model::sqlite::HeaderValue;
use sqlparser::dialect::SQLiteDialect;
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::{Token, TokenWithSpan};

/// The header value the statement sets, and to what; `sql` is its text (a hexadecimal literal is told from
/// a blob by how it is written).
pub(super) fn header_value(tokens: Vec<TokenWithSpan>, sql: &str) -> Result<(HeaderValue, i64), String> {
    let dialect = SQLiteDialect {};
    let mut parser = crate::depth::parser(&dialect).with_tokens_with_locations(tokens);
    let syntax = |e: sqlparser::parser::ParserError| e.to_string();
    parser.expect_keyword(Keyword::PRAGMA).map_err(syntax)?;
    let mut name = parser.parse_object_name(false).map_err(syntax)?.0;
    let pragma = name.pop().and_then(|part| part.as_ident().map(|ident| ident.value.clone())).unwrap_or_default();
    if let Some(schema) = name.pop().and_then(|part| part.as_ident().map(|ident| ident.value.clone()))
        && !schema.eq_ignore_ascii_case("main")
    {
        return Err(format!("SQLite's schema is `main`; `{schema}` is not managed"));
    }
    let Some(header) = HeaderValue::from_pragma(&pragma) else {
        return Err(format!(
            "PRAGMA {pragma} is not part of a schema; only PRAGMA application_id and user_version are managed"
        ));
    };
    let parenthesized = parser.consume_token(&Token::LParen);
    if !parenthesized && !parser.consume_token(&Token::Eq) {
        return Err(format!("PRAGMA {pragma} reads the value; a schema sets it (`PRAGMA {pragma} = N`)"));
    }
    let negative = parser.consume_token(&Token::Minus);
    if !negative {
        let _ = parser.consume_token(&Token::Plus);
    }
    let literal = parser.next_token();
    let written = &sql[offset_of(sql, literal.span.start)..offset_of(sql, literal.span.end)];
    let magnitude = match written.strip_prefix("0x").or_else(|| written.strip_prefix("0X")) {
        Some(hex) => i64::from_str_radix(hex, 16).ok(),
        None => written.parse::<i64>().ok(),
    };
    let value = magnitude.map(|m| if negative { -m } else { m });
    // SQLite reads the value as a 32-bit integer and takes anything else as 0
    let Some(value) = value.filter(|v| i32::try_from(*v).is_ok()) else {
        return Err(format!("PRAGMA {pragma} takes a 32-bit integer, not `{written}`"));
    };
    if parenthesized && !parser.consume_token(&Token::RParen) {
        return Err(format!("PRAGMA {pragma}(N) needs its closing parenthesis"));
    }
    let _ = parser.consume_token(&Token::SemiColon);
    if parser.next_token().token != Token::EOF {
        return Err(format!("PRAGMA {pragma} = N ends after the value"));
    }
    Ok((header, value))
}
