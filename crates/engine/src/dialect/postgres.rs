//! PostgreSQL.

use super::{Live, Rules, connect_error};
use crate::leftovers::take_leftovers;
use crate::violations::{COUNT_TIMEOUT, annotate, count_query};
use crate::{DatabaseUrl, EngineError};
use driftless_apply::{ApplyOptions, ApplyReport};
use driftless_lint::Finding;
use driftless_model::{Change, DataType, Database, Dialect, Expr, QualifiedName};
use driftless_parse::canon;
use driftless_plan::Plan;
use sqlx::{Connection, PgConnection};
use std::collections::BTreeMap;
use std::time::Duration;

pub struct Postgres;

/// Query parameters sqlx's PostgreSQL driver reads.
const PARAMETERS: &[&str] = &[
    "sslmode",
    "ssl-mode",
    "sslrootcert",
    "ssl-root-cert",
    "ssl-ca",
    "sslcert",
    "ssl-cert",
    "sslkey",
    "ssl-key",
    "statement-cache-capacity",
    "host",
    "hostaddr",
    "port",
    "dbname",
    "user",
    "password",
    "application_name",
    "options",
];

impl Rules for Postgres {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn quote_ident(&self, name: &str) -> String {
        driftless_model::quote_ident(name)
    }

    fn quote_table(&self, table: &QualifiedName) -> String {
        table.quoted()
    }

    fn is_system_schema(&self, schema: &str) -> bool {
        // PostgreSQL reserves every `pg_` name: pg_catalog, pg_toast, pg_temp_N, pg_toast_temp_N
        schema.starts_with("pg_") || schema == "information_schema"
    }

    fn one_schema_per_connection(&self) -> bool {
        false
    }

    fn reads_url_parameter(&self, key: &str) -> bool {
        PARAMETERS.contains(&key) || key.starts_with("options[")
    }

    fn url_parameter_values(&self, key: &str) -> Option<&'static [&'static str]> {
        match key {
            "sslmode" | "ssl-mode" => Some(&["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]),
            _ => None,
        }
    }

    fn password_in_query_is_ignored(&self) -> bool {
        false
    }

    fn cast_for_count(&self, expr: String, to: &str) -> String {
        format!("{expr}::{to}")
    }

    fn as_bigint(&self, expr: &str) -> String {
        format!("{expr}::bigint")
    }

    fn char_length(&self) -> &'static str {
        "length"
    }

    fn refuse_unprintable(&self, _sql: &str) -> Result<(), driftless_parse::ParseError> {
        Ok(())
    }
}

pub struct PostgresLive {
    conn: PgConnection,
    default_schema: String,
}

impl PostgresLive {
    pub async fn connect(url: &DatabaseUrl) -> Result<Self, EngineError> {
        let mut conn = PgConnection::connect(url.expose()).await.map_err(connect_error(url))?;
        let default_schema: Option<String> = sqlx::query_scalar("SELECT current_schema()").fetch_one(&mut conn).await?;
        let default_schema = default_schema.ok_or_else(|| {
            EngineError::Unsupported("the connection has no current schema: set search_path for the user".into())
        })?;
        Ok(PostgresLive { conn, default_schema })
    }
}

#[async_trait::async_trait]
impl Live for PostgresLive {
    fn rules(&self) -> &'static dyn Rules {
        &Postgres
    }

    fn default_schema(&self) -> &str {
        &self.default_schema
    }

    async fn inspect(&mut self, schemas: &[String]) -> Result<Database, EngineError> {
        let schemas = if schemas.is_empty() { vec![self.default_schema.clone()] } else { schemas.to_vec() };
        Ok(driftless_inspect::inspect_postgres(&mut self.conn, &schemas, &self.default_schema).await?)
    }

    async fn prepare(
        &mut self,
        current: &mut Database,
        desired: &mut Database,
        managed: &[String],
    ) -> Result<Vec<Change>, EngineError> {
        store_literal_defaults(&mut self.conn, desired).await?;
        store_literal_bounds(&mut self.conn, desired).await?;
        let leftovers = driftless_inspect::leftovers_postgres(&mut self.conn, managed).await?;
        Ok(take_leftovers(current, &leftovers))
    }

    /// Each count runs in a read-only transaction bounded by [`COUNT_TIMEOUT`].
    async fn count(&mut self, findings: &mut [Finding]) {
        for finding in findings {
            let Some(check) = &finding.row_check else { continue };
            let result = count(&mut self.conn, &count_query(check, &Postgres)).await;
            annotate(finding, result);
        }
    }

    async fn lock(&mut self, wait: Duration) -> Result<(), EngineError> {
        Ok(driftless_apply::acquire_schema_lock(&mut self.conn, wait).await?)
    }

    async fn unlock(&mut self, _commit: bool) -> Result<(), EngineError> {
        driftless_apply::release_schema_lock(&mut self.conn).await;
        Ok(())
    }

    async fn execute(&mut self, plan: &Plan, options: &ApplyOptions) -> Result<ApplyReport, EngineError> {
        Ok(driftless_apply::execute_postgres(&mut self.conn, plan, options).await?)
    }
}

/// Gives the desired defaults that are string literals of a non-string type (`'2024-01-02 03:04:00'` on a
/// `timestamptz` column) the form the server stores them in, so that they compare equal to the live ones.
/// One query per type.
async fn store_literal_defaults(conn: &mut PgConnection, desired: &mut Database) -> Result<(), EngineError> {
    let mut by_type: BTreeMap<String, Vec<(String, &mut Expr)>> = BTreeMap::new();
    for schema in desired.schemas.values_mut() {
        let columns = schema.tables.values_mut().flat_map(|table| &mut table.columns);
        let column_defaults = columns.filter_map(|column| Some((&column.data_type, column.default.as_deref_mut()?)));
        let domain_defaults =
            schema.domains.values_mut().filter_map(|domain| Some((&domain.data_type, domain.default.as_mut()?)));
        for (data_type, default) in column_defaults.chain(domain_defaults) {
            let Some(value) = canon::string_literal(&default.sql) else { continue };
            if stored_in_output_form(data_type) {
                by_type.entry(unmodified(data_type)).or_default().push((value, default));
            }
        }
    }
    for (data_type, defaults) in by_type {
        let values: Vec<String> = defaults.iter().map(|(value, _)| value.clone()).collect();
        let forms = driftless_inspect::literal_output_forms(conn, &data_type, &values).await?;
        for ((_, default), form) in defaults.into_iter().zip(forms) {
            if let Some(form) = form {
                default.canonical = canon::string_literal_expr(&form, &data_type).into();
            }
        }
    }
    Ok(())
}

/// The type a literal default is stored in: PostgreSQL reads the literal without the column's modifiers
/// and applies them apart (`numeric(8,2) default '1.5'` stores `1.5`).
fn unmodified(data_type: &DataType) -> String {
    let brackets = if data_type.is_array() { "[]" } else { "" };
    format!("{}{brackets}", data_type.base_name())
}

/// Gives the quoted literals of desired partition bounds the form the server prints them in
/// (`'2022-04-01 01:00:00+01'` on a `timestamptz` key is `'2022-04-01 00:00:00+00'` in a UTC session), as
/// for defaults. One query per key column type.
async fn store_literal_bounds(conn: &mut PgConnection, desired: &mut Database) -> Result<(), EngineError> {
    let mut key_types: BTreeMap<QualifiedName, Vec<DataType>> = BTreeMap::new();
    let mut values: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for table in desired.schemas.values().flat_map(|schema| schema.tables.values()) {
        let Some(of) = &table.partition_of else { continue };
        let types = partition_key_types(desired, &of.parent);
        of.map_bound_literals(|position, literal| {
            if let Some(data_type) = types.get(position).filter(|t| stored_in_output_form(t)) {
                values.entry(data_type.to_string()).or_default().push(literal.to_string());
            }
            None
        });
        key_types.insert(table.name.clone(), types);
    }
    let mut forms: BTreeMap<(String, String), String> = BTreeMap::new();
    for (data_type, literals) in values {
        let printed = driftless_inspect::literal_output_forms(conn, &data_type, &literals).await?;
        for (literal, form) in literals.into_iter().zip(printed) {
            if let Some(form) = form {
                forms.insert((data_type.clone(), literal), form);
            }
        }
    }
    for (name, types) in key_types {
        let Some(table) = desired.table_mut(&name) else { continue };
        let Some(of) = &mut table.partition_of else { continue };
        of.bound = of.map_bound_literals(|position, literal| {
            forms.get(&(types.get(position)?.to_string(), literal.to_string())).cloned()
        });
    }
    Ok(())
}

/// The types of a partitioned table's key columns, from the table up its parents that holds the columns (a
/// partition's columns are its parent's).
fn partition_key_types(desired: &Database, parent: &QualifiedName) -> Vec<DataType> {
    let Some(key) = desired.table(parent).and_then(|t| t.partition_key.as_deref()) else { return Vec::new() };
    let mut holder = desired.table(parent);
    let mut hops = 0;
    while let Some(of) = holder.and_then(|t| t.partition_of.as_ref()).filter(|_| hops < 64) {
        holder = desired.table(&of.parent);
        hops += 1;
    }
    driftless_model::partition_key_columns(key)
        .iter()
        .map(|column| holder.and_then(|t| t.column(column)).map_or_else(DataType::default, |c| c.data_type.clone()))
        .collect()
}

/// A built-in type whose output form may differ from the text written; only such a name is written into
/// the query that asks for it. A string type's value is its text.
fn stored_in_output_form(data_type: &DataType) -> bool {
    let printable = data_type.as_str().chars().all(|c| c.is_ascii_alphanumeric() || " (),[]".contains(c));
    printable && data_type.is_postgres_builtin() && !data_type.is_postgres_string()
}

async fn count(conn: &mut PgConnection, sql: &str) -> Result<u64, sqlx::Error> {
    let mut tx = conn.begin_with("begin read only").await?;
    sqlx::query("select set_config('statement_timeout', $1, true)")
        .bind(format!("{}ms", COUNT_TIMEOUT.as_millis()))
        .execute(&mut *tx)
        .await?;
    // Identifiers are quoted; a partial index's predicate is the desired schema's own SQL, run read-only.
    let rows: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string())).fetch_one(&mut *tx).await?;
    tx.rollback().await?;
    Ok(rows.max(0) as u64)
}
