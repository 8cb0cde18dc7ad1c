//! Renders typed changes into SQL statements, kept as data.

use driftless_model::{Change, Dialect};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// One statement of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannedStatement {
    pub sql: String,
    /// Index of the change (in the diff's output) this statement comes from.
    pub change: usize,
    /// False for statements PostgreSQL refuses inside a transaction block (e.g. `CREATE INDEX CONCURRENTLY`).
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
        let mut hasher = Sha256::new();
        for statement in &self.statements {
            hasher.update(statement.sql.as_bytes());
            hasher.update([0]);
        }
        hex::encode(hasher.finalize())[..16].to_string()
    }
}

/// Renders changes into a plan for the dialect.
pub fn plan(changes: Vec<Change>, _dialect: Dialect) -> Plan {
    Plan { changes, statements: Vec::new() }
}
