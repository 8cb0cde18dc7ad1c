use serde::{Deserialize, Serialize};
use std::fmt;

/// A schema-qualified object name. Names are stored as the database keeps them (unquoted identifiers folded
/// to lower case by the parser), never quoted.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
pub struct QualifiedName {
    pub schema: String,
    pub name: String,
}

impl QualifiedName {
    pub fn new(schema: impl Into<String>, name: impl Into<String>) -> Self {
        QualifiedName { schema: schema.into(), name: name.into() }
    }

    /// The name quoted for SQL, e.g. `"public"."users"`.
    pub fn quoted(&self) -> String {
        format!("{}.{}", quote_ident(&self.schema), quote_ident(&self.name))
    }
}

impl fmt::Display for QualifiedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.schema, self.name)
    }
}

/// Quotes an identifier with double quotes, doubling embedded quotes, so that any name round-trips safely.
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Quotes a string literal with single quotes, doubling embedded quotes.
pub fn quote_literal(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_names_are_quoted_safely() {
        assert_eq!(quote_ident(r#"x"; drop table y; --"#), r#""x""; drop table y; --""#);
        assert_eq!(quote_literal("it's"), "'it''s'");
        assert_eq!(QualifiedName::new("public", "Users").quoted(), r#""public"."Users""#);
    }
}
