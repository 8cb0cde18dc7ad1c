//! A MariaDB user granted privileges table by table sees a foreign key's columns in `KEY_COLUMN_USAGE` but
//! not its row in `REFERENTIAL_CONSTRAINTS`: the key is still inspected, with its actions, so a plan made
//! as that user is empty instead of adding the key again.

use driftless_engine::{Approval, DatabaseUrl, Desired, EngineError, Outcome, Session, Settings};
use driftless_testkit::TestDb;
use sqlx::Executor;

const SCHEMA: &str = "create table parents (id int primary key);
create table children (
  id int primary key,
  parent_id int,
  constraint children_parent foreign key (parent_id) references parents (id) on delete cascade on update set null
);";

#[tokio::test]
async fn a_foreign_key_without_its_actions_row_is_kept() {
    let db = TestDb::mysql().await;
    let desired = Desired::from_sql(SCHEMA, "schema.sql");
    let mut owner = Session::connect(&DatabaseUrl::parse(db.url()).unwrap()).await.unwrap();
    owner.apply(&desired, &Settings::default(), Approval::Policy).await.unwrap();

    // the user is named after the database, unique to this test
    let user = db.name();
    let mut conn = db.connect_mysql().await;
    conn.execute(sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "create user {user}@'%' identified by 'secret';
         grant all on {user}.parents to {user}@'%';
         grant all on {user}.children to {user}@'%';"
    ))))
    .await
    .unwrap();
    let (scheme, rest) = db.url().split_once("://").unwrap();
    let (_, host_and_database) = rest.split_once('@').unwrap();
    let url = DatabaseUrl::parse(&format!("{scheme}://{user}:secret@{host_and_database}")).unwrap();

    let planned = plan_as(&url, &desired).await;
    // dropped before the assertions, so that a failure leaves no user behind
    conn.execute(sqlx::raw_sql(sqlx::AssertSqlSafe(format!("drop user {user}@'%'")))).await.unwrap();
    let outcome = planned.unwrap();
    assert!(outcome.in_sync(), "the key is seen, actions included:\n{}", outcome.plan.to_sql());
}

async fn plan_as(url: &DatabaseUrl, desired: &Desired) -> Result<Outcome, EngineError> {
    Session::connect(url).await?.plan(desired, &Settings::default()).await
}
