//! MySQL and MariaDB print their catalog (`information_schema`, `SHOW CREATE TABLE`) in `utf8mb3`, which has
//! no 4-byte characters: a default, a comment, an enum label or a view holding one (`😀`) is shown as `?`, so
//! its live value cannot be compared with the desired one and the plan would repeat it forever. Such a
//! character is refused with its line; comments of the SQL file may hold any.

use crate::ParseError;
use sqlparser::dialect::MySqlDialect;
use sqlparser::tokenizer::{Token, Tokenizer, Whitespace};

/// Refuses the first 4-byte character outside the comments of `sql`.
pub fn refuse_outside_utf8mb3(sql: &str) -> Result<(), ParseError> {
    if sql.chars().all(|c| c.len_utf8() < 4) {
        return Ok(());
    }
    let line = match Tokenizer::new(&MySqlDialect {}, sql).with_unescape(false).tokenize_with_location() {
        Ok(tokens) => tokens.iter().find_map(|token| {
            let comment = matches!(
                token.token,
                Token::Whitespace(Whitespace::SingleLineComment { .. } | Whitespace::MultiLineComment(_))
            );
            (!comment && token.token.to_string().chars().any(|c| c.len_utf8() == 4))
                .then_some(token.span.start.line as usize)
        }),
        // text that does not tokenize is refused by the parser, with its own line
        Err(_) => None,
    };
    let Some(line) = line else { return Ok(()) };
    let text = sql.lines().nth(line.saturating_sub(1)).unwrap_or_default();
    let character = text.chars().find(|c| c.len_utf8() == 4).unwrap_or('?');
    Err(ParseError::Invalid {
        line,
        excerpt: text.trim().chars().take(80).collect(),
        message: format!(
            "{character} (U+{:04X}) is a 4-byte character, which MySQL and MariaDB print as `?` in their catalog \
             (utf8mb3): Driftless could not compare it with the live schema; use a character of the Basic \
             Multilingual Plane (U+FFFF or below)",
            character as u32
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_four_byte_character_is_refused_outside_comments_only() {
        assert!(refuse_outside_utf8mb3("create table t (a text default 'é');").is_ok());
        assert!(refuse_outside_utf8mb3("-- 🚀 release\ncreate table t (a int); /* 😀 */").is_ok());
        let err = refuse_outside_utf8mb3("create table t (\n  a text comment 'x😀'\n);").unwrap_err();
        assert_eq!(err.line(), 2);
        assert!(err.to_string().contains("U+1F600"), "{err}");
    }
}
