//! SQLite: the whole apply (inspect, plan and statements) runs in one `BEGIN IMMEDIATE` transaction, which
//! takes SQLite's write lock at once: a second applier waits (`busy_timeout`) and then fails, the way the
//! PostgreSQL advisory lock makes it wait. Foreign keys are off during the transaction, because a table
//! rebuild drops and recreates tables that others reference (`PRAGMA foreign_keys` cannot change inside a
//! transaction, so it is set before `BEGIN`); `PRAGMA foreign_key_check` runs before `COMMIT`, and any
//! violation rolls everything back. `legacy_alter_table` is on too: otherwise the rebuild's final `RENAME`
//! re-checks every view, and a view over the table being rebuilt names a table that is gone at that moment
//! ("error in view v: no such table"). Plans never rename tables otherwise, so nothing relies on the
//! rewriting of references that the modern `RENAME` does.

use crate::{ApplyError, ApplyReport};
use driftless_plan::Plan;
use sqlx::{Executor, SqliteConnection};
use std::time::Duration;

/// An open write transaction, and the foreign-key setting to restore when it ends.
pub struct SqliteWriteLock {
    foreign_keys: bool,
}

/// Turns foreign keys off and begins the write transaction, waiting up to `max_wait` for another writer.
pub async fn begin_sqlite(conn: &mut SqliteConnection, max_wait: Duration) -> Result<SqliteWriteLock, ApplyError> {
    let foreign_keys: bool = sqlx::query_scalar("PRAGMA foreign_keys").fetch_one(&mut *conn).await?;
    conn.execute(sqlx::raw_sql(sqlx::AssertSqlSafe(format!("PRAGMA busy_timeout = {}", max_wait.as_millis())))).await?;
    conn.execute("PRAGMA foreign_keys = OFF").await?;
    conn.execute("PRAGMA legacy_alter_table = ON").await?;
    if let Err(error) = conn.execute("BEGIN IMMEDIATE").await {
        restore_foreign_keys(conn, foreign_keys).await;
        return Err(match error.as_database_error().and_then(|e| e.code()) {
            Some(code) if code == "5" => ApplyError::LockBusy(max_wait),
            _ => ApplyError::Database(error),
        });
    }
    Ok(SqliteWriteLock { foreign_keys })
}

/// Ends the write transaction (committing only when asked) and restores the foreign-key setting.
pub async fn end_sqlite(conn: &mut SqliteConnection, lock: SqliteWriteLock, commit: bool) -> Result<(), ApplyError> {
    let result = if commit { conn.execute("COMMIT").await } else { conn.execute("ROLLBACK").await };
    if result.is_err() && commit {
        let _ = conn.execute("ROLLBACK").await;
    }
    restore_foreign_keys(conn, lock.foreign_keys).await;
    result?;
    Ok(())
}

/// Restores the connection's settings: foreign keys as they were, the modern `ALTER TABLE ... RENAME`.
async fn restore_foreign_keys(conn: &mut SqliteConnection, on: bool) {
    let pragma = if on { "PRAGMA foreign_keys = ON" } else { "PRAGMA foreign_keys = OFF" };
    // a failure only means the connection is gone, and the settings with it
    let _ = conn.execute(pragma).await;
    let _ = conn.execute("PRAGMA legacy_alter_table = OFF").await;
}

/// Runs the plan's statements inside the write transaction, then checks every foreign key. The caller rolls
/// back on error (`end_sqlite`), so a failure leaves the database as it was.
pub async fn execute_sqlite(conn: &mut SqliteConnection, plan: &Plan) -> Result<ApplyReport, ApplyError> {
    for (index, statement) in plan.statements.iter().enumerate() {
        tracing::debug!(sql = %statement.sql, "executing");
        conn.execute(sqlx::raw_sql(sqlx::AssertSqlSafe(statement.sql.as_str()))).await.map_err(|source| {
            ApplyError::Statement { number: index + 1, sql: statement.sql.clone(), committed: 0, source }
        })?;
    }
    let violations: Vec<(String, Option<i64>, String)> =
        sqlx::query_as("SELECT \"table\", rowid, parent FROM pragma_foreign_key_check").fetch_all(&mut *conn).await?;
    if let Some((table, rowid, parent)) = violations.first() {
        let row = rowid.map_or_else(|| "a row".to_string(), |rowid| format!("row {rowid}"));
        return Err(ApplyError::ForeignKeyViolations {
            count: violations.len(),
            first: format!("{row} of {table} references a missing row of {parent}"),
        });
    }
    Ok(ApplyReport { statements_applied: plan.statements.len() })
}
