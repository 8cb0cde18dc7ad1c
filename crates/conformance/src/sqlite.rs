//! The same oracle on SQLite: every database is a file in a temporary directory, and the independent catalog
//! dump reads SQLite's own pragmas (`pragma_table_xinfo`, `pragma_foreign_key_list`, `pragma_index_list`,
//! `pragma_index_xinfo`, and the header's `application_id` and `user_version`) rather than the `CREATE` texts
//! that `driftless-inspect` parses. CHECK constraints and trigger bodies have no pragma: they are compared
//! through the inspected models only.

use crate::Backend;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{AssertSqlSafe, ConnectOptions, Executor, SqliteConnection};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// A database file that lives as long as the value.
pub struct SqliteFile {
    dir: tempfile::TempDir,
}

impl SqliteFile {
    pub fn new() -> SqliteFile {
        SqliteFile { dir: tempfile::tempdir().expect("temporary directory") }
    }

    pub fn path(&self) -> PathBuf {
        self.dir.path().join("test.db")
    }

    /// `sqlite://` and the absolute path.
    pub fn url(&self) -> String {
        format!("sqlite://{}", self.path().display())
    }

    pub async fn connect(&self) -> SqliteConnection {
        SqliteConnectOptions::new().filename(self.path()).create_if_missing(true).connect().await.expect("open file")
    }
}

impl Default for SqliteFile {
    fn default() -> Self {
        SqliteFile::new()
    }
}

impl Backend for SqliteFile {
    const NAME: &'static str = "SQLite";

    async fn fresh() -> Self {
        SqliteFile::new()
    }

    fn url(&self) -> String {
        SqliteFile::url(self)
    }

    async fn run_sql(&self, sql: &str) -> Result<(), sqlx::Error> {
        self.connect().await.execute(sqlx::raw_sql(AssertSqlSafe(sql.to_string()))).await.map(drop)
    }

    async fn dump(&self) -> Result<Vec<String>, sqlx::Error> {
        catalog_dump(&mut self.connect().await).await
    }
}

/// Text compared without comments, case, spaces and double quotes: SQLite keeps what was written, and a
/// migrated object was written by the plan rather than by the user.
fn loose(text: &str) -> String {
    let mut code = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(comment) = rest.strip_prefix("/*") {
            rest = comment.split_once("*/").map_or("", |(_, after)| after);
        } else if let Some(comment) = rest.strip_prefix("--") {
            rest = comment.split_once('\n').map_or("", |(_, after)| after);
        } else {
            let mut chars = rest.chars();
            code.extend(chars.next());
            rest = chars.as_str();
        }
    }
    code.chars().filter(|c| !c.is_whitespace() && *c != '"').collect::<String>().to_lowercase()
}

/// A `pragma_table_xinfo` row: table, column, declared type, notnull, default, pk position, hidden.
type ColumnRow = (String, String, String, i64, Option<String>, i64, i64);
/// A `pragma_foreign_key_list` row: table, id, parent, from, to, on update, on delete.
type ForeignKeyRow = (String, i64, String, String, Option<String>, String, String);
/// A foreign key's parent, columns, referenced columns and actions.
type ForeignKeyLine = (String, Vec<String>, Vec<Option<String>>, String);
/// A `pragma_index_list` + `pragma_index_xinfo` row: table, index, unique, origin, partial, seqno, column, desc,
/// collation.
type IndexKeyRow = (String, String, i64, String, i64, i64, Option<String>, i64, Option<String>);

/// One sorted line per object, column, foreign key and index, from SQLite's pragmas. A fixed number of
/// queries: pragma functions join with `sqlite_schema`. Column order, autoindex numbers and the case of names
/// are left out.
pub async fn catalog_dump(conn: &mut SqliteConnection) -> Result<Vec<String>, sqlx::Error> {
    let mut lines = Vec::new();
    let objects: Vec<(String, String, String)> =
        sqlx::query_as("SELECT type, name, tbl_name FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")
            .fetch_all(&mut *conn)
            .await?;
    lines.extend(objects.iter().map(|(kind, name, table)| format!("{kind} {name} on {table}")));

    let columns: Vec<ColumnRow> = sqlx::query_as(
        "SELECT m.name, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk, p.hidden \
         FROM sqlite_schema m JOIN pragma_table_xinfo(m.name) p \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut primary_keys: BTreeMap<String, Vec<(i64, String)>> = BTreeMap::new();
    for (table, column, data_type, not_null, default, pk, hidden) in &columns {
        lines.push(format!(
            "column {table}.{column} {} notnull={not_null} default={} pk={pk} hidden={hidden}",
            loose(data_type),
            default.as_deref().map(loose).unwrap_or_default()
        ));
        if *pk > 0 {
            primary_keys.entry(table.clone()).or_default().push((*pk, column.clone()));
        }
    }

    let foreign_keys: Vec<ForeignKeyRow> = sqlx::query_as(
        "SELECT m.name, f.id, f.\"table\", f.\"from\", f.\"to\", f.on_update, f.on_delete \
         FROM sqlite_schema m JOIN pragma_foreign_key_list(m.name) f \
         WHERE m.type = 'table' ORDER BY m.name, f.id, f.seq",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut grouped: BTreeMap<(String, i64), ForeignKeyLine> = BTreeMap::new();
    for (table, id, parent, from, to, on_update, on_delete) in foreign_keys {
        let entry = grouped.entry((table, id)).or_insert_with(|| {
            (parent, Vec::new(), Vec::new(), format!("on update {on_update} on delete {on_delete}"))
        });
        entry.1.push(from);
        entry.2.push(to);
    }
    for ((table, _), (parent, from, to, actions)) in grouped {
        // `REFERENCES parent` without columns means the parent's primary key
        let to: Vec<String> = if to.iter().all(Option::is_none) {
            let mut key = primary_keys.get(&parent).cloned().unwrap_or_default();
            key.sort();
            key.into_iter().map(|(_, column)| column).collect()
        } else {
            to.into_iter().map(Option::unwrap_or_default).collect()
        };
        lines.push(format!(
            "foreign key {table} ({}) references {parent} ({}) {actions}",
            from.join(", "),
            to.join(", ")
        ));
    }

    let keys: Vec<IndexKeyRow> = sqlx::query_as(
        "SELECT m.name, l.name, l.\"unique\", l.origin, l.partial, x.seqno, x.name, x.\"desc\", x.coll \
         FROM sqlite_schema m JOIN pragma_index_list(m.name) l JOIN pragma_index_xinfo(l.name) x \
         WHERE m.type = 'table' AND x.key = 1 ORDER BY m.name, l.name, x.seqno",
    )
    .fetch_all(&mut *conn)
    .await?;
    let index_sql: BTreeMap<String, String> = sqlx::query_as::<_, (String, String)>(
        "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL",
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .collect();
    let mut indexes: BTreeMap<(String, String), (String, Vec<String>)> = BTreeMap::new();
    for (table, index, unique, origin, partial, _, column, descending, collation) in keys {
        // autoindexes are numbered in declaration order, which a rebuilt table need not keep
        let label = if origin == "c" { index.clone() } else { format!("({origin})") };
        let definition = index_sql.get(&index).map(|sql| format!(" sql={}", loose(sql))).unwrap_or_default();
        let entry = indexes.entry((table.clone(), index)).or_insert_with(|| {
            (format!("index {table} {label} unique={unique} partial={partial}{definition}"), Vec::new())
        });
        entry.1.push(format!(
            "{} desc={descending} collate={}",
            column.unwrap_or_else(|| "<expression>".into()),
            collation.unwrap_or_default()
        ));
    }
    lines.extend(indexes.into_values().map(|(head, keys)| format!("{head} keys=[{}]", keys.join(", "))));
    let (application_id, user_version): (i64, i64) =
        sqlx::query_as("SELECT application_id, user_version FROM pragma_application_id, pragma_user_version")
            .fetch_one(&mut *conn)
            .await?;
    lines.push(format!("header application_id={application_id} user_version={user_version}"));
    let tables: Vec<(String, bool, bool)> = sqlx::query_as(
        "SELECT name, strict, wr FROM pragma_table_list WHERE schema = 'main' AND type = 'table' \
         AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
    )
    .fetch_all(&mut *conn)
    .await?;
    lines.extend(tables.iter().map(|(name, strict, wr)| format!("table {name} strict={strict} without_rowid={wr}")));
    // SQLite names are case-insensitive: `Users` and `users` are one table
    let mut lines: Vec<String> = lines.iter().map(|line| line.to_lowercase()).collect();
    lines.sort();
    Ok(lines)
}
