//! Turns desired-schema SQL into the model, normalized the way the database stores it, with no database.
//!
//! - [`split`]: splits a file into statements with their line numbers (dollar quotes, comments, strings).
//! - [`parse_schema`]: parses every statement with sqlparser and builds a [`Database`].
//! - [`canon`]: canonical forms of expressions and queries, used by both sides of a diff.
//!
//! The normal forms are specified in `docs/normalization.md`.

mod build;
pub mod canon;
mod ident;
mod names;
mod split;
mod types;

pub use split::{SourceStatement, split};

use driftless_model::{Database, Dialect};

/// How to read a desired schema.
#[derive(Debug, Clone)]
pub struct ParseOptions {
    pub dialect: Dialect,
    /// Where unqualified names land (PostgreSQL: the connection's current schema, usually `public`).
    pub default_schema: String,
}

impl ParseOptions {
    pub fn new(dialect: Dialect) -> Self {
        ParseOptions { dialect, default_schema: dialect.default_schema().to_string() }
    }
}

/// A problem in the desired SQL, located by the line its statement starts on (1-based) and a short excerpt
/// of the statement.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("line {line}: syntax error in `{excerpt}`: {message}")]
    Syntax { line: usize, excerpt: String, message: String },
    #[error(
        "line {line}: `{excerpt}` is not schema DDL; a desired schema holds only CREATE, ALTER and COMMENT statements"
    )]
    NotDdl { line: usize, excerpt: String },
    #[error("line {line}: `{excerpt}`: {message}")]
    Unsupported { line: usize, excerpt: String, message: String },
    #[error("line {line}: `{excerpt}`: {message}")]
    Invalid { line: usize, excerpt: String, message: String },
}

impl ParseError {
    /// The line of the statement the problem is in.
    pub fn line(&self) -> usize {
        match self {
            ParseError::Syntax { line, .. }
            | ParseError::NotDdl { line, .. }
            | ParseError::Unsupported { line, .. }
            | ParseError::Invalid { line, .. } => *line,
        }
    }
}

/// The first line of a statement, shortened, for error messages.
pub(crate) fn excerpt(sql: &str) -> String {
    const MAX_CHARS: usize = 60;
    let first_line = sql.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or_default();
    let shortened: String = first_line.chars().take(MAX_CHARS).collect();
    if shortened.len() < first_line.len() || sql.trim().lines().count() > 1 {
        format!("{}…", shortened.trim_end())
    } else {
        shortened
    }
}

/// Parses a whole desired schema. The default schema is always present in the result, even when empty.
///
/// Only PostgreSQL is read so far; for other dialects this refuses rather than build a model normalized by
/// PostgreSQL's rules.
pub fn parse_schema(sql: &str, options: &ParseOptions) -> Result<Database, ParseError> {
    let statements = split(sql, options.dialect)?;
    if options.dialect != Dialect::Postgres {
        let first = statements.first();
        return Err(ParseError::Unsupported {
            line: first.map_or(1, |s| s.line),
            excerpt: first.map(|s| excerpt(&s.sql)).unwrap_or_default(),
            message: format!("reading {:?} schemas is not supported yet; only PostgreSQL is", options.dialect),
        });
    }
    build::build(&statements, options)
}
