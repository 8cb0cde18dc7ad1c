//! Inspecting real SQLite files: what SQLite keeps in `sqlite_schema` reads back as the model the same SQL
//! parses into.

use driftless_inspect::inspect_sqlite;
use driftless_model::{Dialect, QualifiedName};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{AssertSqlSafe, ConnectOptions, Executor};

async fn database(sql: &str) -> (tempfile::TempDir, sqlx::SqliteConnection) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let options = SqliteConnectOptions::new().filename(dir.path().join("test.db")).create_if_missing(true);
    let mut conn = options.connect().await.expect("open SQLite file");
    conn.execute(sqlx::raw_sql(AssertSqlSafe(sql.to_string()))).await.expect("build schema");
    (dir, conn)
}

const SCHEMA: &str = "
    CREATE TABLE teams (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
    CREATE TABLE users (
        id integer primary key,
        email varchar(255) NOT NULL,
        team_id INTEGER REFERENCES teams (id) ON DELETE SET NULL,
        score REAL DEFAULT 0 CHECK (score >= 0),
        created_at TEXT DEFAULT CURRENT_TIMESTAMP
    );
    CREATE UNIQUE INDEX users_email ON users (email);
    CREATE INDEX users_recent ON users (created_at DESC) WHERE team_id IS NOT NULL;
    CREATE VIEW team_users AS SELECT u.id, t.name FROM users u JOIN teams t ON t.id = u.team_id;
";

#[tokio::test]
async fn the_live_schema_equals_the_parsed_one() {
    let (_dir, mut conn) = database(SCHEMA).await;
    let live = inspect_sqlite(&mut conn).await.unwrap();
    let parsed = driftless_parse::parse_schema(SCHEMA, &driftless_parse::ParseOptions::new(Dialect::Sqlite)).unwrap();
    assert_eq!(live, parsed);
    let users = live.table(&QualifiedName::new("main", "users")).unwrap();
    assert_eq!(users.columns.len(), 5);
    assert_eq!(users.indexes.len(), 2);
    assert!(users.foreign_keys.contains_key("users_team_id_fkey"));
}

#[tokio::test]
async fn alter_table_rewrites_the_stored_text() {
    let (_dir, mut conn) = database(SCHEMA).await;
    conn.execute("ALTER TABLE users ADD COLUMN note text").await.unwrap();
    conn.execute("ALTER TABLE users RENAME COLUMN score TO points").await.unwrap();
    let live = inspect_sqlite(&mut conn).await.unwrap();
    let users = live.table(&QualifiedName::new("main", "users")).unwrap();
    assert!(users.column("note").is_some_and(|c| c.nullable && c.data_type == "text"));
    assert!(users.column("points").is_some() && users.column("score").is_none());
    assert!(users.checks.values().any(|check| check.expr.canonical.contains("points")));
}

#[tokio::test]
async fn triggers_are_refused_rather_than_lost() {
    let (_dir, mut conn) = database(
        "CREATE TABLE t (a int); CREATE VIEW v AS SELECT a FROM t;
         CREATE TRIGGER t_insert AFTER INSERT ON t BEGIN SELECT 1; END;",
    )
    .await;
    let error = inspect_sqlite(&mut conn).await.unwrap_err().to_string();
    assert!(error.contains("trigger t_insert"), "{error}");
}
