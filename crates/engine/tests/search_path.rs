//! A PostgreSQL database whose `search_path` is not `public`: the diff names user types relative to the
//! connection's current schema, as the database prints them.

use driftless_engine::{ApplyOutcome, Approval, DatabaseUrl, Desired, Session, Settings};
use driftless_testkit::TestDb;
use sqlx::Executor;

#[tokio::test]
async fn removing_an_enum_label_in_the_current_schema_converts_its_columns() {
    let db = TestDb::postgres().await;
    let mut admin = db.connect().await;
    admin
        .execute(sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "create schema app; alter database {} set search_path = app",
            db.name()
        ))))
        .await
        .unwrap();
    // a new connection, to take the database's search_path
    let mut conn = db.connect().await;
    conn.execute(sqlx::raw_sql(
        "create type mood as enum ('happy', 'sad', 'meh');
         create table t (id int primary key, m mood not null default 'happy');
         insert into t values (1, 'happy'), (2, 'sad');",
    ))
    .await
    .unwrap();
    let desired = Desired::from_sql(
        "create type mood as enum ('happy', 'sad');
         create table t (id int primary key, m mood not null default 'happy');",
        "schema.sql",
    );
    let mut session = Session::connect(&DatabaseUrl::parse(db.url()).unwrap()).await.unwrap();
    assert_eq!(session.default_schema(), "app");

    let outcome = session.plan(&desired, &Settings::default()).await.unwrap();
    let kinds: Vec<&str> = outcome.plan.changes.iter().map(|change| change.kind()).collect();
    assert_eq!(kinds, ["recreate_enum", "drop_enum"], "{:#?}", outcome.plan.to_sql());
    let applied = session.apply(&desired, &Settings::default(), Approval::Policy).await.unwrap();
    assert!(matches!(applied, ApplyOutcome::Applied { .. }), "{applied:?}");

    let rows: Vec<String> =
        sqlx::query_scalar("select m::text from app.t order by id").fetch_all(&mut conn).await.unwrap();
    assert_eq!(rows, ["happy", "sad"]);
    let labels: Vec<String> =
        sqlx::query_scalar("select unnest(enum_range(null::app.mood))::text").fetch_all(&mut conn).await.unwrap();
    assert_eq!(labels, ["happy", "sad"]);
    let again = session.plan(&desired, &Settings::default()).await.unwrap();
    assert!(again.in_sync(), "{:?}", again.plan.to_sql());
}
