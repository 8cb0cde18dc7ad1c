//! MySQL and MariaDB.

use super::{Live, Rules, connect_error};
use crate::violations::{COUNT_TIMEOUT, annotate, count_query};
use crate::{DatabaseUrl, EngineError};
use driftless_apply::{ApplyOptions, ApplyReport};
use driftless_lint::Finding;
use driftless_model::{Change, Database, Dialect, QualifiedName};
use driftless_plan::Plan;
use sqlx::mysql::MySqlConnectOptions;
use sqlx::{ConnectOptions, MySqlConnection};
use std::str::FromStr;
use std::time::Duration;

pub struct Mysql;

/// Query parameters sqlx's MySQL driver reads.
const PARAMETERS: &[&str] = &[
    "sslmode",
    "ssl-mode",
    "sslca",
    "ssl-ca",
    "charset",
    "collation",
    "sslcert",
    "ssl-cert",
    "sslkey",
    "ssl-key",
    "statement-cache-capacity",
    "socket",
    "timezone",
    "time-zone",
];

impl Rules for Mysql {
    fn dialect(&self) -> Dialect {
        Dialect::Mysql
    }

    fn quote_ident(&self, name: &str) -> String {
        driftless_model::mysql::quote_ident(name)
    }

    fn quote_table(&self, table: &QualifiedName) -> String {
        format!("{}.{}", self.quote_ident(&table.schema), self.quote_ident(&table.name))
    }

    fn is_system_schema(&self, schema: &str) -> bool {
        ["mysql", "sys", "performance_schema", "information_schema"]
            .iter()
            .any(|system| schema.eq_ignore_ascii_case(system))
    }

    /// A MySQL schema is a database: a connection manages the one in its URL.
    fn one_schema_per_connection(&self) -> bool {
        true
    }

    fn reads_url_parameter(&self, key: &str) -> bool {
        PARAMETERS.contains(&key)
    }

    fn url_parameter_values(&self, key: &str) -> Option<&'static [&'static str]> {
        match key {
            "sslmode" | "ssl-mode" => Some(&["disabled", "preferred", "required", "verify_ca", "verify_identity"]),
            _ => None,
        }
    }

    fn password_in_query_is_ignored(&self) -> bool {
        true
    }

    /// MySQL's functions take values of any type.
    fn cast_for_count(&self, expr: String, _to: &str) -> String {
        expr
    }

    /// A sum is a decimal on MySQL.
    fn as_bigint(&self, expr: &str) -> String {
        format!("cast({expr} as signed)")
    }

    /// `length()` counts bytes; a varchar's limit is in characters.
    fn char_length(&self) -> &'static str {
        "char_length"
    }

    fn refuse_unprintable(&self, sql: &str) -> Result<(), driftless_parse::ParseError> {
        driftless_parse::mysql::refuse_outside_utf8mb3(sql)
    }
}

pub struct MysqlLive {
    conn: MySqlConnection,
    /// For the second connection inspect reads large schemas with.
    options: MySqlConnectOptions,
    default_schema: String,
}

impl MysqlLive {
    pub async fn connect(url: &DatabaseUrl) -> Result<Self, EngineError> {
        // sqlx reads `mysql://` only; `mariadb://` is the same protocol
        let text = url.expose();
        let text = text.strip_prefix("mariadb://").map_or_else(|| text.to_string(), |rest| format!("mysql://{rest}"));
        let options = MySqlConnectOptions::from_str(&text).map_err(connect_error(url))?;
        let mut conn = options.connect().await.map_err(connect_error(url))?;
        let default_schema: Option<String> =
            sqlx::query_scalar("SELECT CAST(DATABASE() AS CHAR)").fetch_one(&mut conn).await?;
        let default_schema = default_schema.ok_or_else(|| {
            EngineError::Unsupported(format!("{}: name a database in the URL (mysql://host/DATABASE)", url.redacted()))
        })?;
        Ok(MysqlLive { conn, options, default_schema })
    }
}

#[async_trait::async_trait]
impl Live for MysqlLive {
    fn rules(&self) -> &'static dyn Rules {
        &Mysql
    }

    fn default_schema(&self) -> &str {
        &self.default_schema
    }

    async fn inspect(&mut self, schemas: &[String]) -> Result<Database, EngineError> {
        let schemas = if schemas.is_empty() { vec![self.default_schema.clone()] } else { schemas.to_vec() };
        Ok(driftless_inspect::inspect_mysql(&mut self.conn, Some(&self.options), &schemas).await?)
    }

    /// Tables the desired SQL gives no character set take the database's.
    async fn prepare(
        &mut self,
        current: &mut Database,
        desired: &mut Database,
        _managed: &[String],
    ) -> Result<Vec<Change>, EngineError> {
        let collation = driftless_inspect::mysql_database_collation(&mut self.conn, &self.default_schema).await?;
        driftless_model::mysql::resolve_inherited(desired, collation.as_deref().unwrap_or_default());
        let unplanned = driftless_model::mysql::unplanned_option_changes(current, desired);
        if !unplanned.is_empty() {
            return Err(EngineError::Unsupported(format!(
                "changing the engine, default collation, row format or partitioning of an existing MySQL table is \
                 not planned yet; change it by hand or keep the declared options as they are:\n  {}",
                unplanned.join("\n  ")
            )));
        }
        Ok(Vec::new())
    }

    /// Each count is bounded by MariaDB's `max_statement_time` (MySQL refuses that clause: the count is then
    /// left out, as any failed count is).
    async fn count(&mut self, findings: &mut [Finding]) {
        for finding in findings {
            let Some(check) = &finding.row_check else { continue };
            let sql = format!(
                "SET STATEMENT max_statement_time = {} FOR {}",
                COUNT_TIMEOUT.as_secs(),
                count_query(check, &Mysql)
            );
            let result = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql)).fetch_one(&mut self.conn).await;
            annotate(finding, result.map(|rows| rows.max(0) as u64));
        }
    }

    async fn lock(&mut self, wait: Duration) -> Result<(), EngineError> {
        Ok(driftless_apply::acquire_mysql_lock(&mut self.conn, wait).await?)
    }

    async fn unlock(&mut self, _commit: bool) -> Result<(), EngineError> {
        driftless_apply::release_mysql_lock(&mut self.conn).await;
        Ok(())
    }

    async fn execute(&mut self, plan: &Plan, options: &ApplyOptions) -> Result<ApplyReport, EngineError> {
        Ok(driftless_apply::execute_mysql(&mut self.conn, plan, options).await?)
    }
}
