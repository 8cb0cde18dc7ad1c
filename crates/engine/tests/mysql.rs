//! Apply's guarantees on a real MariaDB, where DDL is not transactional: two appliers never race (`GET_LOCK`),
//! the wait for the lock is bounded, the apply's timeouts reach the server, and a destructive plan is blocked
//! before anything runs.

use driftless_engine::{ApplyError, ApplyOutcome, Approval, DatabaseUrl, Desired, EngineError, Session, Settings};
use driftless_testkit::{TestDb, mysql_table_names};
use std::time::Duration;

async fn session(db: &TestDb) -> Session {
    Session::connect(&DatabaseUrl::parse(db.url()).unwrap()).await.unwrap()
}

#[tokio::test]
async fn a_second_applier_waits_for_the_lock_then_gives_up() {
    let db = TestDb::mysql().await;
    let mut holder = db.connect_mysql().await;
    let held: i64 = sqlx::query_scalar("SELECT GET_LOCK(CONCAT('driftless:', DATABASE()), 0)")
        .fetch_one(&mut holder)
        .await
        .unwrap();
    assert_eq!(held, 1);
    let desired = Desired::from_sql("create table t (id int primary key);", "s.sql");
    let mut settings = Settings::default();
    settings.apply.schema_lock_wait = Duration::from_millis(300);

    let err = session(&db).await.apply(&desired, &settings, Approval::Policy).await.unwrap_err();
    assert!(matches!(err, EngineError::Apply(ApplyError::LockBusy(_))), "{err:?}");
    assert!(mysql_table_names(&mut holder).await.is_empty(), "nothing ran");

    sqlx::query("DO RELEASE_LOCK(CONCAT('driftless:', DATABASE()))").execute(&mut holder).await.unwrap();
    let mut session = session(&db).await;
    settings.apply.statement_timeout = Some(Duration::from_secs(30));
    let outcome = session.apply(&desired, &settings, Approval::Policy).await.unwrap();
    assert!(matches!(outcome, ApplyOutcome::Applied { .. }), "{outcome:?}");
    assert_eq!(mysql_table_names(&mut holder).await, ["t"]);
    // the lock is released after the apply: another session takes it at once
    let again: i64 = sqlx::query_scalar("SELECT GET_LOCK(CONCAT('driftless:', DATABASE()), 0)")
        .fetch_one(&mut holder)
        .await
        .unwrap();
    assert_eq!(again, 1);
}

#[tokio::test]
async fn a_destructive_plan_is_blocked_before_anything_runs() {
    let db = TestDb::mysql().await;
    let mut conn = db.connect_mysql().await;
    let mut session = session(&db).await;
    let both = Desired::from_sql("create table a (id int primary key); create table b (id int primary key);", "s.sql");
    session.apply(&both, &Settings::default(), Approval::Policy).await.unwrap();

    // adding c would run first, but dropping b is destructive: the whole plan is blocked
    let desired = Desired::from_sql("create table a (id int primary key); create table c (id int);", "s.sql");
    let outcome = session.apply(&desired, &Settings::default(), Approval::Policy).await.unwrap();
    let ApplyOutcome::Blocked(outcome) = outcome else { panic!("not blocked: {outcome:?}") };
    assert!(outcome.findings.iter().any(|f| f.code == "DS102"), "{:?}", outcome.findings);
    let mut names = mysql_table_names(&mut conn).await;
    names.sort();
    assert_eq!(names, ["a", "b"]);
}

#[tokio::test]
async fn an_engine_change_is_refused_rather_than_reported_in_sync() {
    let db = TestDb::mysql().await;
    let mut session = session(&db).await;
    let innodb = Desired::from_sql("create table t (id int primary key);", "s.sql");
    session.apply(&innodb, &Settings::default(), Approval::Policy).await.unwrap();

    let myisam = Desired::from_sql("create table t (id int primary key) engine=MyISAM;", "s.sql");
    let err = session.plan(&myisam, &Settings::default()).await.unwrap_err().to_string();
    assert!(err.contains("ENGINE=InnoDB") && err.contains("ENGINE=MyISAM"), "{err}");
}

#[tokio::test]
async fn data_dependent_findings_count_the_rows_in_the_way() {
    let db = TestDb::mysql().await;
    let mut conn = db.connect_mysql().await;
    for sql in [
        "create table users (id int primary key, email varchar(100), name varchar(50))",
        "insert into users values (1, 'a@x', 'short'), (2, 'a@x', 'a much longer name than ten'), (3, null, 'x'), \
         (4, 'b@x', null), (5, 'b@x', null)",
    ] {
        sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut conn).await.unwrap();
    }
    let desired = Desired::from_sql(
        "create table users (id int primary key, email varchar(100) not null unique, name varchar(10));",
        "s.sql",
    );
    let outcome = session(&db).await.plan(&desired, &Settings::default()).await.unwrap();
    let violations = |code: &str| outcome.findings.iter().find(|f| f.code == code).and_then(|f| f.violations);
    assert_eq!(violations("MF101"), Some(4), "two pairs of rows share an email: {:?}", outcome.findings);
    assert_eq!(violations("MF104"), Some(1), "one NULL email");
    assert_eq!(violations("MF105"), Some(1), "one name longer than 10 characters");
}
