//! Turns desired-schema SQL into the model, normalized the way the database stores it, with no database.
//!
//! - [`split`]: splits a file into statements with their line numbers (dollar quotes, comments, strings).
//! - [`parse_schema`]: parses every statement with sqlparser and builds a [`Database`].
//! - [`canon`]: canonical forms of expressions and queries, used by both sides of a diff.

pub mod canon;
mod split;

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

/// A problem in the desired SQL, located by line.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    #[error("line {line}: {message}")]
    Syntax { line: usize, message: String },
    #[error("line {line}: `{statement}` is not schema DDL; a desired schema holds only CREATE/ALTER/COMMENT statements")]
    NotDdl { line: usize, statement: String },
    #[error("line {line}: {message}")]
    Unsupported { line: usize, message: String },
    #[error("line {line}: {message}")]
    Invalid { line: usize, message: String },
}

/// Parses a whole desired schema. The default schema is always present in the result, even when empty.
pub fn parse_schema(sql: &str, options: &ParseOptions) -> Result<Database, ParseError> {
    let mut db = Database::new(options.dialect);
    db.schema_mut(&options.default_schema);
    for _statement in split(sql, options.dialect)? {
        // filled in by the parser implementation
    }
    Ok(db)
}
