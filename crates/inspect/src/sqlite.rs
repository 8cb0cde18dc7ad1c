//! SQLite: the live schema is read from `sqlite_schema`, where SQLite keeps every `CREATE` statement as it was
//! run (and rewrites it on `ALTER TABLE`). Those texts go through the same SQLite reader as the desired schema
//! (`driftless_parse::parse_sqlite_stored`), so both sides follow one set of normalization rules. One query,
//! whatever the number of tables.

use crate::InspectError;
use driftless_model::Database;
use sqlx::SqliteConnection;

/// The live schema (SQLite has one, `main`).
pub async fn inspect_sqlite(conn: &mut SqliteConnection) -> Result<Database, InspectError> {
    // autoindexes (of UNIQUE and PRIMARY KEY constraints) have no text: they are part of their table's
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT type, name, sql FROM sqlite_schema \
         WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid",
    )
    .fetch_all(&mut *conn)
    .await
    .map_err(|source| InspectError::Query { family: "sqlite_schema", source })?;
    if let Some((kind, name, _)) = rows.iter().find(|(kind, _, _)| !["table", "index", "view"].contains(&kind.as_str()))
    {
        return Err(InspectError::Catalog(format!(
            "{kind} {name}: SQLite triggers are not managed yet, and a table rebuild would lose them"
        )));
    }
    let version: String = sqlx::query_scalar("SELECT sqlite_version()")
        .fetch_one(&mut *conn)
        .await
        .map_err(|source| InspectError::Query { family: "sqlite_version", source })?;
    let texts: Vec<String> = rows.into_iter().map(|(_, _, sql)| sql).collect();
    let mut db = driftless_parse::parse_sqlite_stored(&texts)
        .map_err(|e| InspectError::Catalog(format!("reading the stored schema: {e}")))?;
    db.server.version = Some(version);
    Ok(db)
}
