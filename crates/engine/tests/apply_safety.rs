//! Apply's safety guarantees on a real PostgreSQL: a failed apply leaves the database as it was and names the
//! failing statement; two appliers never race; lock waits are bounded; destructive plans are blocked; an
//! approval binds one exact plan.

use driftless_engine::{ApplyError, ApplyOutcome, Approval, DatabaseUrl, Desired, EngineError, Session, Settings};
use driftless_testkit::TestDb;
use sqlx::{Executor, PgConnection};
use std::time::Duration;

async fn session(db: &TestDb) -> Session {
    Session::connect(&DatabaseUrl::parse(db.url()).unwrap()).await.unwrap()
}

async fn run(conn: &mut PgConnection, sql: &'static str) {
    conn.execute(sqlx::raw_sql(sql)).await.unwrap();
}

async fn has_note_column(conn: &mut PgConnection) -> bool {
    sqlx::query_scalar("select exists (select from pg_attribute where attrelid = 't'::regclass and attname = 'note')")
        .fetch_one(conn)
        .await
        .unwrap()
}

async fn table_exists(conn: &mut PgConnection, name: &str) -> bool {
    sqlx::query_scalar("select to_regclass($1) is not null").bind(name).fetch_one(conn).await.unwrap()
}

#[tokio::test]
async fn a_failing_statement_rolls_everything_back_and_is_named() {
    let db = TestDb::postgres().await;
    let mut conn = db.connect().await;
    run(&mut conn, "create table t (id int); insert into t values (1);").await;
    // The new table plans first; adding a NOT NULL column without default then fails on the existing row.
    let desired =
        Desired::from_sql("create table a_new (id int); create table t (id int, email text not null);", "s.sql");

    // The plan is known to fail (MF103 counts the row); forced, it starts all the same.
    let forced = Settings { force: true, ..Settings::default() };
    let err = session(&db).await.apply(&desired, &forced, Approval::Policy).await.unwrap_err();

    let EngineError::Apply(apply_error @ ApplyError::Statement { .. }) = &err else { panic!("unexpected {err:?}") };
    assert_eq!(apply_error.committed(), 0);
    let message = err.to_string();
    assert!(message.contains("email"), "the failing statement is shown: {message}");
    assert!(message.contains("nothing was applied: the database is as it was"), "{message}");
    assert!(!table_exists(&mut conn, "a_new").await, "the statement before the failure was rolled back");
}

#[tokio::test]
async fn a_second_applier_waits_for_the_schema_lock_then_gives_up() {
    let db = TestDb::postgres().await;
    let mut holder = db.connect().await;
    run(&mut holder, "select pg_advisory_lock(x'64726966746c6573'::bigint)").await;
    let desired = Desired::from_sql("create table t (id int);", "s.sql");
    let mut settings = Settings::default();
    settings.apply.schema_lock_wait = Duration::from_millis(300);

    let err = session(&db).await.apply(&desired, &settings, Approval::Policy).await.unwrap_err();
    assert!(matches!(err, EngineError::Apply(ApplyError::LockBusy(_))), "{err:?}");
    assert!(!table_exists(&mut holder, "t").await);

    run(&mut holder, "select pg_advisory_unlock_all()").await;
    let outcome = session(&db).await.apply(&desired, &settings, Approval::Policy).await.unwrap();
    assert!(matches!(outcome, ApplyOutcome::Applied { .. }));
    assert!(table_exists(&mut holder, "t").await);
}

#[tokio::test]
async fn lock_timeout_bounds_the_wait_for_a_busy_table() {
    let db = TestDb::postgres().await;
    let mut conn = db.connect().await;
    run(&mut conn, "create table t (id int)").await;
    let mut blocker = db.connect().await;
    run(&mut blocker, "begin; lock table t in access exclusive mode;").await;
    let mut settings = Settings::default();
    settings.apply.lock_timeout = Duration::from_millis(200);

    let desired = Desired::from_sql("create table t (id int, note text);", "s.sql");
    let err = session(&db).await.apply(&desired, &settings, Approval::Policy).await.unwrap_err();
    assert!(err.to_string().contains("lock timeout"), "{err}");

    run(&mut blocker, "rollback").await;
    let columns: i64 =
        sqlx::query_scalar("select count(*) from pg_attribute where attrelid = 't'::regclass and attnum > 0")
            .fetch_one(&mut conn)
            .await
            .unwrap();
    assert_eq!(columns, 1, "nothing was applied");
}

#[tokio::test]
async fn destructive_plans_are_blocked_unless_allowed() {
    let db = TestDb::postgres().await;
    let mut conn = db.connect().await;
    run(&mut conn, "create table keep (id int); create table legacy (id int);").await;
    let desired = Desired::from_sql("create table keep (id int);", "s.sql");

    let outcome = session(&db).await.apply(&desired, &Settings::default(), Approval::Policy).await.unwrap();
    let ApplyOutcome::Blocked(outcome) = outcome else { panic!("expected a block, got {outcome:?}") };
    assert_eq!(outcome.findings[0].code, "DS102");
    assert!(table_exists(&mut conn, "legacy").await);

    let mut settings = Settings::default();
    settings.lint.destructive = driftless_engine::Level::Warn;
    let outcome = session(&db).await.apply(&desired, &settings, Approval::Policy).await.unwrap();
    assert!(matches!(outcome, ApplyOutcome::Applied { .. }));
    assert!(!table_exists(&mut conn, "legacy").await);
}

#[tokio::test]
async fn an_approval_binds_the_exact_plan() {
    let db = TestDb::postgres().await;
    let mut conn = db.connect().await;
    let desired = Desired::from_sql("create table t (id int, note text);", "s.sql");
    let mut session = session(&db).await;
    let approved = session.plan(&desired, &Settings::default()).await.unwrap().plan.hash();

    // Someone creates the table by hand after the plan was approved: that plan no longer applies.
    run(&mut conn, "create table t (id int)").await;
    let outcome = session.apply(&desired, &Settings::default(), Approval::Exactly(&approved)).await.unwrap();
    assert!(matches!(outcome, ApplyOutcome::Stale { .. }), "{outcome:?}");
    assert!(!has_note_column(&mut conn).await, "nothing ran");
}

#[tokio::test]
async fn an_approved_plan_runs_although_lint_blocks_it_and_only_that_plan() {
    let db = TestDb::postgres().await;
    let mut conn = db.connect().await;
    run(&mut conn, "create table t (id int, note text)").await;
    let desired = Desired::from_sql("create table t (id int);", "s.sql");
    let mut session = session(&db).await;
    let blocked = session.plan(&desired, &Settings::default()).await.unwrap();
    assert!(blocked.blocked(), "dropping a column is blocked by default");

    let other =
        session.apply(&desired, &Settings::default(), Approval::PolicyOrExactly("0123456789abcdef")).await.unwrap();
    assert!(matches!(other, ApplyOutcome::Blocked(_)), "{other:?}");
    let hash = blocked.plan.hash();
    let outcome = session.apply(&desired, &Settings::default(), Approval::PolicyOrExactly(&hash)).await.unwrap();
    assert!(matches!(outcome, ApplyOutcome::Applied { .. }), "{outcome:?}");
    assert!(!has_note_column(&mut conn).await, "the approved drop ran");
}
