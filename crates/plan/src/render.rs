//! The dialect seam: each dialect renders every change kind into its own statements.

use driftless_model::{Change, OnlineOptions, QualifiedName};
use std::collections::BTreeSet;

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

/// What rendering one change needs to know about the plan.
pub(crate) struct RenderContext<'a> {
    pub online: OnlineOptions,
    /// Tables and materialized views the plan creates.
    pub created: &'a BTreeSet<QualifiedName>,
}

impl RenderContext<'_> {
    /// True for a relation that exists before the plan runs, where online forms matter.
    pub fn existing(&self, relation: &QualifiedName) -> bool {
        !self.created.contains(relation)
    }
}

pub(crate) trait Renderer: Sync {
    fn render(&self, change: &Change, context: &RenderContext) -> Vec<Statement>;
}
