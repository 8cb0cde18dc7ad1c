//! PostgreSQL's rules for identifiers: folding, truncation and when printing needs quotes.

use crate::{ParseError, SourceStatement};
use driftless_model::CompactString;
use sqlparser::ast::{Ident, ObjectName, ObjectNamePart};
use sqlparser::tokenizer::{Token, TokenWithSpan};
use std::borrow::Cow;

pub use driftless_model::identifier::{MAX_IDENTIFIER_BYTES, truncate};

/// The name PostgreSQL stores for an identifier: unquoted ones folded to lower case (ASCII only, like
/// `downcase_identifier`), quoted ones as written; both truncated to 63 bytes.
pub fn fold(ident: &Ident) -> String {
    truncate(&fold_untruncated(ident), MAX_IDENTIFIER_BYTES).to_string()
}

/// [`fold`] without the truncation, for SQLite, which keeps names of any length.
pub fn fold_untruncated(ident: &Ident) -> String {
    if ident.quote_style.is_some() { ident.value.clone() } else { ident.value.to_ascii_lowercase() }
}

/// [`fold`], as the model holds column names.
pub fn fold_column(ident: &Ident) -> CompactString {
    fold(ident).into()
}

/// The identifier parts of an object name, folded.
pub fn fold_parts(name: &ObjectName) -> Vec<String> {
    fold_parts_with(name, fold)
}

/// The identifier parts of an object name, each folded by `fold`.
pub fn fold_parts_with(name: &ObjectName, fold: fn(&Ident) -> String) -> Vec<String> {
    name.0
        .iter()
        .map(|part| match part {
            ObjectNamePart::Identifier(ident) => fold(ident),
            other => other.to_string(),
        })
        .collect()
}

/// The identifier as PostgreSQL's `quote_identifier` prints it (`driftless_model::quote_ident`'s rule, whose
/// keyword list is the one every PostgreSQL version from 12 to 17 quotes), borrowed when no quotes are needed.
pub fn quote_if_needed(name: &str) -> Cow<'_, str> {
    let quoted = driftless_model::quote_ident(name);
    if quoted == name { Cow::Borrowed(name) } else { Cow::Owned(quoted) }
}

/// A stored name as an sqlparser identifier that prints the way `quote_identifier` would.
pub fn printable(name: &str) -> Ident {
    match quote_if_needed(name) {
        Cow::Borrowed(_) => Ident::new(name),
        Cow::Owned(_) => Ident::with_quote('"', name),
    }
}

/// Refuses a quoted identifier whose name holds its quote character twice in a row or after a backslash.
/// sqlparser prints such a quote as written, taking it for an escape, so the statement would not print back
/// as the name it declares.
pub(crate) fn refuse_unprintable_quotes(
    statement: &SourceStatement,
    tokens: &[TokenWithSpan],
) -> Result<(), ParseError> {
    for token in tokens {
        let Token::Word(word) = &token.token else { continue };
        let Some(quote) = word.quote_style.filter(|q| *q != '[') else { continue };
        let doubled = format!("{quote}{quote}");
        if word.value.contains(&doubled) || word.value.contains(&format!("\\{quote}")) {
            return Err(ParseError::Unsupported {
                line: statement.line + token.span.start.line.saturating_sub(1) as usize,
                excerpt: crate::excerpt(&statement.sql),
                message: format!(
                    "the name {quote}{}{quote} holds {doubled} or \\{quote}, which cannot be printed back exactly; rename it",
                    word.value.replace(quote, &doubled)
                ),
            });
        }
    }
    Ok(())
}

/// A name written as a string (`AS 'it''s'`, which MySQL and SQLite take) whose text holds two quotes in a
/// row or a quote after a backslash: [`refuse_unprintable_quotes`] for the names the parser makes of
/// strings, described for an error.
pub(crate) fn unprintable_string_name(statement: &sqlparser::ast::Statement) -> Option<String> {
    struct Find;
    impl sqlparser::ast::Visitor for Find {
        type Break = String;
        fn pre_visit_ident(&mut self, ident: &Ident) -> std::ops::ControlFlow<String> {
            match ident.quote_style {
                Some('\'') if ident.value.contains("''") || ident.value.contains("\\'") => {
                    std::ops::ControlFlow::Break(format!(
                        "the name '{}' holds '' or \\', which cannot be printed back exactly; rename it",
                        ident.value.replace('\'', "''")
                    ))
                }
                _ => std::ops::ControlFlow::Continue(()),
            }
        }
    }
    sqlparser::ast::Visit::visit(statement, &mut Find).break_value()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_and_quoting_follow_postgres() {
        assert_eq!(fold(&Ident::new("Users")), "users");
        assert_eq!(fold(&Ident::with_quote('"', "Users")), "Users");
        assert_eq!(fold(&Ident::new("É")), "É", "only ASCII letters fold");
        for (name, printed) in [
            ("users", "users"),
            ("Users", "\"Users\""),
            ("user", "\"user\""),
            ("name", "name"),
            ("char", "\"char\""),
            ("1a", "\"1a\""),
            ("a b", "\"a b\""),
            ("x\"; drop table y; --", "\"x\"\"; drop table y; --\""),
        ] {
            assert_eq!(quote_if_needed(name), printed);
        }
    }

    #[test]
    fn truncation_keeps_whole_characters() {
        let long = "é".repeat(40);
        let cut = truncate(&long, MAX_IDENTIFIER_BYTES);
        assert_eq!(cut.len(), 62);
        assert_eq!(truncate("short", MAX_IDENTIFIER_BYTES), "short");
    }
}
