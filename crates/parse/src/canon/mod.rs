//! Canonical forms of SQL expressions and queries.
//!
//! PostgreSQL rewrites what it stores: `price > 0` comes back as `(price > (0)::numeric)`, `x IN (1, 2)` as
//! `(x = ANY (ARRAY[1, 2]))`. Both the desired text and the text the database prints go through these
//! functions, and two expressions are equal when their canonical forms are. The forms are for comparison
//! only, never rendered into DDL. They never fail: text that does not parse is compared by its
//! whitespace-normalized form.
//!
//! Each function parses with sqlparser, rewrites the tree bottom-up (see [`rewrite`]), applies the
//! query-level rules (see [`select`]), re-adds the parentheses precedence needs (see [`parens`]) and prints.

mod interval;
mod parens;
mod rewrite;
mod select;
mod tree;

use sqlparser::ast::{Expr, Query, Statement};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::Token;
use tree::query_children;

pub(crate) use tree::{Child, expr_children};

pub(crate) use select::derived_name;

/// The canonical form of a scalar expression (a default, a check, an index key or predicate).
pub fn expr(sql: &str) -> String {
    match parse_expr(sql) {
        Some(mut parsed) => {
            normalize_expr(&mut parsed);
            parens::parenthesize_expr(&mut parsed);
            parsed.to_string()
        }
        None => collapse_whitespace(sql),
    }
}

/// The canonical form of a view's query.
pub fn query(sql: &str) -> String {
    match parse_query(sql) {
        Some(mut parsed) => {
            normalize_query(&mut parsed);
            parens::parenthesize_query(&mut parsed);
            parsed.to_string()
        }
        None => collapse_whitespace(sql),
    }
}

/// The expression in `sql` when the whole text is exactly one expression.
pub(crate) fn parse_expr(sql: &str) -> Option<Expr> {
    let mut parser = Parser::new(&PostgreSqlDialect {}).try_with_sql(sql).ok()?;
    let parsed = parser.parse_expr().ok()?;
    (parser.peek_token().token == Token::EOF).then_some(parsed)
}

fn parse_query(sql: &str) -> Option<Box<Query>> {
    let text = sql.trim().trim_end_matches(';');
    let mut statements = Parser::parse_sql(&PostgreSqlDialect {}, text).ok()?;
    match (statements.pop(), statements.is_empty()) {
        (Some(Statement::Query(query)), true) => Some(query),
        _ => None,
    }
}

fn normalize_expr(expr: &mut Expr) {
    for child in expr_children(expr) {
        match child {
            Child::Expr(e) => normalize_expr(e),
            Child::Query(q) => normalize_query(q),
        }
    }
    rewrite::rewrite(expr);
}

fn normalize_query(query: &mut Query) {
    // Aliases are judged on the expressions as written: `'a'::text AS text` names itself by its cast.
    select::drop_derived_aliases(query);
    for child in query_children(query) {
        match child {
            Child::Expr(e) => normalize_expr(e),
            Child::Query(q) => normalize_query(q),
        }
    }
    select::normalize_clauses(query);
}

fn collapse_whitespace(sql: &str) -> String {
    sql.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests;
