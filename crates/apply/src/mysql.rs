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
    read_literals_as_rendered(conn).await?;
    for (index, statement) in plan.statements.iter().enumerate() {
        tracing::debug!(sql = %statement.sql, "executing");
        // prepared, not sent as text: the server then takes exactly one statement (a text query may hold
        // several, and a literal the plan got wrong could end one and start another)
        sqlx::query(sqlx::AssertSqlSafe(statement.sql.as_str())).persistent(false).execute(&mut *conn).await.map_err(
            |source| ApplyError::Statement { number: index + 1, sql: statement.sql.clone(), committed: index, source },
        )?;
    }
    Ok(ApplyReport { statements_applied: plan.statements.len() })
}

/// Modes under which the server would read the plan's text other than as rendered: `NO_BACKSLASH_ESCAPES`
/// (a `\\` in a literal would be two characters) and `ANSI_QUOTES` (a `"` string would be a name).
const MODES_CHANGING_LITERALS: [&str; 2] = ["NO_BACKSLASH_ESCAPES", "ANSI_QUOTES"];

/// Turns off, for this session only, the `sql_mode` flags that change how literals read, so that every
/// statement means what the plan shows (the plan renders MySQL's default escaping).
async fn read_literals_as_rendered(conn: &mut MySqlConnection) -> Result<(), ApplyError> {
    let mode: String = sqlx::query_scalar("SELECT CAST(@@SESSION.sql_mode AS CHAR)").fetch_one(&mut *conn).await?;
    let kept = without_modes_changing_literals(&mode);
    if kept != mode {
        sqlx::query("SET SESSION sql_mode = ?").bind(kept).execute(&mut *conn).await?;
    }
    Ok(())
}

fn without_modes_changing_literals(mode: &str) -> String {
    mode.split(',')
        .filter(|flag| !flag.is_empty() && !MODES_CHANGING_LITERALS.contains(flag))
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_modes_changing_literals_are_dropped() {
        assert_eq!(
            without_modes_changing_literals(
                "NO_BACKSLASH_ESCAPES,STRICT_TRANS_TABLES,ANSI_QUOTES,NO_ENGINE_SUBSTITUTION"
            ),
            "STRICT_TRANS_TABLES,NO_ENGINE_SUBSTITUTION"
        );
        assert_eq!(without_modes_changing_literals(""), "");
    }
}
