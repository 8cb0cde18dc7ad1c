//! A change the dialect has no statement for stops the plan with a clean error before anything runs, rather
//! than borrowing PostgreSQL's SQL for the database to reject halfway through the apply.

use driftless_engine::{
    Approval, Database, DatabaseUrl, Desired, Dialect, EngineError, PlanError, Session, Settings, compute,
};
use driftless_model::builders::{add_enum, enum_type};
use driftless_testkit::{TestDb, mysql_table_names};

#[test]
fn a_type_reaching_the_mysql_planner_is_refused() {
    let mut current = Database::new(Dialect::Mysql);
    current.schema_mut("app");
    let mut desired = current.clone();
    add_enum(&mut desired, enum_type("app.mood", &["happy", "sad"]));
    let error = compute(&current, &desired, &Settings::default()).unwrap_err();
    assert!(matches!(&error, EngineError::Plan(PlanError::Unsupported { dialect: Dialect::Mysql, .. })), "{error:?}");
    assert_eq!(error.to_string(), "planning: no MySQL statement for create_enum (type app.mood)");
}

/// A change MySQL is not planned for (here a new partitioning of an existing table) stops the plan: the table
/// the same plan would create is not created.
#[tokio::test]
async fn a_refused_mysql_change_applies_nothing() {
    let db = TestDb::mysql().await;
    let mut conn = db.connect_mysql().await;
    sqlx::query("CREATE TABLE t (id int PRIMARY KEY, a int)").execute(&mut conn).await.unwrap();
    let desired = Desired::from_sql(
        "create table t (id int primary key, a int) partition by hash (id) partitions 2; create table u (id int);",
        "s.sql",
    );
    let mut session = Session::connect(&DatabaseUrl::parse(db.url()).unwrap()).await.unwrap();
    let error = session.apply(&desired, &Settings::default(), Approval::Policy).await.unwrap_err();
    assert!(error.to_string().contains("partitioning of an existing MySQL table is not planned yet"), "{error}");
    assert_eq!(mysql_table_names(&mut conn).await, ["t"], "nothing ran");
}
