//! Executes a plan against a live database.
//!
//! Two appliers never race: a database advisory lock is taken first (with backoff while another holds it;
//! SQLite: the write lock of `BEGIN IMMEDIATE`; MySQL: `GET_LOCK`, and every statement commits on its own).
//! Consecutive transactional statements run in one transaction, so a failure leaves the database as it was;
//! statements that cannot run in a transaction run alone, and a failure report says exactly which
//! statements were committed before it.

mod mysql;
mod postgres;
mod sqlite;

pub use mysql::{acquire_mysql_lock, execute_mysql, release_mysql_lock};
pub use postgres::{acquire_schema_lock, execute_postgres, release_schema_lock};
pub use sqlite::{SqliteWriteLock, begin_sqlite, end_sqlite, execute_sqlite};

use std::time::Duration;

#[derive(Debug, Clone)]
pub struct ApplyOptions {
    /// Longest wait for a table lock per statement (`lock_timeout`).
    pub lock_timeout: Duration,
    /// Longest run time per statement (`statement_timeout`); `None` for no limit.
    pub statement_timeout: Option<Duration>,
    /// Longest wait for another applier to release the schema lock.
    pub schema_lock_wait: Duration,
}

impl Default for ApplyOptions {
    fn default() -> Self {
        ApplyOptions {
            lock_timeout: Duration::from_secs(5),
            statement_timeout: None,
            schema_lock_wait: Duration::from_secs(60),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplyReport {
    pub statements_applied: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    #[error("another apply holds the schema lock on this database; gave up after {0:?}")]
    LockBusy(Duration),
    #[error(
        "statement {number} failed: {}\n  {sql}\n{}",
        describe_database_error(.source),
        applied_summary(.committed)
    )]
    Statement { number: usize, sql: String, committed: usize, source: sqlx::Error },
    /// The connection failed while `COMMIT` was in flight (or before its answer arrived): the server may have
    /// committed the transaction or rolled it back, and the client cannot tell which.
    #[error(
        "the connection was lost while committing statements {first}-{last}: {}\n\
         outcome unknown: the transaction may or may not have committed; re-run plan to see what is left to apply{}",
        describe_database_error(.source),
        committed_before(.committed)
    )]
    CommitUnknown { first: usize, last: usize, committed: usize, source: sqlx::Error },
    #[error(
        "the plan would leave {count} foreign key violation(s), e.g. {first}; nothing was applied: the database is as it was"
    )]
    ForeignKeyViolations { count: usize, first: String },
    #[error("database error: {}", describe_database_error(.0))]
    Database(#[from] sqlx::Error),
}

impl ApplyError {
    /// Statements that are committed in the database despite the failure.
    pub fn committed(&self) -> usize {
        match self {
            ApplyError::Statement { committed, .. } | ApplyError::CommitUnknown { committed, .. } => *committed,
            _ => 0,
        }
    }

    /// True when the client cannot know whether the last transaction committed: inspect again to find out.
    pub fn outcome_unknown(&self) -> bool {
        matches!(self, ApplyError::CommitUnknown { .. })
    }
}

/// The server's message with its SQLSTATE, detail and hint. sqlx's own text appends the line of PostgreSQL's
/// C source that raised the error, which readers mistake for a line of their SQL.
pub fn describe_database_error(error: &sqlx::Error) -> String {
    let Some(database_error) = error.as_database_error() else { return error.to_string() };
    let Some(pg) = database_error.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() else {
        return database_error.message().to_string();
    };
    let mut text = format!("{} (SQLSTATE {})", pg.message(), pg.code());
    if let Some(detail) = pg.detail() {
        text.push_str(&format!("; {detail}"));
    }
    if let Some(hint) = pg.hint() {
        text.push_str(&format!("; hint: {hint}"));
    }
    text
}

fn applied_summary(committed: &usize) -> String {
    match *committed {
        0 => "nothing was applied: the database is as it was".to_string(),
        1 => "statement 1 had been committed before it; the rest were rolled back or not run".to_string(),
        n => format!("statements 1-{n} had been committed before it; the rest were rolled back or not run"),
    }
}

fn committed_before(committed: &usize) -> String {
    match *committed {
        0 => String::new(),
        1 => " (statement 1 had been committed before that transaction)".to_string(),
        n => format!(" (statements 1-{n} had been committed before that transaction)"),
    }
}

/// True when an error says nothing came back from the server (the connection broke), as opposed to the
/// server answering with an error.
pub(crate) fn connection_lost(error: &sqlx::Error) -> bool {
    !matches!(error, sqlx::Error::Database(_))
}

/// Splits statement indexes into runs executed together: consecutive transactional statements form one
/// transaction of at most `per_transaction` statements; every non-transactional statement runs alone.
fn batches(transactional: &[bool], per_transaction: usize) -> Vec<(std::ops::Range<usize>, bool)> {
    let mut batches: Vec<(std::ops::Range<usize>, bool)> = Vec::new();
    for (index, &in_transaction) in transactional.iter().enumerate() {
        match batches.last_mut() {
            Some((range, true)) if in_transaction && range.len() < per_transaction => range.end = index + 1,
            _ => batches.push((index..index + 1, in_transaction)),
        }
    }
    batches
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transactional_runs_are_grouped_and_the_rest_run_alone() {
        assert_eq!(
            batches(&[true, true, false, false, true], usize::MAX),
            vec![(0..2, true), (2..3, false), (3..4, false), (4..5, true)]
        );
        assert!(batches(&[], usize::MAX).is_empty());
    }

    #[test]
    fn long_runs_are_split_into_bounded_transactions() {
        assert_eq!(
            batches(&[true, true, true, true, true, false, true], 2),
            vec![(0..2, true), (2..4, true), (4..5, true), (5..6, false), (6..7, true)]
        );
    }

    #[test]
    fn failure_messages_say_what_is_committed() {
        assert_eq!(applied_summary(&0), "nothing was applied: the database is as it was");
        assert!(applied_summary(&3).starts_with("statements 1-3 had been committed"));
        let unknown = ApplyError::CommitUnknown {
            first: 3,
            last: 5,
            committed: 2,
            source: sqlx::Error::Io(std::io::Error::from(std::io::ErrorKind::ConnectionReset)),
        };
        let text = unknown.to_string();
        assert!(text.contains("outcome unknown: the transaction may or may not have committed; re-run plan"), "{text}");
        assert!(text.contains("statements 3-5") && text.contains("statements 1-2 had been committed"), "{text}");
        assert!(!text.contains("nothing was applied"), "{text}");
        assert!(unknown.outcome_unknown());
        assert_eq!(unknown.committed(), 2);
    }
}
