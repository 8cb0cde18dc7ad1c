//! MySQL and MariaDB: DDL is not transactional (every `ALTER`/`CREATE` commits on its own), so the plan runs
//! statement by statement under a named lock (`GET_LOCK`, held by the session until released, so two
//! appliers never race), with `lock_wait_timeout` from the apply options bounding each statement's wait for
//! metadata locks (and, on MariaDB, `max_statement_time` its run time). A failure names the statement and the server's error and says which statements before
//! it are committed; the next plan starts from there, so a re-run converges.

use crate::{ApplyError, ApplyOptions, ApplyReport};
use driftless_plan::Plan;
use sqlx::{Executor, MySqlConnection};
use std::time::Duration;

/// The lock's name: one per database, so appliers of different databases on one server do not wait for
/// each other.
const LOCK_NAME: &str = "CONCAT('driftless:', DATABASE())";

/// Takes the schema lock, waiting up to `max_wait` for another applier.
pub async fn acquire_mysql_lock(conn: &mut MySqlConnection, max_wait: Duration) -> Result<(), ApplyError> {
    let acquired: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT GET_LOCK({LOCK_NAME}, ?)")))
        .bind(max_wait.as_secs_f64())
        .fetch_one(&mut *conn)
        .await?;
    if acquired == Some(1) { Ok(()) } else { Err(ApplyError::LockBusy(max_wait)) }
}

/// Releases the schema lock. A failure means the connection is gone, and the lock with it.
pub async fn release_mysql_lock(conn: &mut MySqlConnection) {
    let _ = conn.execute(sqlx::raw_sql(sqlx::AssertSqlSafe(format!("DO RELEASE_LOCK({LOCK_NAME})")))).await;
}

/// Runs the plan's statements one by one (the caller holds the schema lock).
pub async fn execute_mysql(
    conn: &mut MySqlConnection,
    plan: &Plan,
    options: &ApplyOptions,
) -> Result<ApplyReport, ApplyError> {
    // whole seconds, at least one: the server's unit
    let lock_wait = options.lock_timeout.as_secs().max(1);
    conn.execute(sqlx::raw_sql(sqlx::AssertSqlSafe(format!("SET SESSION lock_wait_timeout = {lock_wait}")))).await?;
    if let Some(timeout) = options.statement_timeout {
        // MariaDB bounds every statement (`max_statement_time`, seconds); MySQL's `max_execution_time` bounds
        // SELECTs only, so on MySQL there is no bound for DDL
        let version: String = sqlx::query_scalar("SELECT CAST(VERSION() AS CHAR)").fetch_one(&mut *conn).await?;
        if version.contains("MariaDB") {
            let seconds = timeout.as_secs_f64();
            conn.execute(sqlx::raw_sql(sqlx::AssertSqlSafe(format!("SET SESSION max_statement_time = {seconds}"))))
                .await?;
        }
    }
    for (index, statement) in plan.statements.iter().enumerate() {
        tracing::debug!(sql = %statement.sql, "executing");
        conn.execute(sqlx::raw_sql(sqlx::AssertSqlSafe(statement.sql.as_str()))).await.map_err(|source| {
            ApplyError::Statement { number: index + 1, sql: statement.sql.clone(), committed: index, source }
        })?;
    }
    Ok(ApplyReport { statements_applied: plan.statements.len() })
}
