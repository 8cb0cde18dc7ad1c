//! Drops ordered by dependency on real servers: a referencing table dropped together with the key it
//! references, and a function dropped together with the function whose body calls it. Each applies in one
//! go, the live schema is what was declared, and a re-plan is empty.

use driftless_engine::{ApplyOutcome, Approval, DatabaseUrl, Desired, Level, Session, Settings};
use driftless_testkit::TestDb;
use sqlx::Executor;

const CURRENT: &str = "create table p (id int primary key); create table ch (r int references p(id));";
const DESIRED: &str = "create table p (id int);";

fn allow_drops() -> Settings {
    let mut settings = Settings::default();
    settings.lint.destructive = Level::Warn;
    settings
}

async fn converge(url: &DatabaseUrl, current: &str, desired: &str) -> Session {
    let mut session = Session::connect(url).await.unwrap();
    let first = session.apply(&Desired::from_sql(current, "current.sql"), &allow_drops(), Approval::Policy).await;
    assert!(matches!(first, Ok(ApplyOutcome::Applied { .. })), "{first:?}");
    let desired = Desired::from_sql(desired, "desired.sql");
    let outcome = session.apply(&desired, &allow_drops(), Approval::Policy).await;
    assert!(matches!(outcome, Ok(ApplyOutcome::Applied { .. })), "{outcome:?}");
    let replan = session.plan(&desired, &allow_drops()).await.unwrap();
    assert!(replan.in_sync(), "{:?}", replan.plan);
    session
}

#[tokio::test]
async fn postgres_drops_the_referencing_table_before_the_key() {
    let db = TestDb::postgres().await;
    converge(&DatabaseUrl::parse(db.url()).unwrap(), CURRENT, DESIRED).await;
    let mut conn = db.connect().await;
    let ch: bool = sqlx::query_scalar("select to_regclass('ch') is not null").fetch_one(&mut conn).await.unwrap();
    assert!(!ch);
    let keys: i64 = sqlx::query_scalar("select count(*) from pg_constraint where conrelid = 'p'::regclass")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(keys, 0);
}

#[tokio::test]
async fn mariadb_drops_the_referencing_table_before_the_key() {
    let db = TestDb::mysql().await;
    converge(&DatabaseUrl::parse(db.url()).unwrap(), CURRENT, DESIRED).await;
    let mut conn = db.connect_mysql().await;
    let tables: Vec<String> = sqlx::query_scalar(
        "select cast(table_name as char) from information_schema.tables where table_schema = database()",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    assert_eq!(tables, ["p"]);
    let keys: i64 =
        sqlx::query_scalar("select count(*) from information_schema.table_constraints where table_schema = database()")
            .fetch_one(&mut conn)
            .await
            .unwrap();
    assert_eq!(keys, 0);
}

#[tokio::test]
async fn sqlite_drops_the_referencing_table_before_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.db");
    let url = DatabaseUrl::parse(&format!("sqlite://{}", path.display())).unwrap();
    converge(&url, CURRENT, DESIRED).await;
    use sqlx::ConnectOptions;
    let mut conn = sqlx::sqlite::SqliteConnectOptions::new().filename(&path).connect().await.unwrap();
    let sql: Vec<String> = sqlx::query_scalar("select sql from sqlite_master where type = 'table' order by name")
        .fetch_all(&mut conn)
        .await
        .unwrap();
    assert_eq!(sql.len(), 1, "{sql:?}");
    assert!(!sql[0].to_lowercase().contains("primary key"), "{sql:?}");
}

#[tokio::test]
async fn postgres_drops_the_calling_function_before_the_called_one() {
    let db = TestDb::postgres().await;
    let mut conn = db.connect().await;
    // PostgreSQL records that b_outer's argument default calls a_inner and refuses to drop a_inner first
    conn.execute(sqlx::raw_sql(
        "create function a_inner() returns int language sql as 'select 1';
         create function b_outer(x int default a_inner()) returns int language sql as 'select x + 1';
         create table t (id int);",
    ))
    .await
    .unwrap();
    let desired = "create table t (id int);";
    let url = DatabaseUrl::parse(db.url()).unwrap();
    let mut session = Session::connect(&url).await.unwrap();
    let desired = Desired::from_sql(desired, "desired.sql");
    let outcome = session.apply(&desired, &allow_drops(), Approval::Policy).await;
    assert!(matches!(outcome, Ok(ApplyOutcome::Applied { .. })), "{outcome:?}");
    assert!(session.plan(&desired, &allow_drops()).await.unwrap().in_sync());
    let functions: i64 = sqlx::query_scalar("select count(*) from pg_proc where pronamespace = 'public'::regnamespace")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(functions, 0);
}
