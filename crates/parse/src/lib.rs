//! Turns desired-schema SQL into the model, normalized the way the database stores it, with no database.
//!
//! - [`split`]: splits a file into statements with their line numbers (dollar quotes, comments, strings).
//! - [`parse_schema`]: parses every statement with sqlparser and builds a [`Database`].
//! - [`canon`]: canonical forms of expressions and queries, used by both sides of a diff.
//!
//! The normal forms are specified in `docs/normalization.md`.

mod build;
pub mod canon;
mod depth;
mod directive;
mod hints;
mod ident;
mod literals;
pub mod mysql;
mod names;
mod split;
mod sqlite;
mod types;

pub use depth::MAX_DEPTH;
pub use split::{SourceComment, SourceStatement, split, split_with_comments};

use driftless_model::{Database, Dialect, Hints};

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
/// MySQL models leave what the database's defaults decide (table collations) to
/// `driftless_model::mysql::resolve_inherited`.
pub fn parse_schema(sql: &str, options: &ParseOptions) -> Result<Database, ParseError> {
    Ok(parse_schema_with_hints(sql, options)?.database)
}

/// A desired schema and what its comments say beyond it (rename hints, lint suppressions).
#[derive(Debug, Clone)]
pub struct ParsedSchema {
    pub database: Database,
    pub hints: Hints,
    pub not_managed: NotManaged,
}

/// Statements the desired SQL holds that are accepted and change nothing the model holds (a pg_dump writes
/// them), counted so that a plan can say what it leaves alone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NotManaged {
    /// `SELECT setval(...)`: a sequence's current value is data.
    pub sequence_values: usize,
    /// `ALTER ... OWNER TO`.
    pub ownership: usize,
    /// `COMMENT ON EXTENSION`: an extension's comment comes with the extension.
    pub extension_comments: usize,
    /// `GRANT`, `REVOKE`, `ALTER DEFAULT PRIVILEGES`.
    pub privileges: usize,
    /// MySQL install scripts' `SELECT 'text' AS INFO` and `FLUSH LOGS`: they print or touch the server's
    /// logs, not the schema.
    pub client_output: usize,
}

impl NotManaged {
    /// How many statements were not managed.
    pub fn total(&self) -> usize {
        self.sequence_values + self.ownership + self.extension_comments + self.privileges + self.client_output
    }

    /// `3 statements accepted and not managed: 2 OWNER TO, 1 setval`, or nothing when there are none.
    pub fn describe(&self) -> Option<String> {
        let total = self.total();
        if total == 0 {
            return None;
        }
        let parts: Vec<String> = [
            (self.ownership, "OWNER TO"),
            (self.privileges, "GRANT/REVOKE"),
            (self.sequence_values, "setval"),
            (self.extension_comments, "COMMENT ON EXTENSION"),
            (self.client_output, "SELECT/FLUSH"),
        ]
        .into_iter()
        .filter(|(count, _)| *count > 0)
        .map(|(count, statement)| format!("{count} {statement}"))
        .collect();
        let noun = if total == 1 { "statement" } else { "statements" };
        Some(format!("{total} {noun} accepted and not managed: {}", parts.join(", ")))
    }
}

/// Replaces each view's canonical query with `canonical(model, schema, view)`: read once the whole model is
/// known, as the server reads a view against the relations it names.
pub(crate) fn settle_view_queries(
    db: &mut driftless_model::Database,
    canonical: impl Fn(&driftless_model::Database, &str, &driftless_model::View) -> String,
) {
    let mut settled = Vec::new();
    for (schema_name, schema) in &db.schemas {
        for (name, view) in &schema.views {
            let query = canonical(db, schema_name, view);
            if query != view.query.canonical {
                settled.push((schema_name.clone(), name.clone(), query));
            }
        }
    }
    for (schema, name, query) in settled {
        if let Some(view) = db.schemas.get_mut(&schema).and_then(|s| s.views.get_mut(&name)) {
            view.query.canonical = query.into();
        }
    }
}

/// Parses a whole desired schema with its directives (`-- driftless:nolint`, `-- driftless:renamed`); see
/// `docs/lint.md`.
pub fn parse_schema_with_hints(sql: &str, options: &ParseOptions) -> Result<ParsedSchema, ParseError> {
    let (statements, comments) = split_with_comments(sql, options.dialect)?;
    refuse_nul(&statements, options.dialect)?;
    let mut parsed = match options.dialect {
        Dialect::Sqlite => sqlite::build(&statements, &comments, options)?,
        Dialect::Mysql => mysql::build(&statements, &comments, options)?,
        Dialect::Postgres => build::build(&statements, &comments, options)?,
    };
    parsed.database.shrink_to_fit();
    parsed.database.server.default_schema = options.default_schema.clone();
    Ok(parsed)
}

/// A NUL character inside a statement (a string or a routine body): PostgreSQL text cannot hold one, and
/// SQLite reads a statement only up to it. MySQL keeps it, as the value it is.
fn refuse_nul(statements: &[SourceStatement], dialect: Dialect) -> Result<(), ParseError> {
    if dialect == Dialect::Mysql {
        return Ok(());
    }
    match statements.iter().find_map(|statement| Some((statement, statement.sql.find('\0')?))) {
        Some((statement, at)) => Err(ParseError::Invalid {
            line: statement.line + statement.sql[..at].matches('\n').count(),
            excerpt: excerpt(&statement.sql),
            message: "a NUL character, which the database's text cannot hold".to_string(),
        }),
        None => Ok(()),
    }
}

/// Builds a model from the `CREATE` statements SQLite keeps in `sqlite_schema` (one text per object, in
/// creation order): the live side of a SQLite diff, normalized by the same rules as the desired side.
pub fn parse_sqlite_stored(texts: &[String]) -> Result<Database, ParseError> {
    let statements: Vec<SourceStatement> =
        texts.iter().map(|sql| SourceStatement { sql: sql.clone(), line: 1 }).collect();
    sqlite::build_stored(&statements)
}
