//! One reconcile, shared by the CLI and the operator: read the desired schema, connect, inspect, diff,
//! plan, lint under the policy, and apply.

mod desired;
mod dialect;
mod leftovers;
mod scope;
mod session;
mod settings;
mod skip;
mod system;
mod target;
mod violations;

use driftless_diff::Renames;
use driftless_model::Suppression;
use std::borrow::Cow;

pub use desired::{Desired, read_input};
pub use scope::Scope;
pub use session::{ApplyOutcome, Approval, Session};
pub use settings::{MIN_LOCK_TIMEOUT, Settings, parse_duration};
pub use skip::SkipKey;
pub use target::{DatabaseUrl, looks_like_url};

pub use driftless_apply::{ApplyError, ApplyReport};
pub use driftless_lint::{Analyzer, Finding, Level, Severity};
pub use driftless_model::{Change, Database, Dialect, Hints};
pub use driftless_parse::{NotManaged, ParsedSchema};
pub use driftless_plan::{Plan, PlanError};

/// A computed plan and what the policy says about it.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub dialect: Dialect,
    /// Hash of the normalized desired schema (within the managed scope).
    pub desired_hash: String,
    pub plan: Plan,
    pub findings: Vec<Finding>,
    /// Changes the diff found that `policy.diff.skip` leaves out of the plan.
    pub skipped: Vec<Change>,
    /// Statements of the desired SQL accepted without effect on the model (a pg_dump's `OWNER TO`, `setval`).
    pub not_managed: NotManaged,
}

impl Outcome {
    pub fn in_sync(&self) -> bool {
        self.plan.is_empty()
    }

    /// True when a finding of error severity forbids applying the plan.
    pub fn blocked(&self) -> bool {
        driftless_lint::is_blocked(&self.findings)
    }

    /// The findings whose counted rows make the plan fail for certain ([`Finding::certain_failure`]).
    pub fn failing_findings(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|finding| finding.certain_failure(self.dialect))
    }

    /// When the plan is certain to fail: the rows in the way, summed over its failing findings. `apply`
    /// refuses to start such a plan unless `Settings::force` is set.
    pub fn will_fail(&self) -> Option<u64> {
        let mut failing = self.failing_findings().peekable();
        failing.peek()?;
        Some(failing.filter_map(|finding| finding.violations).sum())
    }

    /// The plan's state in one phrase, for reports: "in sync", "blocked by the lint policy", "will fail: N
    /// rows in the way", or "ready to apply".
    pub fn verdict(&self) -> String {
        if self.in_sync() {
            "in sync".to_string()
        } else if self.blocked() {
            "blocked by the lint policy".to_string()
        } else if let Some(rows) = self.will_fail() {
            will_fail_phrase(rows)
        } else {
            "ready to apply".to_string()
        }
    }
}

/// An inspect error with the server's message as [`driftless_apply::describe_database_error`] gives it:
/// without the line of PostgreSQL's C source that sqlx's text ends with.
fn describe_inspect_error(error: &driftless_inspect::InspectError) -> String {
    use driftless_inspect::InspectError;
    let described =
        |context: String, source| format!("{context}: {}", driftless_apply::describe_database_error(source));
    match error {
        InspectError::Database(source) => described("inspecting the database".into(), source),
        InspectError::Query { family, source } => described(format!("reading {family} from the catalog"), source),
        InspectError::Catalog(_) => error.to_string(),
    }
}

fn will_fail_phrase(rows: u64) -> String {
    match rows {
        // a change no rows can make succeed (a type with no cast from the old one)
        0 => "will fail: a change cannot succeed".to_string(),
        1 => "will fail: 1 row in the way".to_string(),
        n => format!("will fail: {n} rows in the way"),
    }
}

fn will_fail_message(rows: &u64, findings: &[String]) -> String {
    format!(
        "the plan {}; nothing was applied. Fix the rows first, or force the apply to start it anyway:\n  {}",
        will_fail_phrase(*rows),
        findings.join("\n  ")
    )
}

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("{0}")]
    Url(String),
    #[error("{0}")]
    Io(String),
    #[error("{origin}: {source}")]
    Parse { origin: String, source: driftless_parse::ParseError },
    #[error("connecting to {url}: {}", driftless_apply::describe_database_error(.source))]
    Connect { url: String, source: sqlx::Error },
    #[error("{0}")]
    Unsupported(String),
    #[error("{}", describe_inspect_error(.0))]
    Inspect(#[from] driftless_inspect::InspectError),
    #[error(transparent)]
    Apply(#[from] ApplyError),
    #[error("database error: {}", driftless_apply::describe_database_error(.0))]
    Database(#[from] sqlx::Error),
    #[error("invalid setting {field}: {message}")]
    Setting { field: &'static str, message: String },
    #[error("rename hint at {0}")]
    Rename(#[from] driftless_diff::RenameConflict),
    /// The plan needs a statement the dialect does not have: nothing ran.
    #[error("planning: {0}")]
    Plan(#[from] driftless_plan::PlanError),
    /// The plan is certain to fail on the rows present ([`Outcome::will_fail`]) and `Settings::force` is not
    /// set: nothing ran. `findings` are the failing findings' codes and messages.
    #[error("{}", will_fail_message(.rows, .findings))]
    WillFail { rows: u64, findings: Vec<String>, outcome: Box<Outcome> },
}

/// Parses desired SQL into a model for a dialect and default schema, naming the origin in errors.
pub fn parse_desired(desired: &Desired, dialect: Dialect, default_schema: &str) -> Result<Database, EngineError> {
    Ok(parse_desired_with_hints(desired, dialect, default_schema)?.database)
}

/// Like [`parse_desired`], keeping what the comments say: rename hints and lint suppressions.
pub fn parse_desired_with_hints(
    desired: &Desired,
    dialect: Dialect,
    default_schema: &str,
) -> Result<ParsedSchema, EngineError> {
    let options = driftless_parse::ParseOptions { dialect, default_schema: default_schema.to_string() };
    let parsed = driftless_parse::parse_schema_with_hints(&desired.sql, &options)
        .map_err(|source| EngineError::Parse { origin: desired.origin.clone(), source })?;
    system::refuse_system_schemas(&parsed.database, dialect::rules(dialect), None, &desired.sql, &desired.origin)?;
    Ok(parsed)
}

/// Diffs, plans and lints `current` towards `desired` (both already scoped). Pure.
pub fn compute(current: &Database, desired: &Database, settings: &Settings) -> Result<Outcome, EngineError> {
    plan_and_lint(current, desired, &Renames::default(), &[], Vec::new(), settings)
}

/// Like [`compute`], following the desired SQL's hints: the renames they ask for, the findings they suppress.
pub fn compute_with_hints(
    current: &Database,
    desired: &Database,
    hints: &Hints,
    settings: &Settings,
) -> Result<Outcome, EngineError> {
    compute_with_repairs(current, desired, hints, Vec::new(), settings)
}

/// Like [`compute_with_hints`], with `repairs` planned first: drops of what an interrupted online plan left
/// unfinished (already taken out of `current`). They are never skipped nor linted: they only clear the way
/// for the objects to be built again.
pub(crate) fn compute_with_repairs(
    current: &Database,
    desired: &Database,
    hints: &Hints,
    repairs: Vec<Change>,
    settings: &Settings,
) -> Result<Outcome, EngineError> {
    let renames = Renames::resolve(current, desired, &hints.renames)?;
    plan_and_lint(current, desired, &renames, &hints.suppressions, repairs, settings)
}

fn plan_and_lint(
    current: &Database,
    desired: &Database,
    renames: &Renames,
    suppressions: &[Suppression],
    repairs: Vec<Change>,
    settings: &Settings,
) -> Result<Outcome, EngineError> {
    // Everything after the renames is about the tables and columns under their new names.
    let current = if renames.is_empty() { Cow::Borrowed(current) } else { Cow::Owned(renames.apply(current)) };
    let mut changes = renames.changes();
    changes.extend(driftless_diff::diff(&current, desired));
    let (changes, skipped) = skip::apply_skip(changes, &settings.skip);
    let mut findings = driftless_lint::lint(&changes, &current, &settings.online, &settings.lint);
    driftless_lint::suppress(&mut findings, &changes, suppressions);
    for finding in &mut findings {
        finding.change += repairs.len();
    }
    let all_changes = repairs.into_iter().chain(changes).collect();
    let plan = driftless_plan::plan_online(all_changes, &current, &settings.online)?;
    for finding in &mut findings {
        finding.statement = plan.statements.iter().position(|statement| statement.change == finding.change);
    }
    Ok(Outcome {
        dialect: desired.dialect,
        desired_hash: driftless_plan::schema_hash(desired),
        plan,
        findings,
        skipped,
        not_managed: NotManaged::default(),
    })
}
