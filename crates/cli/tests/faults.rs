//! `kill -9` of the `driftless` process in the middle of an apply, on a real PostgreSQL: the transaction it
//! had open never commits, the database is as it was, the schema lock dies with the session, and the next
//! apply converges.

mod support;

use driftless_testkit::TestDb;
use sqlx::{Executor, PgConnection};
use std::process::{Command, Stdio};
use std::time::Duration;
use support::driftless;

async fn exists(conn: &mut PgConnection, relation: &str) -> bool {
    sqlx::query_scalar("select to_regclass($1) is not null").bind(relation).fetch_one(conn).await.unwrap()
}

/// Backends of the test database other than the observer's, waiting for a lock or not.
async fn backends(observer: &mut PgConnection, db: &TestDb, waiting_only: bool) -> i64 {
    sqlx::query_scalar(
        "select count(*) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid() \
         and backend_type = 'client backend' and (not $2 or wait_event_type = 'Lock') \
         and query not ilike 'lock table%'",
    )
    .bind(db.name())
    .bind(waiting_only)
    .fetch_one(observer)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_process_killed_mid_apply_leaves_the_database_as_it_was() {
    let db = TestDb::postgres().await;
    let mut observer = db.connect().await;
    observer.execute("create table t (id int)").await.unwrap();
    let mut blocker = db.connect().await;
    blocker.execute(sqlx::raw_sql("begin; lock table t in access share mode;")).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let schema = dir.path().join("s.sql");
    std::fs::write(&schema, "create table a_new (id int);\ncreate table t (id int, note text);\n").unwrap();
    let schema = schema.to_str().unwrap();

    let mut applier = Command::new(env!("CARGO_BIN_EXE_driftless"))
        .args(["apply", "--file", schema, "--url", db.url(), "--auto-approve", "--lock-timeout", "60s"])
        .env_remove("DATABASE_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut waited = false;
    for _ in 0..400 {
        if backends(&mut observer, &db, true).await > 0 {
            waited = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(waited, "the applier never waited for the lock on t");
    // SIGKILL: no destructor, no rollback sent; the server finds the client gone
    applier.kill().unwrap();
    applier.wait().unwrap();
    blocker.execute("rollback").await.unwrap();
    sqlx::Connection::close(blocker).await.unwrap();
    for _ in 0..400 {
        if backends(&mut observer, &db, false).await == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(backends(&mut observer, &db, false).await, 0, "the killed applier's backend ended");
    assert!(!exists(&mut observer, "a_new").await, "nothing the killed applier ran was committed");

    let run = driftless(&["apply", "--file", schema, "--url", db.url(), "--auto-approve"]);
    assert_eq!(run.code, 0, "the schema lock died with the killed session: {}", run.stderr);
    assert!(exists(&mut observer, "a_new").await);
    let again = driftless(&["plan", "--file", schema, "--url", db.url(), "--detailed-exitcode"]);
    assert_eq!(again.code, 0, "{}{}", again.stdout, again.stderr);
}
