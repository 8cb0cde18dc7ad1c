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

    /// The name quoted for SQL, e.g. `public.users` or `public."Users"`.
    pub fn quoted(&self) -> String {
        format!("{}.{}", quote_ident(&self.schema), quote_ident(&self.name))
    }
}

impl fmt::Display for QualifiedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.schema, self.name)
    }
}

/// Quotes an identifier the way PostgreSQL's `quote_ident()` and `format_type` do: only when it would not
/// read back as itself unquoted (anything but `^[a-z_][a-z0-9_$]*$`, or a keyword that is not unreserved),
/// doubling embedded double quotes, so that any name round-trips safely and ordinary names stay readable.
pub fn quote_ident(name: &str) -> String {
    if is_plain_identifier(name) && POSTGRES_KEYWORDS_NEEDING_QUOTES.binary_search(&name).is_err() {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

/// Quotes a string literal with single quotes, doubling embedded quotes.
pub fn quote_literal(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

fn is_plain_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some('a'..='z' | '_')) && chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_' | '$'))
}

/// PostgreSQL keywords that are not `UNRESERVED_KEYWORD` (reserved, type/function-name and column-name
/// keywords, PostgreSQL 12–17). Quoting a column-name keyword is never wrong and keeps a name valid in every
/// position (a type or function name as well as a column). Sorted for binary search.
const POSTGRES_KEYWORDS_NEEDING_QUOTES: &[&str] = &[
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
    "json_array",
    "json_arrayagg",
    "json_exists",
    "json_object",
    "json_objectagg",
    "json_query",
    "json_scalar",
    "json_serialize",
    "json_table",
    "json_value",
    "lateral",
    "leading",
    "least",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "merge_action",
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
    "system_user",
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_names_are_quoted_safely() {
        assert_eq!(quote_ident(r#"x"; drop table y; --"#), r#""x""; drop table y; --""#);
        assert_eq!(quote_literal("it's"), "'it''s'");
        assert_eq!(QualifiedName::new("public", "Users").quoted(), r#"public."Users""#);
    }

    #[test]
    fn plain_names_stay_bare_and_keywords_are_quoted() {
        assert_eq!(quote_ident("users"), "users");
        assert_eq!(quote_ident("_tmp$1"), "_tmp$1");
        assert_eq!(quote_ident("user"), r#""user""#);
        assert_eq!(quote_ident("order"), r#""order""#);
        assert_eq!(quote_ident("name"), "name");
        assert_eq!(quote_ident("1abc"), r#""1abc""#);
        assert_eq!(quote_ident(""), r#""""#);
        assert_eq!(quote_ident("é"), r#""é""#);
    }

    #[test]
    fn keyword_list_is_sorted_for_binary_search() {
        assert!(POSTGRES_KEYWORDS_NEEDING_QUOTES.windows(2).all(|pair| pair[0] < pair[1]));
    }
}
