use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use k8s_openapi::apimachinery::pkg::apis::meta::v1::Condition;

/// What the operator last saw and did. Conditions follow kstatus (Ready, Reconciling, Stalled) plus Drifted,
/// so Argo CD and Flux read health without plugins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DatabaseSchemaStatus {
    /// The generation of the spec this status describes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
    /// Ready, Reconciling and Stalled (kstatus), and Drifted; reasons in docs/operator.md.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
    /// Hash of the normalized desired schema.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desired_hash: Option<String>,
    /// The plan computed at the last reconcile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<PlanStatus>,
    /// The last plan that was applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_applied: Option<LastApplied>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PlanStatus {
    /// Approve exactly this plan with the annotation `driftless.dev/approve-plan: <hash>`.
    pub hash: String,
    /// The SQL statements, in order (the first ones only, when the plan is large).
    #[serde(default)]
    pub statements: Vec<String>,
    /// Statements left out of `statements` to keep the resource small (`driftless plan` shows them all).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub omitted_statements: i64,
    /// Lint findings (docs/lint.md); the first ones only, when there are many.
    #[serde(default)]
    pub findings: Vec<PlanFinding>,
    /// Findings left out of `findings`.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub omitted_findings: i64,
    /// Pending, Blocked, AwaitingApproval or Applied.
    pub state: PlanState,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, JsonSchema)]
pub struct PlanFinding {
    /// Stable code, e.g. `DS102`.
    pub code: String,
    /// `error` (blocks the plan) or `warning`.
    pub severity: String,
    /// What the finding is about, with the rows in the way when they were counted.
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, JsonSchema)]
pub enum PlanState {
    /// Computed, not applied yet.
    #[default]
    Pending,
    /// A lint finding of error severity forbids it.
    Blocked,
    /// Waiting for the approval annotation (`approval: manual`).
    AwaitingApproval,
    Applied,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct LastApplied {
    /// Hash of the plan that was applied.
    pub plan_hash: String,
    /// RFC 3339 time the apply finished.
    pub time: String,
    /// Number of statements applied.
    pub statements: i64,
}

fn is_zero(count: &i64) -> bool {
    *count == 0
}
