use serde::{Deserialize, Serialize};

/// Lint and diff policy, with Atlas-compatible keys.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Policy {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lint: Option<LintPolicy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diff: Option<DiffPolicy>,
}

impl Policy {
    /// Whether destructive changes (drops of schemas, tables, columns) block the plan. Default: they do.
    pub fn destructive_blocks(&self) -> bool {
        self.lint.as_ref().and_then(|l| l.destructive.as_ref()).map_or(true, |rule| rule.error)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct LintPolicy {
    /// Drops of schemas, tables and columns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destructive: Option<LintRule>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LintRule {
    /// True: findings of this analyzer block the plan.
    pub error: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub struct DiffPolicy {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip: Option<SkipChanges>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concurrent_index: Option<ConcurrentIndex>,
}

/// Kinds of changes never planned: Atlas's 17 `diff.skip` keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct ConcurrentIndex {
    pub create: bool,
    pub drop: bool,
}
