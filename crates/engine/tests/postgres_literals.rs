//! String literals on a real PostgreSQL whose database has `standard_conforming_strings` off (backslashes are
//! escapes in ordinary literals there): what the plan shows is what runs, values read back exactly, and a
//! re-plan is empty.

use driftless_engine::{ApplyOutcome, Approval, DatabaseUrl, Desired, Session, Settings};
use driftless_testkit::TestDb;
use sqlx::Executor;

#[tokio::test]
async fn backslashes_in_literals_mean_the_same_without_standard_conforming_strings() {
    let db = TestDb::postgres().await;
    let mut admin = db.connect().await;
    // the test's own database only; new sessions start with the setting off
    admin
        .execute(sqlx::AssertSqlSafe(format!("alter database {} set standard_conforming_strings = off", db.name())))
        .await
        .unwrap();
    let sql = r"create table t (id int, p text default 'C:\temp\new', q text default 'it''s \', check (q <> 'a\b'));
comment on table t is 'back\slash';";
    let desired = Desired::from_sql(sql, "s.sql");
    let mut session = Session::connect(&DatabaseUrl::parse(db.url()).unwrap()).await.unwrap();
    let outcome = session.apply(&desired, &Settings::default(), Approval::Policy).await.unwrap();
    assert!(matches!(outcome, ApplyOutcome::Applied { .. }), "{outcome:?}");
    assert!(session.plan(&desired, &Settings::default()).await.unwrap().in_sync());

    let mut conn = db.connect().await;
    conn.execute("set standard_conforming_strings = on").await.unwrap();
    conn.execute("insert into t (id) values (1)").await.unwrap();
    let row: (String, String, String) =
        sqlx::query_as("select p, q, obj_description('t'::regclass, 'pg_class') from t")
            .fetch_one(&mut conn)
            .await
            .unwrap();
    assert_eq!(row, (r"C:\temp\new".into(), r"it's \".into(), r"back\slash".into()));
}
