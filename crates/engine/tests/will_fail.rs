//! A plan that counted rows make certain to fail is not started: `apply` refuses it with
//! `EngineError::WillFail` ("will fail: N rows in the way"), the plan's verdict says so, and nothing runs;
//! `Settings::force` starts it anyway (and the database refuses it). A plan whose rows are fixed applies.

use driftless_engine::{ApplyOutcome, Approval, DatabaseUrl, Desired, EngineError, Session, Settings};
use driftless_testkit::TestDb;
use sqlx::Executor;

const CURRENT: &str = "create table t (id int, code text, note text);";
const DESIRED: &str = "create table t (id int, code text unique, note text not null);";

async fn expect_will_fail(session: &mut Session, rows: u64) {
    let desired = Desired::from_sql(DESIRED, "s.sql");
    let plan = session.plan(&desired, &Settings::default()).await.unwrap();
    assert_eq!(plan.will_fail(), Some(rows), "{:?}", plan.findings);
    assert_eq!(plan.verdict(), format!("will fail: {rows} rows in the way"));
    let err = session.apply(&desired, &Settings::default(), Approval::Policy).await.unwrap_err();
    let EngineError::WillFail { rows: counted, findings, .. } = &err else { panic!("unexpected {err:?}") };
    assert_eq!(*counted, rows);
    assert!(!findings.is_empty());
    let message = err.to_string();
    assert!(message.contains(&format!("will fail: {rows} rows in the way")), "{message}");
    assert!(message.contains("nothing was applied"), "{message}");
}

async fn forced(session: &mut Session) -> Result<ApplyOutcome, EngineError> {
    let settings = Settings { force: true, ..Settings::default() };
    session.apply(&Desired::from_sql(DESIRED, "s.sql"), &settings, Approval::Policy).await
}

async fn converges(session: &mut Session) {
    let desired = Desired::from_sql(DESIRED, "s.sql");
    let outcome = session.apply(&desired, &Settings::default(), Approval::Policy).await.unwrap();
    assert!(matches!(outcome, ApplyOutcome::Applied { .. }), "{outcome:?}");
    assert!(session.plan(&desired, &Settings::default()).await.unwrap().in_sync());
}

#[tokio::test]
async fn postgres_refuses_a_plan_that_will_fail() {
    let db = TestDb::postgres().await;
    let mut session = Session::connect(&DatabaseUrl::parse(db.url()).unwrap()).await.unwrap();
    session.apply(&Desired::from_sql(CURRENT, "c.sql"), &Settings::default(), Approval::Policy).await.unwrap();
    let mut conn = db.connect().await;
    // two rows share a code (MF101), one holds NULL in note (MF104)
    conn.execute("insert into t values (1, 'a', 'x'), (2, 'a', 'y'), (3, 'b', null)").await.unwrap();
    expect_will_fail(&mut session, 3).await;
    let keys: i64 = sqlx::query_scalar("select count(*) from pg_constraint where conrelid = 't'::regclass")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(keys, 0, "nothing ran");
    let err = forced(&mut session).await.unwrap_err();
    assert!(matches!(err, EngineError::Apply(_)), "forced, the plan starts and fails: {err:?}");
    conn.execute("delete from t where id <> 1").await.unwrap();
    converges(&mut session).await;
}

#[tokio::test]
async fn sqlite_refuses_a_plan_that_will_fail() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.db");
    let url = DatabaseUrl::parse(&format!("sqlite://{}", path.display())).unwrap();
    let mut session = Session::connect(&url).await.unwrap();
    session.apply(&Desired::from_sql(CURRENT, "c.sql"), &Settings::default(), Approval::Policy).await.unwrap();
    use sqlx::ConnectOptions;
    let mut conn = sqlx::sqlite::SqliteConnectOptions::new().filename(&path).connect().await.unwrap();
    conn.execute("insert into t values (1, 'a', 'x'), (2, 'a', 'y'), (3, 'b', null)").await.unwrap();
    drop(conn);
    expect_will_fail(&mut session, 3).await;
    assert!(forced(&mut session).await.is_err());
    let mut conn = sqlx::sqlite::SqliteConnectOptions::new().filename(&path).connect().await.unwrap();
    let sql: String =
        sqlx::query_scalar("select sql from sqlite_master where name = 't'").fetch_one(&mut conn).await.unwrap();
    assert!(!sql.to_lowercase().contains("unique"), "nothing ran: {sql}");
    conn.execute("delete from t where id <> 1").await.unwrap();
    drop(conn);
    converges(&mut session).await;
}

#[tokio::test]
async fn mariadb_refuses_a_plan_over_duplicate_keys() {
    let db = TestDb::mysql().await;
    let mut session = Session::connect(&DatabaseUrl::parse(db.url()).unwrap()).await.unwrap();
    let current = "create table t (id int, code varchar(10));";
    let desired = Desired::from_sql("create table t (id int, code varchar(10) unique);", "s.sql");
    session.apply(&Desired::from_sql(current, "c.sql"), &Settings::default(), Approval::Policy).await.unwrap();
    let mut conn = db.connect_mysql().await;
    conn.execute("insert into t values (1, 'a'), (2, 'a')").await.unwrap();
    let err = session.apply(&desired, &Settings::default(), Approval::Policy).await.unwrap_err();
    assert!(err.to_string().contains("will fail: 2 rows in the way"), "{err}");
    let indexes: i64 = sqlx::query_scalar(
        "select count(*) from information_schema.statistics where table_schema = database() and table_name = 't'",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    assert_eq!(indexes, 0, "nothing ran");
    conn.execute("delete from t where id = 2").await.unwrap();
    let outcome = session.apply(&desired, &Settings::default(), Approval::Policy).await.unwrap();
    assert!(matches!(outcome, ApplyOutcome::Applied { .. }), "{outcome:?}");
    assert!(session.plan(&desired, &Settings::default()).await.unwrap().in_sync());
}

#[tokio::test]
async fn postgres_refuses_a_type_change_with_no_cast() {
    let db = TestDb::postgres().await;
    let mut session = Session::connect(&DatabaseUrl::parse(db.url()).unwrap()).await.unwrap();
    let current = "create table t (at timestamp, n integer, code text, small integer);";
    session.apply(&Desired::from_sql(current, "c.sql"), &Settings::default(), Approval::Policy).await.unwrap();
    let desired = Desired::from_sql("create table t (at double precision, n uuid, code text, small integer);", "s");
    let plan = session.plan(&desired, &Settings::default()).await.unwrap();
    let impossible: Vec<&str> = plan.failing_findings().map(|finding| finding.code).collect();
    assert_eq!(impossible, ["MF106", "MF106"], "{:?}", plan.findings);
    assert!(plan.findings.iter().any(|f| f.message.contains("no cast")), "{:?}", plan.findings);
    assert_eq!(plan.verdict(), "will fail: a change cannot succeed");
    let err = session.apply(&desired, &Settings::default(), Approval::Policy).await.unwrap_err();
    assert!(matches!(err, EngineError::WillFail { .. }), "{err:?}");
    assert!(err.to_string().contains("MF106"), "{err}");
    let mut conn = db.connect().await;
    let types: Vec<String> = sqlx::query_scalar(
        "select data_type::text from information_schema.columns where table_name = 't' order by ordinal_position",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    assert_eq!(types, ["timestamp without time zone", "integer", "text", "integer"], "nothing ran");

    // casts PostgreSQL has still plan and apply: text to integer (USING), integer to bigint
    conn.execute("insert into t (code, small) values ('12', 3)").await.unwrap();
    let valid = Desired::from_sql("create table t (at timestamp, n integer, code integer, small bigint);", "s");
    let plan = session.plan(&valid, &Settings::default()).await.unwrap();
    assert_eq!(plan.will_fail(), None, "{:?}", plan.findings);
    assert_eq!(plan.verdict(), "ready to apply");
    let outcome = session.apply(&valid, &Settings::default(), Approval::Policy).await.unwrap();
    assert!(matches!(outcome, ApplyOutcome::Applied { .. }), "{outcome:?}");
    assert!(session.plan(&valid, &Settings::default()).await.unwrap().in_sync());
}
