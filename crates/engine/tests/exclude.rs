//! `--exclude` on real databases: excluded objects of every kind are neither created, changed nor dropped,
//! nor is anything inside an excluded table.

use driftless_engine::{ApplyOutcome, Approval, DatabaseUrl, Desired, Outcome, Scope, Session, Settings};
use driftless_testkit::TestDb;
use sqlx::Executor;

async fn session(url: &str) -> Session {
    Session::connect(&DatabaseUrl::parse(url).unwrap()).await.unwrap()
}

fn excluding(patterns: &[&str]) -> Settings {
    Settings {
        scope: Scope { exclude: patterns.iter().map(|p| p.to_string()).collect(), ..Default::default() },
        ..Default::default()
    }
}

fn sql(outcome: &Outcome) -> Vec<String> {
    outcome.plan.statements.iter().map(|statement| statement.sql.clone()).collect()
}

/// Plans under `settings` expecting nothing to do, applies to be sure, and returns what the same plan
/// without exclusions would run: the proof that the excluded objects differ from the desired schema.
async fn in_sync_only_when_excluded(session: &mut Session, desired: &str, settings: &Settings) -> Vec<String> {
    let desired = Desired::from_sql(desired, "schema.sql");
    let excluded = session.plan(&desired, settings).await.unwrap();
    assert!(excluded.in_sync(), "excluded objects were planned: {:?}", sql(&excluded));
    let applied = session.apply(&desired, settings, Approval::Policy).await.unwrap();
    assert!(matches!(applied, ApplyOutcome::InSync(_)), "{applied:?}");
    sql(&session.plan(&desired, &Settings::default()).await.unwrap())
}

#[tokio::test]
async fn excluded_triggers_indexes_constraints_extensions_and_tables_stay_on_postgres() {
    let db = TestDb::postgres().await;
    db.connect()
        .await
        .execute(sqlx::raw_sql(
            "create extension citext;
             create table t (id int primary key, n int, constraint legacy_chk check (n > 0));
             create index legacy_idx on t (n);
             create function legacy_touch() returns trigger language plpgsql as $$ begin return new; end $$;
             create trigger legacy_trg before insert on t for each row execute function legacy_touch();
             create table legacy_orders (id serial primary key, note text);
             create index legacy_orders_note on legacy_orders (note);",
        ))
        .await
        .unwrap();
    // declared but excluded: an index to create, a changed table; the live objects above are not declared
    let desired = "create table t (id int primary key, n int);
                   create index legacy_new_idx on t (id, n);
                   create table legacy_orders (id bigint primary key);";
    let mut session = session(db.url()).await;
    let unexcluded = in_sync_only_when_excluded(&mut session, desired, &excluding(&["legacy_*", "citext"])).await;
    for wanted in [
        "DROP TRIGGER legacy_trg",
        "DROP INDEX public.legacy_idx",
        "DROP CONSTRAINT legacy_chk",
        "DROP EXTENSION citext",
        "CREATE INDEX legacy_new_idx",
        "DROP INDEX public.legacy_orders_note",
        "DROP FUNCTION public.legacy_touch",
    ] {
        assert!(unexcluded.iter().any(|s| s.contains(wanted)), "{wanted} not in {unexcluded:#?}");
    }
}

#[tokio::test]
async fn excluded_indexes_and_checks_stay_on_mariadb() {
    let db = TestDb::mysql().await;
    db.connect_mysql()
        .await
        .execute(sqlx::raw_sql(
            "create table t (id int primary key, n int, constraint legacy_chk check (n > 0));
             create index legacy_idx on t (n);",
        ))
        .await
        .unwrap();
    let desired = "create table t (id int primary key, n int, key legacy_new (id, n));";
    let mut session = session(db.url()).await;
    let unexcluded = in_sync_only_when_excluded(&mut session, desired, &excluding(&["legacy_*"])).await;
    for wanted in ["legacy_idx", "legacy_chk", "legacy_new"] {
        assert!(unexcluded.iter().any(|s| s.contains(wanted)), "{wanted} not in {unexcluded:#?}");
    }
}

#[tokio::test]
async fn an_excluded_index_stays_on_sqlite() {
    use sqlx::ConnectOptions;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("app.db");
    let options = sqlx::sqlite::SqliteConnectOptions::new().filename(&file).create_if_missing(true);
    let mut conn = options.connect().await.unwrap();
    conn.execute(sqlx::raw_sql(
        "create table t (id integer primary key, n integer); create index legacy_idx on t (n);",
    ))
    .await
    .unwrap();
    let desired = "create table t (id integer primary key, n integer); create index legacy_new on t (id, n);";
    let mut session = session(&format!("sqlite://{}", file.display())).await;
    let unexcluded = in_sync_only_when_excluded(&mut session, desired, &excluding(&["legacy_*"])).await;
    for wanted in ["legacy_idx", "legacy_new"] {
        assert!(unexcluded.iter().any(|s| s.contains(wanted)), "{wanted} not in {unexcluded:#?}");
    }
}

/// A managed table that SQLite rebuilds (a column turning NOT NULL) is rebuilt with its excluded index.
#[tokio::test]
async fn a_rebuilt_sqlite_table_keeps_its_excluded_index() {
    use sqlx::ConnectOptions;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("app.db");
    let options = sqlx::sqlite::SqliteConnectOptions::new().filename(&file).create_if_missing(true);
    let mut conn = options.connect().await.unwrap();
    conn.execute(sqlx::raw_sql(
        "create table t (id integer primary key, n integer); create index legacy_idx on t (n);
         insert into t (id, n) values (1, 2);",
    ))
    .await
    .unwrap();
    let desired = Desired::from_sql("create table t (id integer primary key, n integer not null);", "schema.sql");
    let settings = excluding(&["legacy_*"]);
    let mut session = session(&format!("sqlite://{}", file.display())).await;
    let outcome = session.plan(&desired, &settings).await.unwrap();
    assert!(sql(&outcome).iter().any(|s| s.contains("legacy_idx")), "not a rebuild: {:#?}", sql(&outcome));
    let applied = session.apply(&desired, &settings, Approval::Policy).await.unwrap();
    assert!(matches!(applied, ApplyOutcome::Applied { .. }), "{applied:?}");
    let live: Vec<(String, String)> =
        sqlx::query_as("select type, name from sqlite_master where name like 'legacy%' order by name")
            .fetch_all(&mut conn)
            .await
            .unwrap();
    assert_eq!(live, [("index".into(), "legacy_idx".into())]);
    assert!(session.plan(&desired, &settings).await.unwrap().in_sync());
}
