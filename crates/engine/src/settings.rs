use crate::{EngineError, Scope, SkipKey};
use driftless_apply::ApplyOptions;
use driftless_lint::LintPolicy;
use driftless_model::OnlineOptions;
use std::collections::BTreeSet;
use std::time::Duration;

/// Everything that shapes one run besides the SQL and the database.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub scope: Scope,
    pub lint: LintPolicy,
    /// Kinds of changes never planned (`policy.diff.skip`).
    pub skip: BTreeSet<SkipKey>,
    /// PostgreSQL online forms (`policy.diff.concurrent_index`, `policy.diff.online_constraints`).
    pub online: OnlineOptions,
    pub apply: ApplyOptions,
    /// Start a plan even when counted rows make it certain to fail ([`crate::Outcome::will_fail`]); without
    /// it `apply` refuses such a plan with `EngineError::WillFail`. The CLI's `--force`.
    pub force: bool,
}

/// The shortest lock timeout: databases round lock waits to milliseconds, and PostgreSQL and MySQL read 0 as
/// waiting forever, the opposite of what a zero limit says.
pub const MIN_LOCK_TIMEOUT: Duration = Duration::from_millis(1);

/// Parses `5s`, `10m`, `1h30m`, `500ms`.
pub fn parse_duration(field: &'static str, text: &str) -> Result<Duration, EngineError> {
    humantime::parse_duration(text).map_err(|e| EngineError::Setting {
        field,
        message: format!("`{text}` is not a duration like 5s or 10m ({e})"),
    })
}
