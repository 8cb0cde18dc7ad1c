//! One reconcile, shared by the CLI and the operator: read the desired schema, connect, inspect, diff,
//! plan, lint under the policy, and apply.

mod desired;
mod scope;
mod session;
mod settings;
mod target;

pub use desired::Desired;
pub use scope::Scope;
pub use session::{ApplyOutcome, Session};
pub use settings::{Settings, parse_duration};
pub use target::{DatabaseUrl, looks_like_url};

pub use driftless_apply::{ApplyError, ApplyReport};
pub use driftless_lint::{Finding, Severity};
pub use driftless_model::{Database, Dialect};
pub use driftless_plan::Plan;

/// A computed plan and what the policy says about it.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub dialect: Dialect,
    pub plan: Plan,
    pub findings: Vec<Finding>,
}

impl Outcome {
    pub fn in_sync(&self) -> bool {
        self.plan.is_empty()
    }

    /// True when a finding of error severity forbids applying the plan.
    pub fn blocked(&self) -> bool {
        driftless_lint::is_blocked(&self.findings)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("{0}")]
    Url(String),
    #[error("{0}")]
    Io(String),
    #[error("{0}")]
    Manifest(String),
    #[error("{origin}: {source}")]
    Parse { origin: String, source: driftless_parse::ParseError },
    #[error("connecting to {url}: {source}")]
    Connect { url: String, source: sqlx::Error },
    #[error("{0}")]
    Unsupported(String),
    #[error(transparent)]
    Inspect(#[from] driftless_inspect::InspectError),
    #[error(transparent)]
    Apply(#[from] ApplyError),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("invalid setting {field}: {message}")]
    Setting { field: &'static str, message: String },
}

/// Parses desired SQL into a model for a dialect and default schema, naming the origin in errors.
pub fn parse_desired(desired: &Desired, dialect: Dialect, default_schema: &str) -> Result<Database, EngineError> {
    let options = driftless_parse::ParseOptions { dialect, default_schema: default_schema.to_string() };
    driftless_parse::parse_schema(&desired.sql, &options)
        .map_err(|source| EngineError::Parse { origin: desired.origin.clone(), source })
}

/// Diffs, plans and lints `current` towards `desired` (both already scoped). Pure.
pub fn compute(current: &Database, desired: &Database, settings: &Settings) -> Outcome {
    let changes = driftless_diff::diff(current, desired, &driftless_diff::DiffOptions::default());
    let findings = driftless_lint::lint(&changes, &settings.lint);
    let plan = driftless_plan::plan(changes, desired.dialect);
    Outcome { dialect: desired.dialect, plan, findings }
}
