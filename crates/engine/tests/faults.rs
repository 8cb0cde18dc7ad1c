//! Faults during an apply, on real servers: the applier's backend killed while a statement waits (in a
//! transaction on PostgreSQL, in an online `CREATE INDEX CONCURRENTLY`, statement by statement on MariaDB),
//! and the server itself crashing and restarting mid-apply (on a private instance the test starts, never
//! the shared test server). Each leaves the database as it was or says which statements ran, and a re-run
//! converges. Also on a private instance: a first apply larger than the server's lock table.

use driftless_engine::{ApplyError, ApplyOutcome, Approval, DatabaseUrl, Desired, EngineError, Session, Settings};
use driftless_testkit::{PgInstance, StopMode, TestDb, mysql_table_names};
use sqlx::{Connection, Executor, PgConnection};
use std::time::Duration;
use tokio::task::JoinHandle;

async fn session(url: &str) -> Session {
    Session::connect(&DatabaseUrl::parse(url).unwrap()).await.unwrap()
}

async fn run(conn: &mut PgConnection, sql: &'static str) {
    conn.execute(sqlx::raw_sql(sql)).await.unwrap();
}

/// Settings that wait long for locks, so that a test can kill the applier while it waits.
fn patient() -> Settings {
    let mut settings = Settings::default();
    settings.apply.lock_timeout = Duration::from_secs(60);
    settings
}

/// Starts an apply on a session of its own, to be interrupted while it runs.
fn spawn_apply(url: &str, desired: &Desired, settings: &Settings) -> JoinHandle<Result<ApplyOutcome, EngineError>> {
    let (url, desired, settings) = (url.to_string(), desired.clone(), settings.clone());
    tokio::spawn(async move {
        let mut session = Session::connect(&DatabaseUrl::parse(&url).unwrap()).await.unwrap();
        session.apply(&desired, &settings, Approval::Policy).await
    })
}

/// Waits until a backend of database `database` other than `observer` waits for a lock (and is not the test's
/// own `LOCK TABLE`), and returns its pid.
async fn waiting_backend(observer: &mut PgConnection, database: &str) -> i32 {
    for _ in 0..200 {
        let pid: Option<i32> = sqlx::query_scalar(
            "select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid() \
             and wait_event_type = 'Lock' and query not ilike 'lock table%' limit 1",
        )
        .bind(database)
        .fetch_optional(&mut *observer)
        .await
        .unwrap();
        if let Some(pid) = pid {
            return pid;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the applier never waited for a lock")
}

async fn terminate(observer: &mut PgConnection, pid: i32) {
    let done: bool =
        sqlx::query_scalar("select pg_terminate_backend($1)").bind(pid).fetch_one(&mut *observer).await.unwrap();
    assert!(done);
}

#[tokio::test]
async fn a_backend_killed_mid_transaction_leaves_the_database_as_it_was() {
    let db = TestDb::postgres().await;
    let mut observer = db.connect().await;
    run(&mut observer, "create table t (id int); insert into t values (1);").await;
    let mut blocker = db.connect().await;
    run(&mut blocker, "begin; lock table t in access share mode;").await;
    // the new table is created first, then the ALTER waits behind the blocker until its backend is killed
    let desired = Desired::from_sql("create table a_new (id int); create table t (id int, note text);", "s.sql");
    let applier = spawn_apply(db.url(), &desired, &patient());
    let pid = waiting_backend(&mut observer, db.name()).await;
    terminate(&mut observer, pid).await;
    let err = applier.await.unwrap().unwrap_err();
    let EngineError::Apply(apply_error) = &err else { panic!("unexpected {err:?}") };
    assert_eq!(apply_error.committed(), 0, "{err}");

    let exists: bool =
        sqlx::query_scalar("select to_regclass('a_new') is not null").fetch_one(&mut observer).await.unwrap();
    assert!(!exists, "the statement before the failure was rolled back");
    run(&mut blocker, "rollback").await;
    let mut session = session(db.url()).await;
    let outcome = session.apply(&desired, &patient(), Approval::Policy).await.unwrap();
    assert!(matches!(outcome, ApplyOutcome::Applied { .. }), "{outcome:?}");
    assert!(session.plan(&desired, &Settings::default()).await.unwrap().in_sync());
}

#[tokio::test]
async fn a_concurrent_index_build_killed_midway_is_rebuilt_by_the_next_apply() {
    let db = TestDb::postgres().await;
    let mut observer = db.connect().await;
    run(&mut observer, "create table t (id int, email text); insert into t values (1, 'a');").await;
    // an open transaction that wrote to t: CREATE INDEX CONCURRENTLY waits for it after creating its entry
    let mut writer = db.connect().await;
    run(&mut writer, "begin; insert into t values (2, 'b');").await;
    let desired = Desired::from_sql("create table t (id int, email text); create index t_email on t (email);", "s.sql");
    let mut settings = patient();
    settings.online.concurrent_create = true;
    let applier = spawn_apply(db.url(), &desired, &settings);
    let pid = waiting_backend(&mut observer, db.name()).await;
    terminate(&mut observer, pid).await;
    assert!(applier.await.unwrap().is_err());
    run(&mut writer, "commit").await;
    let invalid: bool = sqlx::query_scalar(
        "select exists (select from pg_index where indexrelid = to_regclass('t_email') and not indisvalid)",
    )
    .fetch_one(&mut observer)
    .await
    .unwrap();
    assert!(invalid, "the killed build leaves an invalid index behind");

    let mut session = session(db.url()).await;
    let outcome = session.apply(&desired, &settings, Approval::Policy).await.unwrap();
    assert!(matches!(outcome, ApplyOutcome::Applied { .. }), "the invalid index is not taken for the desired one");
    let valid: bool = sqlx::query_scalar("select indisvalid from pg_index where indexrelid = to_regclass('t_email')")
        .fetch_one(&mut observer)
        .await
        .unwrap();
    assert!(valid);
    assert!(session.plan(&desired, &settings).await.unwrap().in_sync());
}

#[tokio::test]
async fn a_mariadb_apply_killed_midway_says_what_ran_and_a_rerun_finishes_it() {
    let db = TestDb::mysql().await;
    let mut observer = db.connect_mysql().await;
    observer.execute("CREATE TABLE t (id INT)").await.unwrap();
    // an open transaction that read t holds its metadata lock: the ALTER waits behind it
    let mut blocker = db.connect_mysql().await;
    blocker.execute(sqlx::raw_sql("BEGIN; SELECT * FROM t;")).await.unwrap();
    let desired = Desired::from_sql("create table a_new (id int); create table t (id int, note text);", "s.sql");
    let applier = spawn_apply(db.url(), &desired, &patient());
    let mut waiting = None;
    for _ in 0..200 {
        waiting = sqlx::query_scalar(
            "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND ID <> CONNECTION_ID() \
             AND STATE LIKE 'Waiting for table metadata lock%'",
        )
        .fetch_optional(&mut observer)
        .await
        .unwrap();
        if waiting.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let id: i64 = waiting.expect("the applier never waited for the metadata lock");
    observer.execute(sqlx::AssertSqlSafe(format!("KILL {id}"))).await.unwrap();
    let err = applier.await.unwrap().unwrap_err();
    let EngineError::Apply(apply_error @ ApplyError::Statement { .. }) = &err else { panic!("unexpected {err:?}") };
    assert_eq!(apply_error.committed(), 1, "{err}");
    assert!(err.to_string().contains("statement 1 had been committed"), "{err}");
    assert_eq!(mysql_table_names(&mut observer).await, ["a_new", "t"], "what the report says ran did run");

    blocker.execute("ROLLBACK").await.unwrap();
    let mut session = session(db.url()).await;
    let remainder = session.plan(&desired, &patient()).await.unwrap();
    assert_eq!(remainder.plan.statements.len(), 1, "only the ALTER is left: {}", remainder.plan.to_sql());
    let outcome = session.apply(&desired, &patient(), Approval::Policy).await.unwrap();
    assert!(matches!(outcome, ApplyOutcome::Applied { .. }), "{outcome:?}");
    assert!(session.plan(&desired, &Settings::default()).await.unwrap().in_sync());
}

async fn connect(url: &str) -> PgConnection {
    PgConnection::connect(url).await.unwrap()
}

async fn table_exists(conn: &mut PgConnection, name: &str) -> bool {
    sqlx::query_scalar("select to_regclass($1) is not null").bind(name).fetch_one(conn).await.unwrap()
}

/// Crashes the server (immediate shutdown: no session ends cleanly) and starts it again, as a restart by the
/// platform would. Blocking: the applier's task waits meanwhile, and finds its connection gone afterwards.
fn crash_and_restart(server: &PgInstance) {
    server.stop(StopMode::Immediate);
    server.start_again();
}

#[tokio::test]
async fn a_server_restart_mid_transaction_leaves_the_database_as_it_was() {
    let Some(server) = PgInstance::start("restart-in-transaction", &[]) else { return };
    let mut observer = connect(server.url()).await;
    run(&mut observer, "create table t (id int); insert into t values (1);").await;
    let mut blocker = connect(server.url()).await;
    run(&mut blocker, "begin; lock table t in access share mode;").await;
    // the new table is created first, then the ALTER waits behind the blocker until the server goes down
    let desired = Desired::from_sql("create table a_new (id int); create table t (id int, note text);", "s.sql");
    let applier = spawn_apply(server.url(), &desired, &patient());
    waiting_backend(&mut observer, "postgres").await;
    crash_and_restart(&server);
    let err = applier.await.unwrap().unwrap_err();
    let EngineError::Apply(apply_error @ ApplyError::Statement { number: 2, .. }) = &err else {
        panic!("unexpected {err:?}")
    };
    assert_eq!(apply_error.committed(), 0, "{err}");
    assert!(!apply_error.outcome_unknown(), "the statement failed before COMMIT: {err}");
    assert!(err.to_string().contains("the database is as it was"), "{err}");

    let mut observer = connect(server.url()).await;
    assert!(!table_exists(&mut observer, "a_new").await, "the statement before the crash was rolled back");
    let columns: Vec<String> = sqlx::query_scalar(
        "select attname::text from pg_attribute where attrelid = 't'::regclass and attnum > 0 order by attnum",
    )
    .fetch_all(&mut observer)
    .await
    .unwrap();
    assert_eq!(columns, ["id"]);
    let mut session = session(server.url()).await;
    let outcome = session.apply(&desired, &patient(), Approval::Policy).await.unwrap();
    assert!(matches!(outcome, ApplyOutcome::Applied { .. }), "{outcome:?}");
    assert!(session.plan(&desired, &Settings::default()).await.unwrap().in_sync());
}

#[tokio::test]
async fn a_server_restart_mid_online_apply_says_what_ran_and_a_rerun_finishes_it() {
    let Some(server) = PgInstance::start("restart-online", &[]) else { return };
    let mut observer = connect(server.url()).await;
    run(&mut observer, "create table t (id int, email text); insert into t values (1, 'a');").await;
    // an open transaction that wrote to t: CREATE INDEX CONCURRENTLY waits for it after creating its entry
    let mut writer = connect(server.url()).await;
    run(&mut writer, "begin; insert into t values (2, 'b');").await;
    let desired = Desired::from_sql(
        "create table a_new (id int); create table t (id int, email text); create index t_email on t (email);",
        "s.sql",
    );
    let mut settings = patient();
    settings.online.concurrent_create = true;
    let applier = spawn_apply(server.url(), &desired, &settings);
    waiting_backend(&mut observer, "postgres").await;
    crash_and_restart(&server);
    let err = applier.await.unwrap().unwrap_err();
    let EngineError::Apply(apply_error @ ApplyError::Statement { number: 2, .. }) = &err else {
        panic!("unexpected {err:?}")
    };
    assert_eq!(apply_error.committed(), 1, "{err}");
    assert!(err.to_string().contains("statement 1 had been committed"), "{err}");

    let mut observer = connect(server.url()).await;
    assert!(table_exists(&mut observer, "a_new").await, "what the report says ran did run");
    let valid_index: bool = sqlx::query_scalar(
        "select exists (select from pg_index where indexrelid = to_regclass('t_email') and indisvalid)",
    )
    .fetch_one(&mut observer)
    .await
    .unwrap();
    assert!(!valid_index, "the interrupted build left no valid index");
    let mut session = session(server.url()).await;
    let outcome = session.apply(&desired, &settings, Approval::Policy).await.unwrap();
    assert!(matches!(outcome, ApplyOutcome::Applied { .. }), "{outcome:?}");
    assert!(session.plan(&desired, &settings).await.unwrap().in_sync());
}

#[tokio::test]
async fn a_first_apply_larger_than_the_lock_table_runs_in_bounded_transactions() {
    // 10 × (20 connections + 0 prepared) lock slots, plus the server's slack: a few hundred locks in all
    let settings = [("max_locks_per_transaction", "10"), ("max_connections", "20")];
    let Some(server) = PgInstance::start("lock-budget", &settings) else { return };
    let tables = 300;
    let sql: String = (0..tables).map(|i| format!("create table t{i} (id int primary key, note text);\n")).collect();

    // the same statements in one transaction run out of the lock table: the budget is what makes it pass
    let mut conn = connect(server.url()).await;
    let mut tx = conn.begin().await.unwrap();
    let err = tx.execute(sqlx::raw_sql(sqlx::AssertSqlSafe(sql.clone()))).await.unwrap_err();
    assert!(err.to_string().contains("out of shared memory"), "{err}");
    tx.rollback().await.unwrap();

    let desired = Desired::from_sql(&sql, "s.sql");
    let mut session = session(server.url()).await;
    let outcome = session.apply(&desired, &Settings::default(), Approval::Policy).await.unwrap();
    let ApplyOutcome::Applied { .. } = outcome else { panic!("{outcome:?}") };
    let count: i64 = sqlx::query_scalar("select count(*) from pg_tables where schemaname = 'public'")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(count, tables);
    assert!(session.plan(&desired, &Settings::default()).await.unwrap().in_sync());
}
