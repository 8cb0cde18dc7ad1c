use crate::{ApplyError, ApplyOptions, ApplyReport, batches, connection_lost};
use driftless_plan::Plan;
use sqlx::{Connection, Executor, PgConnection};
use std::time::{Duration, Instant};

/// Advisory lock key shared by every Driftless applier ("driftles" in ASCII). Advisory locks are per
/// database, so appliers of different databases on one server never wait for each other.
const ADVISORY_LOCK_KEY: i64 = 0x6472_6966_746c_6573;

/// Takes the schema lock, waiting with backoff while another applier holds it. Hold it from the inspect that
/// a plan is computed from until the plan is applied, so the plan cannot go stale in between.
pub async fn acquire_schema_lock(conn: &mut PgConnection, max_wait: Duration) -> Result<(), ApplyError> {
    let started = Instant::now();
    let mut delay = Duration::from_millis(50);
    loop {
        let locked: bool =
            sqlx::query_scalar("SELECT pg_try_advisory_lock($1)").bind(ADVISORY_LOCK_KEY).fetch_one(&mut *conn).await?;
        if locked {
            return Ok(());
        }
        if started.elapsed() >= max_wait {
            return Err(ApplyError::LockBusy(max_wait));
        }
        tracing::info!(
            waited_ms = started.elapsed().as_millis() as u64,
            "another apply holds the schema lock; waiting"
        );
        tokio::time::sleep(delay.min(max_wait.saturating_sub(started.elapsed()))).await;
        delay = (delay * 2).min(Duration::from_secs(2));
    }
}

/// Releases the schema lock. A failure only means the connection is gone, which releases a session lock too.
pub async fn release_schema_lock(conn: &mut PgConnection) {
    let _ = sqlx::query("SELECT pg_advisory_unlock($1)").bind(ADVISORY_LOCK_KEY).execute(&mut *conn).await;
}

/// Executes a plan's statements with `lock_timeout`, `statement_timeout` and `standard_conforming_strings`
/// set; the caller holds the schema lock.
pub async fn execute_postgres(
    conn: &mut PgConnection,
    plan: &Plan,
    options: &ApplyOptions,
) -> Result<ApplyReport, ApplyError> {
    set_session_settings(conn, options).await?;
    let transactional: Vec<bool> = plan.statements.iter().map(|s| s.transactional).collect();
    let per_transaction = statements_per_transaction(conn).await?;
    let batches = batches(&transactional, per_transaction);
    if batches.iter().any(|(range, in_transaction)| *in_transaction && range.len() == per_transaction) {
        tracing::warn!(
            per_transaction,
            "the plan takes more locks than the server's lock table leaves room for: it runs in transactions of \
             at most {per_transaction} statements, and a failure leaves the earlier ones committed (plan again to \
             see what is left); raise max_locks_per_transaction to run it in one"
        );
    }
    let mut committed = 0;
    for (range, in_transaction) in batches {
        let statements = &plan.statements[range.clone()];
        let failed = |offset: usize, source: sqlx::Error| ApplyError::Statement {
            number: range.start + offset + 1,
            sql: statements[offset].sql.clone(),
            committed,
            source,
        };
        if in_transaction {
            let mut tx = conn.begin().await?;
            for (offset, statement) in statements.iter().enumerate() {
                tracing::debug!(sql = %statement.sql, "executing");
                if let Err(source) = tx.execute(plan_sql(&statement.sql)).await {
                    // Dropping the transaction rolls it back.
                    return Err(failed(offset, source));
                }
            }
            if let Err(source) = tx.commit().await {
                // The server answered COMMIT with an error: the transaction is rolled back. No answer at all
                // (the connection broke): it may have committed, and only a new inspect can tell.
                if connection_lost(&source) {
                    return Err(ApplyError::CommitUnknown {
                        first: range.start + 1,
                        last: range.end,
                        committed,
                        source,
                    });
                }
                return Err(failed(statements.len() - 1, source));
            }
        } else {
            tracing::debug!(sql = %statements[0].sql, "executing outside a transaction");
            conn.execute(plan_sql(&statements[0].sql)).await.map_err(|source| failed(0, source))?;
        }
        committed = range.end;
    }
    Ok(ApplyReport { statements_applied: committed })
}

/// Locks one statement is counted to take until its transaction ends: the relation, an index, a TOAST table
/// and its index.
const LOCKS_PER_STATEMENT: i64 = 4;

/// The most statements one transaction may run: the shared lock table holds `max_locks_per_transaction ×
/// (max_connections + max_prepared_transactions)` locks, and a transaction holding more than half of them
/// starves other sessions before it runs out ("out of shared memory" at statement 3,100 of a 5,000-table
/// first apply on a default server).
async fn statements_per_transaction(conn: &mut PgConnection) -> Result<usize, ApplyError> {
    let slots: i64 = sqlx::query_scalar(
        "SELECT current_setting('max_locks_per_transaction')::bigint \
         * (current_setting('max_connections')::bigint + current_setting('max_prepared_transactions')::bigint)",
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok((slots / 2 / LOCKS_PER_STATEMENT).max(1) as usize)
}

/// Plan statements are rendered by `driftless-plan`, which quotes every identifier and literal it
/// interpolates; that is the audit sqlx asks for. Sent through the extended protocol (not as a simple query),
/// which takes exactly one statement: a text that held two would fail instead of running both.
fn plan_sql(sql: &str) -> sqlx::query::Query<'_, sqlx::Postgres, sqlx::postgres::PgArguments> {
    sqlx::query(sqlx::AssertSqlSafe(sql)).persistent(false)
}

async fn set_session_settings(conn: &mut PgConnection, options: &ApplyOptions) -> Result<(), ApplyError> {
    let statement_timeout = options.statement_timeout.map_or(0, |d| d.as_millis());
    // literals are rendered with only their quotes doubled, which is how PostgreSQL reads them while
    // standard_conforming_strings is on (a server or role may turn it off)
    sqlx::query(
        "SELECT set_config('lock_timeout', $1, false), set_config('statement_timeout', $2, false), \
         set_config('standard_conforming_strings', 'on', false)",
    )
    .bind(format!("{}ms", options.lock_timeout.as_millis()))
    .bind(format!("{statement_timeout}ms"))
    .execute(&mut *conn)
    .await?;
    Ok(())
}
