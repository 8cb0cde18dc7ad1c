use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Lint and diff policy, with Atlas-compatible keys.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Policy {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lint: Option<LintPolicy>,
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip: Option<SkipChanges>,
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
    pub add_schema: bool,
    pub drop_schema: bool,
    pub modify_schema: bool,
    pub add_table: bool,
    pub drop_table: bool,
    pub modify_table: bool,
    pub rename_table: bool,
    pub add_column: bool,
    pub drop_column: bool,
    pub modify_column: bool,
    pub add_index: bool,
    pub drop_index: bool,
    pub modify_index: bool,
    pub add_foreign_key: bool,
    pub drop_foreign_key: bool,
    pub modify_foreign_key: bool,
    pub rename_constraint: bool,
}

/// PostgreSQL: build and drop indexes `CONCURRENTLY`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default, JsonSchema)]
#[serde(default)]
pub struct ConcurrentIndex {
    pub create: bool,
    pub drop: bool,
}
