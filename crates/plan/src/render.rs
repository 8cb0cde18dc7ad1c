//! The dialect seam: each dialect renders every change kind into its own statements.

use driftless_model::Change;

/// One rendered statement, without its terminating `;`.
pub(crate) struct Statement {
    pub sql: String,
    pub transactional: bool,
}

impl Statement {
    /// A statement that may run inside a transaction block (every statement, until online index builds).
    pub fn transactional(sql: String) -> Self {
        Statement { sql, transactional: true }
    }
}

pub(crate) trait Renderer: Sync {
    fn render(&self, change: &Change) -> Vec<Statement>;
}
