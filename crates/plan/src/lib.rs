//! Renders typed changes into SQL statements, kept as data.
//!
//! Rendering is per dialect: PostgreSQL behind the `Renderer` seam, one change at a time; SQLite over the whole
//! list of changes, since its table rebuilds fold several changes into one procedure. `plan` records, for
//! every statement, the change it came from and whether it may run inside a transaction.

mod mysql;
mod postgres;
mod render;
mod sqlite;

use driftless_diff::{DiffOptions, diff};
use driftless_model::{Change, Database, Dialect, OnlineOptions, relations_created};
use render::{RenderContext, Renderer};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// One statement of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannedStatement {
    pub sql: String,
    /// Index of the change (in the diff's output) this statement comes from.
    pub change: usize,
    /// False for statements that run on their own, outside the plan's transactions: those PostgreSQL refuses
    /// inside a transaction block (`CREATE INDEX CONCURRENTLY`), and `VALIDATE CONSTRAINT`, whose long scan
    /// must not hold the locks the statements before it took.
    pub transactional: bool,
}

/// An ordered list of statements and the changes they came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Plan {
    pub changes: Vec<Change>,
    pub statements: Vec<PlannedStatement>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.statements.is_empty()
    }

    /// A stable hash of the statements, used to approve exactly this plan.
    pub fn hash(&self) -> String {
        short_hash(self.statements.iter().map(|statement| statement.sql.as_str()))
    }

    /// The statements as one SQL script, each terminated by `;`.
    pub fn to_sql(&self) -> String {
        self.statements.iter().map(|statement| format!("{};\n", statement.sql)).collect()
    }
}

/// Renders the changes that lead from `current` into a plan for its dialect, taking every lock in full (no
/// online forms).
pub fn plan(changes: Vec<Change>, current: &Database) -> Plan {
    plan_online(changes, current, &OnlineOptions::default())
}

/// Renders the changes that lead from `current` into a plan for its dialect, with the online forms `online`
/// asks for on tables that exist before the plan runs (relations the plan creates are used by nobody yet, so
/// they get the plain forms). SQLite and MySQL have no online forms and are rendered over the whole list:
/// SQLite's rebuilds start from the tables in `current`, MySQL folds a new table's indexes into its
/// `CREATE TABLE`.
pub fn plan_online(changes: Vec<Change>, current: &Database, online: &OnlineOptions) -> Plan {
    if matches!(current.dialect, Dialect::Sqlite | Dialect::Mysql) {
        let rendered = match current.dialect {
            Dialect::Mysql => mysql::render(&changes, current),
            _ => sqlite::render(&changes, current),
        };
        let statements = rendered
            .into_iter()
            .map(|(change, statement)| PlannedStatement {
                sql: statement.sql,
                change,
                transactional: statement.transactional,
            })
            .collect();
        return Plan { changes, statements };
    }
    let renderer = renderer(current.dialect);
    let created = relations_created(&changes);
    let context = RenderContext { online: *online, created: &created };
    let context = &context;
    let statements = changes
        .iter()
        .enumerate()
        .flat_map(|(index, change)| {
            renderer.render(change, context).into_iter().map(move |statement| PlannedStatement {
                sql: statement.sql,
                change: index,
                transactional: statement.transactional,
            })
        })
        .collect();
    Plan { changes, statements }
}

/// A stable hash of a schema: two models hash alike exactly when they are equal. The model is streamed into
/// the hasher as JSON (its maps are ordered), never rendered: rendering the whole schema as DDL cost a fifth
/// of a plan's time and 60 MiB at 5,000 tables.
pub fn schema_hash(db: &Database) -> String {
    struct Hashing(Sha256);
    impl std::io::Write for Hashing {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.update(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut hashing = Hashing(Sha256::new());
    serde_json::to_writer(&mut hashing, db).expect("the model serializes");
    hex::encode(hashing.0.finalize())[..16].to_string()
}

/// The first 16 hex digits of the SHA-256 of the parts, each terminated by a NUL byte.
fn short_hash<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    hex::encode(hasher.finalize())[..16].to_string()
}

/// The whole model as DDL that creates it from nothing, `;`-terminated: what `driftless inspect --format sql`
/// prints. The dialect's default schema (`public`) is taken to exist already, so it gets no `CREATE SCHEMA`;
/// so are MySQL's schemas, which are the databases inspected.
pub fn render_schema(db: &Database) -> String {
    let options = DiffOptions { default_schema: db.dialect.default_schema().to_string() };
    let mut empty = Database::new(db.dialect);
    if db.dialect == Dialect::Mysql {
        for name in db.schemas.keys() {
            empty.schema_mut(name);
        }
    } else {
        empty.schema_mut(&options.default_schema);
    }
    plan(diff(&empty, db, &options), &empty).to_sql()
}

/// The one-change-at-a-time renderer for a dialect (SQLite and MySQL are planned by their `render`).
fn renderer(dialect: Dialect) -> &'static dyn Renderer {
    match dialect {
        Dialect::Postgres | Dialect::Mysql | Dialect::Sqlite => &postgres::Postgres,
    }
}
