//! SQLite: the live schema is read from `sqlite_schema`, where SQLite keeps every `CREATE` statement as it was
//! run (and rewrites it on `ALTER TABLE`). Those texts go through the same SQLite reader as the desired schema
//! (`driftless_parse::parse_sqlite_stored`), so both sides follow one set of normalization rules; nothing is
//! prepared, so views and triggers that call functions only the application registers read like any other.
//! The tables a virtual table's module keeps its data in (`pragma_table_list` calls them shadow tables) are
//! the module's, not the schema's, and so are SQLite's own (`sqlite_sequence`, `sqlite_stat1`). The header
//! values `application_id` and `user_version` come from their pragmas. A fixed number of queries, whatever
//! the number of tables.

use crate::InspectError;
use driftless_model::Database;
use driftless_model::sqlite::HeaderValue;
use sqlx::SqliteConnection;

/// The live schema (SQLite has one, `main`).
pub async fn inspect_sqlite(conn: &mut SqliteConnection) -> Result<Database, InspectError> {
    // autoindexes (of UNIQUE and PRIMARY KEY constraints) have no text: they are part of their table's;
    // triggers come after the tables and views they belong to, whatever their rowids
    let texts: Vec<String> = sqlx::query_scalar(
        "SELECT sql FROM sqlite_schema \
         WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
         AND name NOT IN (SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'shadow') \
         ORDER BY type = 'trigger', rowid",
    )
    .fetch_all(&mut *conn)
    .await
    .map_err(|source| InspectError::Query { family: "sqlite_schema", source })?;
    let version: String = sqlx::query_scalar("SELECT sqlite_version()")
        .fetch_one(&mut *conn)
        .await
        .map_err(|source| InspectError::Query { family: "sqlite_version", source })?;
    let (application_id, user_version): (i64, i64) =
        sqlx::query_as("SELECT application_id, user_version FROM pragma_application_id, pragma_user_version")
            .fetch_one(&mut *conn)
            .await
            .map_err(|source| InspectError::Query { family: "sqlite_header", source })?;
    let mut db = driftless_parse::parse_sqlite_stored(&texts)
        .map_err(|e| InspectError::Catalog(format!("reading the stored schema: {e}")))?;
    db.sqlite_header =
        [(HeaderValue::ApplicationId, application_id), (HeaderValue::UserVersion, user_version)].into_iter().collect();
    db.server.version = Some(version);
    Ok(db)
}
