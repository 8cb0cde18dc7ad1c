//! SQLite end to end on real files: the table rebuild keeps every row, a rebuild that would break a foreign
//! key or a NOT NULL rolls back whole, and a second apply is in sync.

use driftless_engine::{ApplyOutcome, Approval, DatabaseUrl, Desired, EngineError, Session, Settings};
use sqlx::{Executor, SqliteConnection};

struct File {
    dir: tempfile::TempDir,
}

impl File {
    fn new() -> File {
        File { dir: tempfile::tempdir().unwrap() }
    }

    fn url(&self) -> DatabaseUrl {
        DatabaseUrl::parse(&format!("sqlite://{}", self.dir.path().join("app.db").display())).unwrap()
    }

    async fn session(&self) -> Session {
        Session::connect(&self.url()).await.unwrap()
    }
}

async fn apply(session: &mut Session, sql: &str) -> Result<ApplyOutcome, EngineError> {
    session.apply(&Desired::from_sql(sql, "test"), &Settings::default(), Approval::Policy).await
}

/// Every row of a table as text, in rowid order.
async fn rows(conn: &mut SqliteConnection, query: &str) -> Vec<String> {
    sqlx::query_scalar(sqlx::AssertSqlSafe(query.to_string())).fetch_all(conn).await.unwrap()
}

async fn raw(file: &File) -> SqliteConnection {
    use sqlx::ConnectOptions;
    sqlx::sqlite::SqliteConnectOptions::new().filename(file.dir.path().join("app.db")).connect().await.unwrap()
}

const V1: &str = "
    create table teams (id integer primary key, name text not null unique);
    create table users (id integer primary key, email text, score integer, team_id integer references teams (id));
    create index users_email on users (email);";

#[tokio::test]
async fn a_rebuild_keeps_every_row() {
    let file = File::new();
    let mut session = file.session().await;
    assert!(matches!(apply(&mut session, V1).await.unwrap(), ApplyOutcome::Applied { .. }));
    let mut conn = raw(&file).await;
    conn.execute(
        "insert into teams values (1, 'a'), (2, 'b');
         with recursive n(i) as (select 1 union all select i + 1 from n where i < 500)
         insert into users (id, email, score, team_id) select i, 'u' || i || '@x', i * 3, 1 + i % 2 from n;",
    )
    .await
    .unwrap();
    let before =
        rows(&mut conn, "select id || '|' || email || '|' || score || '|' || team_id from users order by id").await;
    drop(conn);

    // a type change, a new NOT NULL with a check, new foreign key actions and a new column: one rebuild
    let v2 = "
        create table teams (id integer primary key, name text not null unique);
        create table users (id integer primary key, email text not null check (email like '%@%'), score real,
                            team_id integer references teams (id) on delete cascade, note text default 'none');
        create index users_email on users (email);";
    let ApplyOutcome::Applied { outcome, .. } = apply(&mut session, v2).await.unwrap() else { panic!("not applied") };
    assert!(outcome.plan.statements.iter().any(|s| s.sql.starts_with("INSERT INTO _driftless_new_users")));
    assert!(outcome.findings.iter().any(|f| f.code == "SL101"));

    let mut conn = raw(&file).await;
    let after = rows(
        &mut conn,
        "select id || '|' || email || '|' || cast(score as integer) || '|' || team_id from users order by id",
    )
    .await;
    assert_eq!(after, before, "every row survives the rebuild");
    let notes = rows(&mut conn, "select distinct note from users").await;
    assert_eq!(notes, ["none"], "the new column takes its default");
    let indexes = rows(
        &mut conn,
        "select name from sqlite_schema where type = 'index' and tbl_name = 'users' and sql is not null",
    )
    .await;
    assert_eq!(indexes, ["users_email"], "indexes are created again");
    assert!(matches!(apply(&mut session, v2).await.unwrap(), ApplyOutcome::InSync(_)));
}

#[tokio::test]
async fn a_rebuild_that_breaks_a_foreign_key_rolls_back_whole() {
    let file = File::new();
    let mut session = file.session().await;
    apply(
        &mut session,
        "create table teams (id integer primary key); create table users (id integer primary key, team_id integer);",
    )
    .await
    .unwrap();
    let mut conn = raw(&file).await;
    conn.execute("insert into teams values (1); insert into users values (1, 1), (2, 99);").await.unwrap();
    drop(conn);

    let desired = "create table teams (id integer primary key);
                   create table users (id integer primary key, team_id integer references teams (id));";
    let error = apply(&mut session, desired).await.unwrap_err().to_string();
    assert!(error.contains("foreign key violation"), "{error}");

    let mut conn = raw(&file).await;
    assert_eq!(rows(&mut conn, "select id || '|' || team_id from users order by id").await, ["1|1", "2|99"]);
    let fks: i64 =
        sqlx::query_scalar("select count(*) from pragma_foreign_key_list('users')").fetch_one(&mut conn).await.unwrap();
    assert_eq!(fks, 0, "the table is as it was");
    let foreign_keys: bool = sqlx::query_scalar("PRAGMA foreign_keys").fetch_one(&mut conn).await.unwrap();
    assert!(foreign_keys, "sqlx turns foreign keys on for new connections");
}

#[tokio::test]
async fn not_null_over_null_rows_fails_and_changes_nothing() {
    let file = File::new();
    let mut session = file.session().await;
    apply(&mut session, "create table t (id integer primary key, email text);").await.unwrap();
    let mut conn = raw(&file).await;
    conn.execute("insert into t values (1, 'a'), (2, null);").await.unwrap();
    drop(conn);
    let desired = "create table t (id integer primary key, email text not null);";
    let outcome = session.plan(&Desired::from_sql(desired, "test"), &Settings::default()).await.unwrap();
    let finding = outcome.findings.iter().find(|f| f.code == "MF104").expect("MF104");
    assert_eq!(finding.violations, Some(1), "the NULL rows are counted: {}", finding.message);
    let error = apply(&mut session, desired).await.unwrap_err();
    assert!(error.to_string().contains("NOT NULL"), "{error}");
    let mut conn = raw(&file).await;
    assert_eq!(rows(&mut conn, "select id || '|' || coalesce(email, '-') from t order by id").await, ["1|a", "2|-"]);
    let tables = rows(&mut conn, "select name from sqlite_schema where type = 'table' order by name").await;
    assert_eq!(tables, ["t"], "no temporary table is left behind");
}

#[tokio::test]
async fn a_missing_file_is_created_empty() {
    let file = File::new();
    let mut session = file.session().await;
    let outcome = session
        .plan(&Desired::from_sql("create table t (id integer primary key);", "test"), &Settings::default())
        .await
        .unwrap();
    assert_eq!(outcome.plan.statements.len(), 1);
    assert!(file.dir.path().join("app.db").exists());
}
