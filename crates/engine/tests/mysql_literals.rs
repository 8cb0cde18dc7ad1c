//! String literals on a real MariaDB: what the plan shows is what the server reads, whatever the literal holds
//! (quotes, backslashes, control characters, statement separators) and whatever the session's `sql_mode`;
//! values read back exactly, and a re-plan is empty.

use driftless_engine::{ApplyOutcome, Approval, DatabaseUrl, Desired, Session, Settings};
use driftless_model::{Database, Dialect};
use driftless_testkit::{TestDb, mysql_table_names};
use sqlx::MySqlConnection;

async fn session(db: &TestDb) -> Session {
    Session::connect(&DatabaseUrl::parse(db.url()).unwrap()).await.unwrap()
}

/// Applies `sql` and checks that a re-plan is empty.
async fn converge(db: &TestDb, sql: &str) {
    let desired = Desired::from_sql(sql, "s.sql");
    let mut session = session(db).await;
    let outcome = session.apply(&desired, &Settings::default(), Approval::Policy).await.unwrap();
    assert!(matches!(outcome, ApplyOutcome::Applied { .. } | ApplyOutcome::InSync(_)), "{outcome:?}");
    let again = session.plan(&desired, &Settings::default()).await.unwrap();
    assert!(again.in_sync(), "re-plan is not empty:\n{}", again.plan.to_sql());
}

/// A column's default as the server holds it, read back through an inserted row.
async fn default_value(conn: &mut MySqlConnection, table: &str, column: &str) -> String {
    sqlx::query(sqlx::AssertSqlSafe(format!("INSERT INTO {table} () VALUES ()"))).execute(&mut *conn).await.unwrap();
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT CAST({column} AS CHAR) FROM {table} LIMIT 1")))
        .fetch_one(&mut *conn)
        .await
        .unwrap()
}

/// A column's `COLUMN_TYPE` in the connection's database.
async fn column_type(conn: &mut MySqlConnection, column: &str) -> String {
    sqlx::query_scalar(
        "SELECT CAST(COLUMN_TYPE AS CHAR) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() \
         AND COLUMN_NAME = ?",
    )
    .bind(column)
    .fetch_one(conn)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_literal_cannot_end_its_statement_and_start_another() {
    let db = TestDb::mysql().await;
    let mut conn = db.connect_mysql().await;
    let hostile = r"create table canary (id int);
        create table t (a varchar(200) default 'x\\', b varchar(200) default ') ; drop table canary; -- ');";
    converge(&db, hostile).await;
    assert_eq!(mysql_table_names(&mut conn).await, ["canary", "t"]);
    assert_eq!(default_value(&mut conn, "t", "a").await, r"x\");
    assert_eq!(default_value(&mut conn, "t", "b").await, ") ; drop table canary; -- ");
}

#[tokio::test]
async fn backslashes_survive_an_unrelated_change_to_their_column() {
    let db = TestDb::mysql().await;
    let mut conn = db.connect_mysql().await;
    sqlx::query(r"create table t (id int primary key auto_increment, p varchar(50) default 'C:\\temp\\new')")
        .execute(&mut conn)
        .await
        .unwrap();
    converge(&db, r"create table t (id int primary key auto_increment, p varchar(60) default 'C:\\temp\\new');").await;
    assert_eq!(default_value(&mut conn, "t", "p").await, r"C:\temp\new");
    assert_eq!(column_type(&mut conn, "p").await, "varchar(60)");
}

#[tokio::test]
async fn view_and_enum_literals_keep_their_backslashes_and_quotes() {
    let db = TestDb::mysql().await;
    let mut conn = db.connect_mysql().await;
    converge(
        &db,
        r"create table e (id int primary key, k enum('back\\slash', 'it''s', 'tab\there', 'Upper') default 'back\\slash');
          create view v as select 'a\\b' as x, 'it''s' as y, 'it\'s' as z, '50\%' as w;",
    )
    .await;
    let row: (String, String, String, String) =
        sqlx::query_as("SELECT CAST(x AS CHAR), CAST(y AS CHAR), CAST(z AS CHAR), CAST(w AS CHAR) FROM v")
            .fetch_one(&mut conn)
            .await
            .unwrap();
    assert_eq!(row, (r"a\b".into(), "it's".into(), "it's".into(), r"50\%".into()));
    sqlx::query("INSERT INTO e (id) VALUES (1)").execute(&mut conn).await.unwrap();
    let labels: Vec<String> = sqlx::query_scalar(
        "SELECT CAST(k AS CHAR) FROM (SELECT k FROM e UNION ALL SELECT 'it''s' UNION ALL SELECT 'tab\there') AS all_labels",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    assert_eq!(labels, [r"back\slash", "it's", "tab\there"]);
    assert_eq!(column_type(&mut conn, "k").await, r"enum('back\\slash','it''s','tab	here','Upper')");
}

#[tokio::test]
async fn inspect_prints_sql_that_recreates_the_same_schema() {
    let source = TestDb::mysql().await;
    let mut conn = source.connect_mysql().await;
    sqlx::query(
        r"create table t (id int primary key, p varchar(50) default 'C:\\temp\\new', q varchar(10) default 'it''s',
          k enum('back\\slash','x') default 'x', n varchar(10) default 'a\nb')",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    sqlx::query(r"create view v as select 'a\\b' as x, 'it''s' as y").execute(&mut conn).await.unwrap();
    let mut session = session(&source).await;
    let schemas = [source.name().to_string()];
    let printed = driftless_plan::render_schema(&session.inspect(&schemas).await.unwrap()).unwrap();
    assert!(printed.contains(r"'C:\\temp\\new'") && printed.contains(r"'a\\b'"), "{printed}");

    let copy = TestDb::mysql().await;
    converge(&copy, &printed.replace(&format!("`{}`.", source.name()), "").replace(&format!("{}.", source.name()), ""))
        .await;
    let mut copied = copy.connect_mysql().await;
    sqlx::query("INSERT INTO t (id) VALUES (1)").execute(&mut copied).await.unwrap();
    let row: (String, String, String) =
        sqlx::query_as("SELECT CAST(p AS CHAR), CAST(q AS CHAR), CAST(n AS CHAR) FROM t")
            .fetch_one(&mut copied)
            .await
            .unwrap();
    assert_eq!(row, (r"C:\temp\new".into(), "it's".into(), "a\nb".into()));
    let view: String = sqlx::query_scalar("SELECT CAST(x AS CHAR) FROM v").fetch_one(&mut copied).await.unwrap();
    assert_eq!(view, r"a\b");
}

#[tokio::test]
async fn a_session_without_backslash_escapes_reads_the_plan_as_shown() {
    let db = TestDb::mysql().await;
    let mut conn = db.connect_mysql().await;
    sqlx::query("SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, ',NO_BACKSLASH_ESCAPES,ANSI_QUOTES')")
        .execute(&mut conn)
        .await
        .unwrap();
    let options = driftless_parse::ParseOptions { dialect: Dialect::Mysql, default_schema: db.name().to_string() };
    let sql = r"create table t (id int primary key, p varchar(50) default 'C:\\temp', q varchar(20) default 'x\'y');";
    let desired = driftless_parse::parse_schema(sql, &options).unwrap();
    let mut current = Database::new(Dialect::Mysql);
    current.schema_mut(db.name());
    let changes = driftless_diff::diff(&current, &desired);
    let plan = driftless_plan::plan(changes, &current).unwrap();
    driftless_apply::execute_mysql(&mut conn, &plan, &Default::default()).await.unwrap();
    sqlx::query("INSERT INTO t (id) VALUES (1)").execute(&mut conn).await.unwrap();
    let row: (String, String) =
        sqlx::query_as("SELECT CAST(p AS CHAR), CAST(q AS CHAR) FROM t").fetch_one(&mut conn).await.unwrap();
    assert_eq!(row, (r"C:\temp".into(), "x'y".into()));
}

/// MariaDB prints `😀` as `?` in its catalog, so a desired 4-byte character could never compare equal: the plan
/// refuses it with its line, before anything is read or run; in a comment of the SQL file it is fine.
#[tokio::test]
async fn a_four_byte_character_is_refused_with_its_line() {
    let db = TestDb::mysql().await;
    let mut session = session(&db).await;
    for sql in [
        "-- 🚀\ncreate table t (\n  a varchar(20) default 'x😀'\n);",
        "create table t (a int)\n  comment 'ok',\n  b int comment '😀';",
        "create table t (a enum('x', '😀'));",
    ] {
        let err = session.plan(&Desired::from_sql(sql, "s.sql"), &Settings::default()).await.unwrap_err();
        let line = sql.lines().position(|line| line.contains('😀')).unwrap() + 1;
        assert!(err.to_string().contains(&format!("s.sql: line {line}:")), "{sql}: {err}");
        assert!(err.to_string().contains("U+1F600"), "{err}");
    }
    assert!(mysql_table_names(&mut db.connect_mysql().await).await.is_empty(), "nothing ran");
    converge(&db, "-- 🚀 release notes\ncreate table t (a varchar(20) default 'é€' comment '日本');").await;
}
