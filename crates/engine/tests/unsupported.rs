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

/// MySQL changes an index comment only by building the index again, which a comment change does not say how
/// to do: the plan stops, and the table the same plan would create is not created.
#[tokio::test]
async fn an_index_comment_change_on_mysql_applies_nothing() {
    let db = TestDb::mysql().await;
    let mut conn = db.connect_mysql().await;
    sqlx::query("CREATE TABLE t (id int PRIMARY KEY, a int, KEY ia (a) COMMENT 'by a')")
        .execute(&mut conn)
        .await
        .unwrap();
    let desired =
        Desired::from_sql("create table t (id int primary key, a int, key ia (a)); create table u (id int);", "s.sql");
    let mut session = Session::connect(&DatabaseUrl::parse(db.url()).unwrap()).await.unwrap();
    let error = session.apply(&desired, &Settings::default(), Approval::Policy).await.unwrap_err();
    assert!(matches!(error, EngineError::Plan(PlanError::Unsupported { .. })), "{error:?}");
    let message = format!("planning: no MySQL statement for set_comment (index ia in {})", db.name());
    assert_eq!(error.to_string(), message);
    assert_eq!(mysql_table_names(&mut conn).await, ["t"], "nothing ran");
}
