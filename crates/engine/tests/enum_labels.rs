//! Enum label changes on a real PostgreSQL: a label removed while rows hold it (MF107) is counted and makes
//! the plan "will fail" until the rows move; a label renamed by a hint is BC103 and keeps the rows.

use driftless_engine::{ApplyOutcome, Approval, DatabaseUrl, Desired, EngineError, Session, Settings};
use driftless_testkit::TestDb;
use sqlx::{Executor, PgConnection};

const TABLE: &str = "create table t (id int primary key, m mood, ms mood[]);";

fn desired(labels: &str) -> Desired {
    Desired::from_sql(&format!("create type mood as enum ({labels});\n{TABLE}"), "schema.sql")
}

async fn labels(conn: &mut PgConnection) -> Vec<String> {
    // from the catalog: a statement naming the type would stay bound to the type it was first prepared with
    let sql = "select enumlabel::text from pg_enum join pg_type on pg_type.oid = enumtypid \
               where typname = 'mood' order by enumsortorder";
    sqlx::query_scalar(sql).fetch_all(conn).await.unwrap()
}

#[tokio::test]
async fn removing_a_label_rows_hold_is_counted_and_refused() {
    let db = TestDb::postgres().await;
    let mut session = Session::connect(&DatabaseUrl::parse(db.url()).unwrap()).await.unwrap();
    session.apply(&desired("'sad', 'ok', 'happy'"), &Settings::default(), Approval::Policy).await.unwrap();
    let mut conn = db.connect().await;
    conn.execute("insert into t values (1, 'ok', '{ok}'), (2, 'sad', '{sad}'), (3, 'happy', '{happy,ok}')")
        .await
        .unwrap();

    let without_ok = desired("'sad', 'happy'");
    let plan = session.plan(&without_ok, &Settings::default()).await.unwrap();
    let counted: Vec<(&str, Option<u64>)> = plan.findings.iter().map(|f| (f.code, f.violations)).collect();
    assert_eq!(counted, [("MF107", Some(1)), ("MF107", Some(2))], "column m, then ms: {:?}", plan.findings);
    assert!(plan.findings[1].message.contains("column ms of public.t"), "{}", plan.findings[1].message);
    assert_eq!(plan.verdict(), "will fail: 3 rows in the way");
    let refused = session.apply(&without_ok, &Settings::default(), Approval::Policy).await.unwrap_err();
    assert!(matches!(refused, EngineError::WillFail { rows: 3, .. }), "{refused:?}");
    assert_eq!(labels(&mut conn).await, ["sad", "ok", "happy"], "nothing ran");

    conn.execute("update t set m = 'sad', ms = '{sad}' where id in (1, 3)").await.unwrap();
    let plan = session.plan(&without_ok, &Settings::default()).await.unwrap();
    assert_eq!(plan.will_fail(), None, "{:?}", plan.findings);
    let applied = session.apply(&without_ok, &Settings::default(), Approval::Policy).await.unwrap();
    assert!(matches!(applied, ApplyOutcome::Applied { .. }), "{applied:?}");
    assert_eq!(labels(&mut conn).await, ["sad", "happy"]);
    assert!(session.plan(&without_ok, &Settings::default()).await.unwrap().in_sync());
}

#[tokio::test]
async fn a_label_renamed_by_a_hint_is_backward_incompatible_and_keeps_the_rows() {
    let db = TestDb::postgres().await;
    let mut session = Session::connect(&DatabaseUrl::parse(db.url()).unwrap()).await.unwrap();
    session.apply(&desired("'sad', 'happy'"), &Settings::default(), Approval::Policy).await.unwrap();
    let mut conn = db.connect().await;
    conn.execute("insert into t values (1, 'sad', '{sad,happy}')").await.unwrap();

    let renamed = desired("\n  'unhappy', -- driftless:renamed from=sad\n  'happy'\n");
    let plan = session.plan(&renamed, &Settings::default()).await.unwrap();
    let kinds: Vec<&str> = plan.plan.changes.iter().map(|change| change.kind()).collect();
    assert_eq!(kinds, ["rename_enum_value"]);
    let codes: Vec<&str> = plan.findings.iter().map(|f| f.code).collect();
    assert_eq!(codes, ["BC103"]);
    assert!(!plan.blocked());
    session.apply(&renamed, &Settings::default(), Approval::Policy).await.unwrap();
    let row: (String, Vec<String>) =
        sqlx::query_as("select m::text, ms::text[] from t").fetch_one(&mut conn).await.unwrap();
    assert_eq!(row, ("unhappy".into(), vec!["unhappy".into(), "happy".into()]));
    assert!(session.plan(&renamed, &Settings::default()).await.unwrap().in_sync());
}
