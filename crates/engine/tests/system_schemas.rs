//! System schemas are never managed: a desired schema naming one, or a scope listing one, is refused with a
//! clear error before anything is planned or applied; on MySQL a qualified name naming another database is
//! refused too. The live database is left as it was.

use driftless_engine::{Approval, DatabaseUrl, Desired, EngineError, Level, Session, Settings};
use driftless_testkit::TestDb;

fn allow_drops() -> Settings {
    let mut settings = Settings::default();
    settings.lint.destructive = Level::Warn;
    settings
}

async fn refused(session: &mut Session, sql: &str, settings: &Settings) -> String {
    let desired = Desired::from_sql(sql, "schema.sql");
    let plan = session.plan(&desired, settings).await;
    assert!(plan.is_err(), "planned: {:?}", plan.map(|outcome| outcome.plan));
    let applied = session.apply(&desired, settings, Approval::Policy).await;
    let err = applied.expect_err("applied");
    assert!(matches!(err, EngineError::Parse { .. } | EngineError::Unsupported(_)), "{err:?}");
    err.to_string()
}

#[tokio::test]
async fn postgres_refuses_system_schemas() {
    let db = TestDb::postgres().await;
    let mut session = Session::connect(&DatabaseUrl::parse(db.url()).unwrap()).await.unwrap();
    let message =
        refused(&mut session, "create table t (id int);\ncreate table information_schema.t (id int);", &allow_drops())
            .await;
    assert!(message.contains("line 2") && message.contains("system schema"), "{message}");
    let message = refused(&mut session, "create schema pg_catalog;", &allow_drops()).await;
    assert!(message.contains("`pg_catalog` is a system schema"), "{message}");
    let message = refused(&mut session, "create table pg_toast.x (id int);", &allow_drops()).await;
    assert!(message.contains("pg_toast"), "{message}");

    let mut settings = allow_drops();
    settings.scope.schemas = vec!["public".into(), "pg_catalog".into()];
    let message = refused(&mut session, "create table t (id int);", &settings).await;
    assert!(message.contains("`pg_catalog` is a system schema"), "{message}");

    // nothing ran: the table declared next to the system one does not exist, and information_schema is whole
    let mut conn = db.connect().await;
    let created: bool =
        sqlx::query_scalar("select to_regclass('public.t') is not null").fetch_one(&mut conn).await.unwrap();
    assert!(!created);
    let views: i64 = sqlx::query_scalar("select count(*) from pg_views where schemaname = 'information_schema'")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert!(views > 50, "{views}");

    // a schema of the user's still works, and types qualified with pg_catalog are not a schema under management
    let desired = Desired::from_sql("create table t (id pg_catalog.int4, note text);", "schema.sql");
    let outcome = session.apply(&desired, &allow_drops(), Approval::Policy).await.unwrap();
    assert!(matches!(outcome, driftless_engine::ApplyOutcome::Applied { .. }), "{outcome:?}");
    assert!(session.plan(&desired, &allow_drops()).await.unwrap().in_sync());
}

#[tokio::test]
async fn mysql_refuses_system_and_other_databases() {
    let db = TestDb::mysql().await;
    let mut session = Session::connect(&DatabaseUrl::parse(db.url()).unwrap()).await.unwrap();
    let message =
        refused(&mut session, "create table t (id int);\ncreate table mysql.t (id int);", &allow_drops()).await;
    assert!(message.contains("line 2") && message.contains("system schema"), "{message}");
    let message =
        refused(&mut session, "create table t (id int);\n\ncreate table other_app.t (id int);", &allow_drops()).await;
    assert!(message.contains("line 3") && message.contains("another database"), "{message}");

    let mut settings = allow_drops();
    settings.scope.schemas = vec!["performance_schema".into()];
    let message = refused(&mut session, "create table t (id int);", &settings).await;
    assert!(message.contains("system schema"), "{message}");

    let mut conn = db.connect_mysql().await;
    let databases: i64 =
        sqlx::query_scalar("select count(*) from information_schema.schemata where schema_name = 'other_app'")
            .fetch_one(&mut conn)
            .await
            .unwrap();
    assert_eq!(databases, 0);
    let tables: i64 =
        sqlx::query_scalar("select count(*) from information_schema.tables where table_schema = database()")
            .fetch_one(&mut conn)
            .await
            .unwrap();
    assert_eq!(tables, 0);
}
