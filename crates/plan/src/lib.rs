//! Renders typed changes into SQL statements, kept as data.
//!
//! Each dialect has its own entry, [`postgres::plan`], [`mysql::plan`] and [`sqlite::plan`], that matches every
//! change kind (a new kind does not compile until each dialect handles it) and refuses with
//! [`PlanError::Unsupported`] the changes it has no SQL for. PostgreSQL renders one change at a time; MySQL
//! and SQLite render the whole list, since they fold several changes into one statement or one table
//! rebuild. The plan records, for every statement, the change it came from and whether it may run inside a
//! transaction.

mod error;
mod hash;
pub mod mysql;
pub mod postgres;
pub mod sqlite;

pub use error::PlanError;
pub use hash::schema_hash;

use driftless_diff::diff;
use driftless_model::{Change, Database, Dialect, OnlineOptions};
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
    /// The plan of `changes` from a dialect's statements, each with the index of the change it renders.
    pub(crate) fn new(changes: Vec<Change>, statements: Vec<(usize, Statement)>) -> Self {
        let statements = statements
            .into_iter()
            .map(|(change, statement)| PlannedStatement {
                sql: statement.sql,
                change,
                transactional: statement.transactional,
            })
            .collect();
        Plan { changes, statements }
    }

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
pub fn plan(changes: Vec<Change>, current: &Database) -> Result<Plan, PlanError> {
    plan_online(changes, current, &OnlineOptions::default())
}

/// Renders the changes that lead from `current` into a plan for its dialect, with the online forms `online`
/// asks for (PostgreSQL only).
// The engine's dialect seam is to call the dialects' entries itself; until then this is the one switch.
pub fn plan_online(changes: Vec<Change>, current: &Database, online: &OnlineOptions) -> Result<Plan, PlanError> {
    match current.dialect {
        Dialect::Postgres => postgres::plan(changes, current, online),
        Dialect::Mysql => mysql::plan(changes, current),
        Dialect::Sqlite => sqlite::plan(changes, current),
    }
}

/// One rendered statement, without its terminating `;`.
pub(crate) struct Statement {
    pub sql: String,
    pub transactional: bool,
}

impl Statement {
    /// A statement that may run inside the plan's transaction.
    pub fn transactional(sql: String) -> Self {
        Statement { sql, transactional: true }
    }

    /// A statement that runs on its own, outside any transaction block.
    pub fn alone(sql: String) -> Self {
        Statement { sql, transactional: false }
    }
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
pub fn render_schema(db: &Database) -> Result<String, PlanError> {
    let mut empty = Database::new(db.dialect);
    if db.dialect == Dialect::Mysql {
        for name in db.schemas.keys() {
            empty.schema_mut(name);
        }
    } else {
        empty.schema_mut(db.dialect.default_schema());
    }
    Ok(plan(diff(&empty, db), &empty)?.to_sql())
}
