//! The dialect seam: what a dialect knows without I/O ([`Rules`]) and what a live connection to it does
//! ([`Live`]), one implementation of each per dialect. [`rules`] and [`connect`] are the engine's only
//! switches over the dialect; everything else asks the dialect it was given.

mod mysql;
mod postgres;
mod sqlite;

use crate::{DatabaseUrl, EngineError};
use driftless_apply::{ApplyOptions, ApplyReport};
use driftless_lint::Finding;
use driftless_model::{Change, Database, Dialect, QualifiedName};
use driftless_parse::ParseError;
use driftless_plan::Plan;
use std::time::Duration;

/// What a dialect knows without a connection: how it names things, which schemas are the server's, which
/// URL parameters its driver reads, how its counting queries are spelled.
pub trait Rules: Sync {
    fn dialect(&self) -> Dialect;

    fn quote_ident(&self, name: &str) -> String;

    /// A table's name as a statement writes it.
    fn quote_table(&self, table: &QualifiedName) -> String;

    /// True for a schema (database, on MySQL) that belongs to the server.
    fn is_system_schema(&self, schema: &str) -> bool;

    /// True when a connection reaches one schema only, so that a desired schema may not name another.
    fn one_schema_per_connection(&self) -> bool;

    /// Whether the driver reads the URL query parameter `key`; others are dropped before it sees them.
    fn reads_url_parameter(&self, key: &str) -> bool;

    /// The values a parameter with a fixed set of values takes, checked so that the driver never echoes a
    /// wrong value (which may be a password pasted in the wrong place) in an error.
    fn url_parameter_values(&self, key: &str) -> Option<&'static [&'static str]>;

    /// True when the driver ignores `?password=`, so that it must be moved into the URL's authority.
    fn password_in_query_is_ignored(&self) -> bool;

    /// `expr` as the type a counting query compares it as (`text`, `numeric`), where the dialect needs a cast.
    fn cast_for_count(&self, expr: String, to: &str) -> String;

    /// `expr` (a sum) as a 64-bit integer.
    fn as_bigint(&self, expr: &str) -> String;

    /// The function counting a string's characters.
    fn char_length(&self) -> &'static str;

    /// Refuses desired SQL that the server's catalog cannot print back as written, naming its line.
    fn refuse_unprintable(&self, sql: &str) -> Result<(), ParseError>;
}

/// The rules of a dialect.
pub fn rules(dialect: Dialect) -> &'static dyn Rules {
    match dialect {
        Dialect::Postgres => &postgres::Postgres,
        Dialect::Mysql => &mysql::Mysql,
        Dialect::Sqlite => &sqlite::Sqlite,
    }
}

/// An open connection to the database under management.
#[async_trait::async_trait]
pub trait Live: Send {
    fn rules(&self) -> &'static dyn Rules;

    /// The schema unqualified names land in.
    fn default_schema(&self) -> &str;

    /// The live schema of the given schemas (the default schema when empty).
    async fn inspect(&mut self, schemas: &[String]) -> Result<Database, EngineError>;

    /// Readies both models (already scoped to `managed`) for the diff, and returns the repairs to plan
    /// first: drops of what an interrupted plan left unfinished, already taken out of `current`.
    async fn prepare(
        &mut self,
        current: &mut Database,
        desired: &mut Database,
        managed: &[String],
    ) -> Result<Vec<Change>, EngineError>;

    /// Counts the rows each data-dependent finding is about; a count that fails is left out, never fatal.
    async fn count(&mut self, findings: &mut [Finding]);

    /// Takes the schema lock, waiting up to `wait` for another applier.
    async fn lock(&mut self, wait: Duration) -> Result<(), EngineError>;

    /// Releases the schema lock; `commit` says the plan ran in full (SQLite's lock is a transaction).
    async fn unlock(&mut self, commit: bool) -> Result<(), EngineError>;

    /// Runs a plan's statements; the caller holds the schema lock.
    async fn execute(&mut self, plan: &Plan, options: &ApplyOptions) -> Result<ApplyReport, EngineError>;
}

/// Connects to the database at `url`.
pub async fn connect(url: &DatabaseUrl) -> Result<Box<dyn Live>, EngineError> {
    Ok(match url.dialect() {
        Dialect::Postgres => Box::new(postgres::PostgresLive::connect(url).await?),
        Dialect::Mysql => Box::new(mysql::MysqlLive::connect(url).await?),
        Dialect::Sqlite => Box::new(sqlite::SqliteLive::connect(url).await?),
    })
}

/// The error for a connection that could not be opened, naming the URL without its secrets.
fn connect_error(url: &DatabaseUrl) -> impl Fn(sqlx::Error) -> EngineError + '_ {
    |source| EngineError::Connect { url: url.redacted(), source }
}
