//! Inspecting real SQLite files: what SQLite keeps in `sqlite_schema` (and its header) reads back as the
//! model the same SQL parses into.

use driftless_inspect::inspect_sqlite;
use driftless_model::sqlite::HeaderValue;
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
    CREATE TABLE notes (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT);
    CREATE VIRTUAL TABLE notes_fts USING fts5(body, content = 'notes', content_rowid = 'id');
    CREATE TRIGGER notes_ai AFTER INSERT ON notes BEGIN
        INSERT INTO notes_fts (rowid, body) VALUES (new.id, new.body); -- kept in sync
    END;
    CREATE TRIGGER users_sorted AFTER UPDATE OF email ON users WHEN new.email <> old.email
    BEGIN UPDATE users SET email = lower(new.email) WHERE id = new.id; END;
    CREATE VIEW note_bodies AS SELECT id, body FROM notes;
    CREATE TRIGGER note_bodies_delete INSTEAD OF DELETE ON note_bodies BEGIN DELETE FROM notes WHERE id = old.id; END;
    PRAGMA application_id = 0x63616c69;
    PRAGMA user_version = 27;
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
    assert!(users.triggers.contains_key("users_sorted"));
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
async fn shadow_and_internal_tables_are_not_the_schema() {
    let (_dir, mut conn) = database(SCHEMA).await;
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM sqlite_schema WHERE name LIKE 'notes_fts_%'")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert!(stored >= 4, "FTS5 keeps its data in shadow tables");
    let live = inspect_sqlite(&mut conn).await.unwrap();
    let tables: Vec<&String> = live.schemas["main"].tables.keys().collect();
    assert_eq!(tables, ["notes", "notes_fts", "teams", "users"], "no notes_fts_data, ..., sqlite_sequence");
    assert_eq!(
        live.table(&QualifiedName::new("main", "notes_fts")).unwrap().virtual_table.as_ref().unwrap().module,
        "fts5"
    );
    assert_eq!(live.schemas["main"].views["note_bodies"].triggers.len(), 1);
}

#[tokio::test]
async fn every_header_value_is_read() {
    let (_dir, mut conn) = database("CREATE TABLE t (a int); PRAGMA user_version = 5;").await;
    let live = inspect_sqlite(&mut conn).await.unwrap();
    let header: Vec<(HeaderValue, i64)> = live.sqlite_header.into_iter().collect();
    assert_eq!(header, [(HeaderValue::ApplicationId, 0), (HeaderValue::UserVersion, 5)]);
}

/// Views and triggers that call functions only the application registers (calibre's `title_sort`) are never
/// prepared, so they read like any other.
#[tokio::test]
async fn application_defined_functions_need_no_preparing() {
    let sql = "CREATE TABLE books (id INTEGER PRIMARY KEY, title TEXT, sort TEXT);
        CREATE TRIGGER books_sorted AFTER INSERT ON books
        BEGIN UPDATE books SET sort = title_sort(new.title) WHERE id = new.id; END;
        CREATE VIEW book_list AS SELECT id, sortconcat(title) AS titles FROM books;";
    let (_dir, mut conn) = database(sql).await;
    let live = inspect_sqlite(&mut conn).await.unwrap();
    let mut parsed = driftless_parse::parse_schema(sql, &driftless_parse::ParseOptions::new(Dialect::Sqlite)).unwrap();
    parsed.sqlite_header = live.sqlite_header.clone();
    assert_eq!(live, parsed);
}
