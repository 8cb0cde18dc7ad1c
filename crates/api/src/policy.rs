use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Lint and diff policy, with Atlas-compatible keys.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Policy {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lint: Option<LintPolicy>,
    /// What the diff plans: kinds of changes skipped, PostgreSQL online forms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diff: Option<DiffPolicy>,
}

/// Per-analyzer lint levels (docs/lint.md). Absent analyzers keep their defaults: destructive findings are
/// errors, the others warnings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct LintPolicy {
    /// Drops of schemas, tables and columns (DS1xx).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destructive: Option<LintRule>,
    /// Changes that fail or change values depending on the rows present (MF1xx).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_dependent: Option<LintRule>,
    /// Renames of tables and columns (BC1xx).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backward_incompatible: Option<LintRule>,
    /// Foreign keys, checks, primary and unique keys dropped for good (CD1xx).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub constraint_drop: Option<LintRule>,
    /// PostgreSQL lock and rewrite hazards (PG1xx, PG3xx).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lock_hazard: Option<LintRule>,
}

/// One analyzer's level: Atlas's `error: true|false`, or `level: error|warn|off` (which wins when both are
/// given).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default, JsonSchema)]
pub struct LintRule {
    /// True: findings block the plan; false: they are warnings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<bool>,
    /// `error` (findings block the plan), `warn` or `off`; wins over `error` when both are given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<LintLevel>,
}

impl LintRule {
    /// The level the rule sets, `None` when it sets neither field.
    pub fn level(&self) -> Option<LintLevel> {
        self.level.or(self.error.map(|error| if error { LintLevel::Error } else { LintLevel::Warn }))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum LintLevel {
    Error,
    Warn,
    Off,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub struct DiffPolicy {
    /// Kinds of changes never planned (Atlas's `diff.skip` keys).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip: Option<SkipChanges>,
    /// PostgreSQL: build and drop indexes `CONCURRENTLY` on existing tables.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concurrent_index: Option<ConcurrentIndex>,
    /// PostgreSQL: foreign keys and checks on existing tables are added `NOT VALID` and validated in a
    /// transaction of their own; `SET NOT NULL` is proven by such a check first. Default false: the plan stays
    /// one transaction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub online_constraints: Option<bool>,
}

/// Kinds of changes never planned: Atlas's 17 `diff.skip` keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default, JsonSchema)]
#[serde(default)]
pub struct SkipChanges {
    /// Additions of schemas are never planned.
    pub add_schema: bool,
    /// Drops of schemas are never planned.
    pub drop_schema: bool,
    /// Changes of schemas are never planned.
    pub modify_schema: bool,
    /// Additions of tables are never planned.
    pub add_table: bool,
    /// Drops of tables are never planned.
    pub drop_table: bool,
    /// Changes of tables are never planned.
    pub modify_table: bool,
    /// Renames of tables are never planned.
    pub rename_table: bool,
    /// Additions of columns are never planned.
    pub add_column: bool,
    /// Drops of columns are never planned.
    pub drop_column: bool,
    /// Changes of columns are never planned.
    pub modify_column: bool,
    /// Additions of indexes are never planned.
    pub add_index: bool,
    /// Drops of indexes are never planned.
    pub drop_index: bool,
    /// Changes of indexes are never planned.
    pub modify_index: bool,
    /// Additions of foreign keys are never planned.
    pub add_foreign_key: bool,
    /// Drops of foreign keys are never planned.
    pub drop_foreign_key: bool,
    /// Changes of foreign keys are never planned.
    pub modify_foreign_key: bool,
    /// Renames of constraints are never planned.
    pub rename_constraint: bool,
}

/// PostgreSQL: build and drop indexes `CONCURRENTLY`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default, JsonSchema)]
#[serde(default)]
pub struct ConcurrentIndex {
    /// `CREATE INDEX CONCURRENTLY` (and keys attached `USING INDEX`), outside the transaction.
    pub create: bool,
    /// `DROP INDEX CONCURRENTLY`, outside the transaction.
    pub drop: bool,
}
