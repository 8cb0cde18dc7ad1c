//! SQLite.

use super::{Live, Rules, connect_error};
use crate::violations::{annotate, count_query};
use crate::{DatabaseUrl, EngineError};
use driftless_apply::{ApplyOptions, ApplyReport, SqliteWriteLock};
use driftless_lint::Finding;
use driftless_model::{Change, Database, Dialect, QualifiedName};
use driftless_plan::Plan;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, SqliteConnection};
use std::str::FromStr;
use std::time::Duration;

pub struct Sqlite;

impl Rules for Sqlite {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn quote_ident(&self, name: &str) -> String {
        driftless_model::quote_ident(name)
    }

    fn quote_table(&self, table: &QualifiedName) -> String {
        table.quoted()
    }

    fn is_system_schema(&self, _schema: &str) -> bool {
        false
    }

    fn one_schema_per_connection(&self) -> bool {
        false
    }

    fn reads_url_parameter(&self, key: &str) -> bool {
        ["mode", "cache", "immutable", "vfs"].contains(&key)
    }

    fn url_parameter_values(&self, key: &str) -> Option<&'static [&'static str]> {
        match key {
            "mode" => Some(&["ro", "rw", "rwc", "memory"]),
            "cache" => Some(&["private", "shared"]),
            "immutable" => Some(&["true", "false", "1", "0"]),
            _ => None,
        }
    }

    fn password_in_query_is_ignored(&self) -> bool {
        false
    }

    /// SQLite's functions take values of any type.
    fn cast_for_count(&self, expr: String, _to: &str) -> String {
        expr
    }

    /// A sum of integers is an integer.
    fn as_bigint(&self, expr: &str) -> String {
        expr.to_string()
    }

    fn char_length(&self) -> &'static str {
        "length"
    }

    fn refuse_unprintable(&self, _sql: &str) -> Result<(), driftless_parse::ParseError> {
        Ok(())
    }
}

pub struct SqliteLive {
    conn: SqliteConnection,
    /// The write transaction an apply holds, with what to restore when it ends.
    lock: Option<SqliteWriteLock>,
}

impl SqliteLive {
    pub async fn connect(url: &DatabaseUrl) -> Result<Self, EngineError> {
        // a missing file is a new, empty database: the quick start needs no set-up
        let options = SqliteConnectOptions::from_str(url.expose()).map_err(connect_error(url))?.create_if_missing(true);
        let conn = options.connect().await.map_err(connect_error(url))?;
        Ok(SqliteLive { conn, lock: None })
    }
}

#[async_trait::async_trait]
impl Live for SqliteLive {
    fn rules(&self) -> &'static dyn Rules {
        &Sqlite
    }

    fn default_schema(&self) -> &str {
        Dialect::Sqlite.default_schema()
    }

    /// SQLite has one schema.
    async fn inspect(&mut self, _schemas: &[String]) -> Result<Database, EngineError> {
        Ok(driftless_inspect::inspect_sqlite(&mut self.conn).await?)
    }

    /// No online plans leave anything behind on SQLite.
    async fn prepare(
        &mut self,
        _current: &mut Database,
        _desired: &mut Database,
        _managed: &[String],
    ) -> Result<Vec<Change>, EngineError> {
        Ok(Vec::new())
    }

    /// Counts run inside the apply's `BEGIN IMMEDIATE` when there is one: they only read, and SQLite has no
    /// statement timeout to bound them.
    async fn count(&mut self, findings: &mut [Finding]) {
        for finding in findings {
            let Some(check) = &finding.row_check else { continue };
            let sql = count_query(check, &Sqlite);
            let result = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql)).fetch_one(&mut self.conn).await;
            annotate(finding, result.map(|rows| rows.max(0) as u64));
        }
    }

    /// SQLite's write lock: one `BEGIN IMMEDIATE` transaction around the plan and its statements.
    async fn lock(&mut self, wait: Duration) -> Result<(), EngineError> {
        self.lock = Some(driftless_apply::begin_sqlite(&mut self.conn, wait).await?);
        Ok(())
    }

    /// Commits only when the plan ran in full.
    async fn unlock(&mut self, commit: bool) -> Result<(), EngineError> {
        match self.lock.take() {
            Some(lock) => Ok(driftless_apply::end_sqlite(&mut self.conn, lock, commit).await?),
            None => Ok(()),
        }
    }

    async fn execute(&mut self, plan: &Plan, _options: &ApplyOptions) -> Result<ApplyReport, EngineError> {
        Ok(driftless_apply::execute_sqlite(&mut self.conn, plan).await?)
    }
}
