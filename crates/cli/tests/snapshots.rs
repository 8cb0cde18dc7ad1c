//! Snapshots of what `driftless plan` and `driftless apply` print, in each format and on each dialect, so that
//! a change to the output is reviewed in the `.snap` diff rather than discovered by users. Every dialect runs
//! the same story on a real database: a plan that creates a table, alters a column, warns and is blocked by a
//! drop; the apply report once destructive changes are allowed; then the in-sync plan. Review changes with
//! `cargo insta review` (or set `INSTA_UPDATE=always` and read the diff).

mod support;

use driftless_testkit::TestDb;
use sqlx::{Connection, Executor, SqliteConnection};
use support::driftless;

/// The database before the plan: dropping `legacy` is the error that blocks; `users.name` widens and becomes
/// NOT NULL, which warns with a row count (0: its one row has a name).
const CURRENT: &str = "create table users (id integer primary key, name varchar(50));\n\
    create table legacy (id integer primary key);\n\
    insert into users (id, name) values (1, 'ada');\n";

/// Portable SQL, so that every dialect plans the same changes.
const DESIRED: &str = "create table users (id integer primary key, name varchar(100) not null);\n\
    create table posts (\n  id integer primary key,\n  user_id integer not null,\n  title varchar(200) not null,\n  \
    foreign key (user_id) references users (id)\n);\n\
    create index posts_user_id_idx on posts (user_id);\n";

const FORMATS: [&str; 3] = ["text", "json", "markdown"];

/// Output with what differs between runs replaced: plan hashes (which cover the SQL, and MariaDB's names the
/// test database), test database names, the server's host and port, and SQLite's temporary file. The user
/// name stays, so the snapshots also show that the password does not.
fn redacted() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(r"\b[0-9a-f]{16}\b", "[hash]");
    settings.add_filter(r"driftless_test_[0-9_]+", "[database]");
    settings.add_filter(r"(postgres|mysql)://([^@/\s]+@)?[^/\s]+/", "$1://${2}[server]/");
    settings.add_filter(r"sqlite://[^\s`)\x22]+", "sqlite://[file]");
    settings
}

/// Runs the story against `url` (a database holding [`CURRENT`]), snapshotting each output as
/// `{dialect}_{step}_{format}`.
fn plan_apply_replan(dialect: &str, url: &str) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("schema.sql");
    std::fs::write(&file, DESIRED).unwrap();
    let file = file.to_str().unwrap();
    redacted().bind(|| {
        for format in FORMATS {
            let plan = driftless(&["plan", "--url", url, "--file", file, "--format", format]);
            assert_eq!(plan.code, 3, "blocked by the drop of legacy:\n{}{}", plan.stdout, plan.stderr);
            insta::assert_snapshot!(format!("{dialect}_plan_{format}"), plan.stdout);
        }
        let apply = driftless(&["apply", "--url", url, "--file", file, "--auto-approve", "--allow-destructive"]);
        assert_eq!(apply.code, 0, "{}{}", apply.stdout, apply.stderr);
        insta::assert_snapshot!(format!("{dialect}_apply_text"), apply.stdout);
        for format in FORMATS {
            let replan = driftless(&["plan", "--url", url, "--file", file, "--format", format]);
            assert_eq!(replan.code, 0, "in sync after apply:\n{}{}", replan.stdout, replan.stderr);
            insta::assert_snapshot!(format!("{dialect}_in_sync_{format}"), replan.stdout);
        }
    });
}

#[tokio::test]
async fn postgres_output() {
    let db = TestDb::postgres().await;
    db.connect().await.execute(sqlx::raw_sql(CURRENT)).await.unwrap();
    plan_apply_replan("postgres", db.url());
}

#[tokio::test]
async fn mariadb_output() {
    let db = TestDb::mysql().await;
    db.connect_mysql().await.execute(sqlx::raw_sql(CURRENT)).await.unwrap();
    plan_apply_replan("mariadb", db.url());
}

#[tokio::test]
async fn sqlite_output() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("app.db").display());
    let mut conn = SqliteConnection::connect(&format!("{url}?mode=rwc")).await.unwrap();
    conn.execute(sqlx::raw_sql(CURRENT)).await.unwrap();
    conn.close().await.unwrap();
    plan_apply_replan("sqlite", &url);
}
