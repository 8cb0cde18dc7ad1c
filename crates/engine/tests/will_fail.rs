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
async fn postgres_converts_through_text_where_no_cast_exists() {
    let db = TestDb::postgres().await;
    let mut session = Session::connect(&DatabaseUrl::parse(db.url()).unwrap()).await.unwrap();
    let current = "create table t (at timestamp, n integer, code text, flag bigint);";
    session.apply(&Desired::from_sql(current, "c.sql"), &Settings::default(), Approval::Policy).await.unwrap();
    let mut conn = db.connect().await;
    conn.execute("insert into t (code, flag) values ('12', 2)").await.unwrap();

    // `at` and `n` have no cast to their new types and hold only NULLs, which convert through text; bigint
    // reaches boolean through integer (2 is true), text reaches integer by its own cast
    let desired = Desired::from_sql("create table t (at double precision, n uuid, code integer, flag boolean);", "s");
    let plan = session.plan(&desired, &Settings::default()).await.unwrap();
    let through_text: Vec<(&str, Option<u64>)> =
        plan.findings.iter().filter(|f| f.code == "MF106").map(|f| (f.code, f.violations)).collect();
    assert_eq!(through_text, [("MF106", Some(0)), ("MF106", Some(0))], "{:?}", plan.findings);
    assert!(plan.findings.iter().any(|f| f.message.contains("no cast")), "{:?}", plan.findings);
    assert_eq!(plan.verdict(), "ready to apply");
    let statements = plan.plan.statements.iter().map(|s| s.sql.as_str()).collect::<Vec<_>>().join("\n");
    assert!(statements.contains("USING at::text::double precision"), "{statements}");
    assert!(statements.contains("USING flag::integer::boolean"), "{statements}");
    let outcome = session.apply(&desired, &Settings::default(), Approval::Policy).await.unwrap();
    assert!(matches!(outcome, ApplyOutcome::Applied { .. }), "{outcome:?}");
    assert!(session.plan(&desired, &Settings::default()).await.unwrap().in_sync());
    let flag: bool = sqlx::query_scalar("select flag from t").fetch_one(&mut conn).await.unwrap();
    assert!(flag);

    // a value whose text does not read as the new type: counted at plan time, and the apply, which fails,
    // leaves the table as it was
    let retyped = Desired::from_sql("create table t (at double precision, n uuid, code date, flag boolean);", "s");
    let plan = session.plan(&retyped, &Settings::default()).await.unwrap();
    let counted: Vec<Option<u64>> = plan.findings.iter().filter(|f| f.code == "MF106").map(|f| f.violations).collect();
    assert_eq!(counted, [Some(1)], "{:?}", plan.findings);
    let err = session.apply(&retyped, &Settings::default(), Approval::Policy).await.unwrap_err();
    assert!(err.to_string().contains("invalid input syntax for type date"), "{err}");
    let types: Vec<String> = sqlx::query_scalar(
        "select data_type::text from information_schema.columns where table_name = 't' order by ordinal_position",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    assert_eq!(types, ["double precision", "uuid", "integer", "boolean"], "nothing ran");
}
