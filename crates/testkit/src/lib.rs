//! Throwaway databases for integration tests.
//!
//! `TestDb::postgres().await` creates a database with a unique name on the server named by
//! `$DRIFTLESS_TEST_PG_URL` (default [`DEFAULT_PG_URL`], which `scripts/test-env` sets up) and drops it when the
//! `TestDb` is dropped, also when the test panics. `TestDb::mysql().await` does the same on the MariaDB server
//! named by `$DRIFTLESS_TEST_MYSQL_URL` (default [`DEFAULT_MYSQL_URL`]). A server that cannot be reached fails the test with a message
//! that says how to start one: integration tests never pass silently without their database.
//!
//! [`PgInstance`] is a PostgreSQL instance of a test's own, for faults such as a server restart.
//!
//! These helpers panic instead of returning errors: they only run inside tests, where a panic with a clear
//! message is the failure report.

mod instance;

pub use instance::{DB_DIR_VAR, DEFAULT_PG_BIN, PG_BIN_VAR, PgInstance, StopMode};
use sqlx::{AssertSqlSafe, Connection, Executor, MySqlConnection, PgConnection};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};
use url::Url;

/// The environment variable naming the PostgreSQL server (any database on it) that tests create databases on.
pub const PG_URL_VAR: &str = "DRIFTLESS_TEST_PG_URL";

/// The private instance `scripts/test-env` starts.
pub const DEFAULT_PG_URL: &str = "postgres://postgres:postgres@127.0.0.1:55432/postgres";

/// The environment variable naming the MySQL/MariaDB server (any database on it) that tests create databases on.
pub const MYSQL_URL_VAR: &str = "DRIFTLESS_TEST_MYSQL_URL";

/// The private MariaDB instance `scripts/test-env` starts.
pub const DEFAULT_MYSQL_URL: &str = "mysql://root:root@127.0.0.1:53306/mysql";

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
    server: Server,
}

/// The kind of server a test database lives on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Server {
    Postgres,
    Mysql,
}

impl Server {
    fn variable(self) -> &'static str {
        match self {
            Server::Postgres => PG_URL_VAR,
            Server::Mysql => MYSQL_URL_VAR,
        }
    }

    fn default_url(self) -> &'static str {
        match self {
            Server::Postgres => DEFAULT_PG_URL,
            Server::Mysql => DEFAULT_MYSQL_URL,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Server::Postgres => "PostgreSQL",
            Server::Mysql => "MariaDB",
        }
    }

    /// Runs one statement on the server's admin database.
    async fn execute(self, url: &Url, sql: String) -> Result<(), sqlx::Error> {
        match self {
            Server::Postgres => {
                let mut admin = PgConnection::connect(url.as_str()).await?;
                admin.execute(sqlx::raw_sql(AssertSqlSafe(sql))).await?;
                admin.close().await
            }
            Server::Mysql => {
                let mut admin = MySqlConnection::connect(url.as_str()).await?;
                admin.execute(sqlx::raw_sql(AssertSqlSafe(sql))).await?;
                admin.close().await
            }
        }
    }
}

impl TestDb {
    /// Creates a fresh, empty PostgreSQL database.
    ///
    /// # Panics
    /// When the server cannot be reached or refuses to create the database; the message says to run
    /// `scripts/test-env` and names the server without its credentials.
    pub async fn postgres() -> TestDb {
        TestDb::create(Server::Postgres).await
    }

    /// Creates a fresh, empty MySQL/MariaDB database (a MySQL schema), with the server's default character
    /// set and collation.
    ///
    /// # Panics
    /// As [`TestDb::postgres`].
    pub async fn mysql() -> TestDb {
        TestDb::create(Server::Mysql).await
    }

    async fn create(server: Server) -> TestDb {
        let admin_url = server_url(server);
        let name = unique_database_name();
        // The name is made of the prefix, digits and underscores only, so it never needs quoting.
        server.execute(&admin_url, format!("create database {name}")).await.unwrap_or_else(|error| {
            if error.as_database_error().is_some() {
                panic!("creating test database {name} on {}: {error}", describe(&admin_url))
            }
            panic!("{}", unreachable_server(server, &admin_url, &error))
        });
        let mut url = admin_url.clone();
        url.set_path(&name);
        TestDb { name, url, admin_url, server }
    }

    /// The database's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A URL that connects to this database (it carries the server's credentials: never print it).
    pub fn url(&self) -> &str {
        self.url.as_str()
    }

    /// A new connection to this (PostgreSQL) database.
    pub async fn connect(&self) -> PgConnection {
        assert_eq!(self.server, Server::Postgres, "connect() opens PostgreSQL connections; use connect_mysql()");
        connect_or_explain(&self.url).await
    }

    /// A new connection to this (MySQL) database.
    pub async fn connect_mysql(&self) -> MySqlConnection {
        assert_eq!(self.server, Server::Mysql, "connect_mysql() opens MySQL connections; use connect()");
        MySqlConnection::connect(self.url.as_str())
            .await
            .unwrap_or_else(|error| panic!("{}", unreachable_server(Server::Mysql, &self.url, &error)))
    }
}

/// The major version of the PostgreSQL test server (e.g. 13), from its `server_version_num`.
pub async fn postgres_server_major() -> Result<u32, sqlx::Error> {
    let mut conn = PgConnection::connect(server_url(Server::Postgres).as_str()).await?;
    let version: String = sqlx::query_scalar("show server_version_num").fetch_one(&mut conn).await?;
    conn.close().await?;
    version.parse::<u32>().map(|number| number / 10_000).map_err(|e| sqlx::Error::Decode(e.into()))
}

/// The names of the tables (and views) in a MySQL connection's database, sorted.
pub async fn mysql_table_names(conn: &mut MySqlConnection) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT CAST(TABLE_NAME AS CHAR) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() \
         ORDER BY TABLE_NAME",
    )
    .fetch_all(conn)
    .await
    .unwrap()
}

impl Drop for TestDb {
    /// Drops the database. `Drop` cannot await, and blocking on the test's own tokio runtime would deadlock or
    /// panic, so the statement runs on a short-lived thread with a runtime of its own, which this waits for.
    /// `WITH (FORCE)` ends connections the test left open. Failures are reported, never raised: panicking in
    /// `drop` while a failed test unwinds would abort the whole test binary.
    fn drop(&mut self) {
        let admin_url = self.admin_url.clone();
        let name = self.name.clone();
        let server = self.server;
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
            let sql = match server {
                Server::Postgres => format!("drop database if exists {name} with (force)"),
                Server::Mysql => format!("drop database if exists {name}"),
            };
            runtime.block_on(server.execute(&admin_url, sql))?;
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

fn server_url(server: Server) -> Url {
    let variable = server.variable();
    let raw = std::env::var(variable).unwrap_or_else(|_| server.default_url().to_string());
    // The URL may hold a password: the message names the variable, not its value.
    Url::parse(&raw).unwrap_or_else(|error| panic!("${variable} is not a valid URL: {error}"))
}

async fn connect_or_explain(url: &Url) -> PgConnection {
    PgConnection::connect(url.as_str())
        .await
        .unwrap_or_else(|error| panic!("{}", unreachable_server(Server::Postgres, url, &error)))
}

/// What to do when a test server cannot be reached.
fn unreachable_server(server: Server, url: &Url, error: &sqlx::Error) -> String {
    format!(
        "cannot connect to the {} test server {} ({error}).\n\
         Start it with `eval \"$(scripts/test-env)\"` (installs PostgreSQL and MariaDB and starts private \
         instances of them; needs root), \
         or point ${} at a server where this user may create databases.",
        server.label(),
        describe(url),
        server.variable()
    )
}

/// `host:port/database` of a URL, without user name or password, for messages.
fn describe(url: &Url) -> String {
    let port = url.port().unwrap_or(if url.scheme() == "mysql" { 3306 } else { 5432 });
    format!("{}:{port}{}", url.host_str().unwrap_or("localhost"), url.path())
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
        let mut admin = connect_or_explain(&server_url(Server::Postgres)).await;
        let remaining: i64 = sqlx::query_scalar("select count(*) from pg_database where datname = $1")
            .bind(&name)
            .fetch_one(&mut admin)
            .await
            .unwrap();
        assert_eq!(remaining, 0);
    }

    #[tokio::test]
    async fn a_mysql_test_database_exists_until_dropped() {
        let db = TestDb::mysql().await;
        let name = db.name().to_string();
        let mut conn = db.connect_mysql().await;
        let current: String = sqlx::query_scalar("select cast(database() as char)").fetch_one(&mut conn).await.unwrap();
        assert_eq!(current, name);

        drop(db);
        let mut admin = MySqlConnection::connect(server_url(Server::Mysql).as_str()).await.unwrap();
        let remaining: i64 =
            sqlx::query_scalar("select count(*) from information_schema.schemata where schema_name = ?")
                .bind(&name)
                .fetch_one(&mut admin)
                .await
                .unwrap();
        assert_eq!(remaining, 0);
    }
}
