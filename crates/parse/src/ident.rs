//! PostgreSQL's rules for identifiers: folding, truncation and when printing needs quotes.

use sqlparser::ast::{Ident, ObjectName, ObjectNamePart};
use std::borrow::Cow;

/// PostgreSQL keeps identifiers to `NAMEDATALEN - 1` bytes and truncates longer ones.
pub const MAX_IDENTIFIER_BYTES: usize = 63;

/// Keywords that `quote_identifier` quotes: every PostgreSQL 15 keyword that is not unreserved
/// (`pg_get_keywords()` with `catcode <> 'U'`). Sorted for binary search.
const NON_UNRESERVED_KEYWORDS: &[&str] = &[
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "between",
    "bigint",
    "binary",
    "bit",
    "boolean",
    "both",
    "case",
    "cast",
    "char",
    "character",
    "check",
    "coalesce",
    "collate",
    "collation",
    "column",
    "concurrently",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "dec",
    "decimal",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "exists",
    "extract",
    "false",
    "fetch",
    "float",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "grant",
    "greatest",
    "group",
    "grouping",
    "having",
    "ilike",
    "in",
    "initially",
    "inner",
    "inout",
    "int",
    "integer",
    "intersect",
    "interval",
    "into",
    "is",
    "isnull",
    "join",
    "lateral",
    "leading",
    "least",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "national",
    "natural",
    "nchar",
    "none",
    "normalize",
    "not",
    "notnull",
    "null",
    "nullif",
    "numeric",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "out",
    "outer",
    "overlaps",
    "overlay",
    "placing",
    "position",
    "precision",
    "primary",
    "real",
    "references",
    "returning",
    "right",
    "row",
    "select",
    "session_user",
    "setof",
    "similar",
    "smallint",
    "some",
    "substring",
    "symmetric",
    "table",
    "tablesample",
    "then",
    "time",
    "timestamp",
    "to",
    "trailing",
    "treat",
    "trim",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "values",
    "varchar",
    "variadic",
    "verbose",
    "when",
    "where",
    "window",
    "with",
    "xmlattributes",
    "xmlconcat",
    "xmlelement",
    "xmlexists",
    "xmlforest",
    "xmlnamespaces",
    "xmlparse",
    "xmlpi",
    "xmlroot",
    "xmlserialize",
    "xmltable",
];

/// The name PostgreSQL stores for an identifier: unquoted ones folded to lower case (ASCII only, like
/// `downcase_identifier`), quoted ones as written; both truncated to 63 bytes.
pub fn fold(ident: &Ident) -> String {
    let name = if ident.quote_style.is_some() { ident.value.clone() } else { ident.value.to_ascii_lowercase() };
    truncate(&name, MAX_IDENTIFIER_BYTES).to_string()
}

/// The identifier parts of an object name, folded.
pub fn fold_parts(name: &ObjectName) -> Vec<String> {
    name.0
        .iter()
        .map(|part| match part {
            ObjectNamePart::Identifier(ident) => fold(ident),
            other => other.to_string(),
        })
        .collect()
}

/// The longest prefix of `name` of at most `max_bytes` bytes that ends on a character boundary
/// (`pg_mbcliplen`).
pub fn truncate(name: &str, max_bytes: usize) -> &str {
    if name.len() <= max_bytes {
        return name;
    }
    let mut end = max_bytes;
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    &name[..end]
}

/// The identifier as PostgreSQL's `quote_identifier` prints it: bare when it is lower case letters, digits
/// and underscores, does not start with a digit and is not a keyword that needs quoting; quoted otherwise.
pub fn quote_if_needed(name: &str) -> Cow<'_, str> {
    let plain = name.bytes().next().is_some_and(|b| b.is_ascii_lowercase() || b == b'_')
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && NON_UNRESERVED_KEYWORDS.binary_search(&name).is_err();
    if plain { Cow::Borrowed(name) } else { Cow::Owned(driftless_model::quote_ident(name)) }
}

/// A stored name as an sqlparser identifier that prints the way `quote_identifier` would.
pub fn printable(name: &str) -> Ident {
    match quote_if_needed(name) {
        Cow::Borrowed(_) => Ident::new(name),
        Cow::Owned(_) => Ident::with_quote('"', name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_are_sorted_for_binary_search() {
        assert!(NON_UNRESERVED_KEYWORDS.windows(2).all(|w| w[0] < w[1]));
    }

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
