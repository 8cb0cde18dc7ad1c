//! Throwaway databases for integration tests.
//!
//! `TestDb::postgres().await` creates a database with a unique name on the server named by
//! `$DRIFTLESS_TEST_PG_URL` (default [`DEFAULT_PG_URL`], which `scripts/test-env` sets up) and drops it when the
//! `TestDb` is dropped, also when the test panics. A server that cannot be reached fails the test with a message
//! that says how to start one: integration tests never pass silently without their database.
//!
//! These helpers panic instead of returning errors: they only run inside tests, where a panic with a clear
//! message is the failure report.

use sqlx::{AssertSqlSafe, Connection, Executor, PgConnection};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};
use url::Url;

/// The environment variable naming the PostgreSQL server (any database on it) that tests create databases on.
pub const PG_URL_VAR: &str = "DRIFTLESS_TEST_PG_URL";

/// The server `scripts/test-env` starts.
pub const DEFAULT_PG_URL: &str = "postgres://postgres:postgres@127.0.0.1:5432/postgres";

/// Every test database's name starts with this, so leftovers of killed test runs are easy to find and drop.
pub const DATABASE_NAME_PREFIX: &str = "driftless_test_";

/// A database that exists for the lifetime of this value.
#[derive(Debug)]
pub struct TestDb {
    name: String,
    /// Connection URL of the test database itself.
    url: Url,
    /// Connection URL of the database the server URL named, used to create and drop the test database
    /// (a database cannot drop itself).
    admin_url: Url,
}

impl TestDb {
    /// Creates a fresh, empty PostgreSQL database.
    ///
    /// # Panics
    /// When the server cannot be reached or refuses to create the database; the message says to run
    /// `scripts/test-env` and names the server without its credentials.
    pub async fn postgres() -> TestDb {
        let admin_url = server_url();
        let name = unique_database_name();
        let mut admin = connect_or_explain(&admin_url).await;
        // The name is made of the prefix, digits and underscores only, so it never needs quoting.
        admin
            .execute(sqlx::raw_sql(AssertSqlSafe(format!("create database {name}"))))
            .await
            .unwrap_or_else(|error| panic!("creating test database {name} on {}: {error}", describe(&admin_url)));
        // Closing is a courtesy to the server; a failure here changes nothing for the test.
        let _ = admin.close().await;
        let mut url = admin_url.clone();
        url.set_path(&name);
        TestDb { name, url, admin_url }
    }

    /// The database's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A URL that connects to this database (it carries the server's credentials: never print it).
    pub fn url(&self) -> &str {
        self.url.as_str()
    }

    /// A new connection to this database.
    pub async fn connect(&self) -> PgConnection {
        connect_or_explain(&self.url).await
    }
}

impl Drop for TestDb {
    /// Drops the database. `Drop` cannot await, and blocking on the test's own tokio runtime would deadlock or
    /// panic, so the statement runs on a short-lived thread with a runtime of its own, which this waits for.
    /// `WITH (FORCE)` ends connections the test left open. Failures are reported, never raised: panicking in
    /// `drop` while a failed test unwinds would abort the whole test binary.
    fn drop(&mut self) {
        let admin_url = self.admin_url.clone();
        let name = self.name.clone();
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
            runtime.block_on(async {
                let mut admin = PgConnection::connect(admin_url.as_str()).await?;
                admin
                    .execute(sqlx::raw_sql(AssertSqlSafe(format!("drop database if exists {name} with (force)"))))
                    .await?;
                admin.close().await
            })?;
            Ok::<(), Box<dyn std::error::Error + Send + Sync>>(())
        })
        .join();
        match dropped {
            Ok(Ok(())) => {}
            Ok(Err(error)) => eprintln!("warning: could not drop test database {}: {error}", self.name),
            Err(_) => eprintln!("warning: dropping test database {} panicked", self.name),
        }
    }
}

fn server_url() -> Url {
    let raw = std::env::var(PG_URL_VAR).unwrap_or_else(|_| DEFAULT_PG_URL.to_string());
    // The URL may hold a password: the message names the variable, not its value.
    Url::parse(&raw).unwrap_or_else(|error| panic!("${PG_URL_VAR} is not a valid URL: {error}"))
}

async fn connect_or_explain(url: &Url) -> PgConnection {
    PgConnection::connect(url.as_str()).await.unwrap_or_else(|error| {
        panic!(
            "cannot connect to the PostgreSQL test server {} ({error}).\n\
             Start it with `eval \"$(scripts/test-env)\"` (installs and starts PostgreSQL and MariaDB; needs root), \
             or point ${PG_URL_VAR} at a server where this user may create databases.",
            describe(url)
        )
    })
}

/// `host:port/database` of a URL, without user name or password, for messages.
fn describe(url: &Url) -> String {
    format!("{}:{}{}", url.host_str().unwrap_or("localhost"), url.port().unwrap_or(5432), url.path())
}

/// Unique across concurrent test binaries on one machine (process id) and across tests in one binary (counter);
/// the time keeps it unique when a process id is reused while an older database is still there.
fn unique_database_name() -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let sequence = NEXT.fetch_add(1, Ordering::Relaxed);
    let millis = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or_default();
    format!("{DATABASE_NAME_PREFIX}{}_{sequence}_{millis}", std::process::id())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_leave_credentials_out() {
        let url = Url::parse("postgres://postgres:secret@db.example:5433/app").unwrap();
        assert_eq!(describe(&url), "db.example:5433/app");
    }

    #[test]
    fn names_are_unique_and_need_no_quoting() {
        let (first, second) = (unique_database_name(), unique_database_name());
        assert_ne!(first, second);
        assert!(first.len() <= 63, "{first} is longer than PostgreSQL's identifier limit");
        assert!(first.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'));
    }

    #[tokio::test]
    async fn a_test_database_exists_until_dropped() {
        let db = TestDb::postgres().await;
        let name = db.name().to_string();
        let mut conn = db.connect().await;
        let current: String = sqlx::query_scalar("select current_database()::text").fetch_one(&mut conn).await.unwrap();
        assert_eq!(current, name);

        // The connection stays open on purpose: dropping must still succeed.
        drop(db);
        let mut admin = connect_or_explain(&server_url()).await;
        let remaining: i64 = sqlx::query_scalar("select count(*) from pg_database where datname = $1")
            .bind(&name)
            .fetch_one(&mut admin)
            .await
            .unwrap();
        assert_eq!(remaining, 0);
    }
}
