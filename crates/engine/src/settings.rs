use crate::{EngineError, Scope, SkipKey};
use driftless_api::{DatabaseSchemaSpec, LintLevel, LintRule};
use driftless_apply::ApplyOptions;
use driftless_lint::{Analyzer, Level, LintPolicy};
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

impl Settings {
    /// Settings from a resource spec; the CLI then overrides them with its flags.
    pub fn from_spec(spec: &DatabaseSchemaSpec) -> Result<Settings, EngineError> {
        let mut settings = Settings {
            scope: Scope { schemas: spec.schemas.clone(), exclude: spec.exclude.clone() },
            ..Settings::default()
        };
        let policy = spec.policy.clone().unwrap_or_default();
        if let Some(lint) = &policy.lint {
            let rules: [(Analyzer, &Option<LintRule>); 5] = [
                (Analyzer::Destructive, &lint.destructive),
                (Analyzer::DataDependent, &lint.data_dependent),
                (Analyzer::BackwardIncompatible, &lint.backward_incompatible),
                (Analyzer::ConstraintDrop, &lint.constraint_drop),
                (Analyzer::LockHazard, &lint.lock_hazard),
            ];
            for (analyzer, rule) in rules {
                if let Some(level) = rule.as_ref().and_then(LintRule::level) {
                    settings.lint.set(analyzer, lint_level(level));
                }
            }
        }
        if let Some(diff) = &policy.diff {
            if let Some(skip) = &diff.skip {
                settings.skip = SkipKey::from_spec(skip);
            }
            if let Some(concurrent) = &diff.concurrent_index {
                settings.online.concurrent_create = concurrent.create;
                settings.online.concurrent_drop = concurrent.drop;
            }
            settings.online.validate_separately = diff.online_constraints.unwrap_or(false);
        }
        if let Some(timeout) = &spec.lock_timeout {
            settings.apply.lock_timeout = parse_duration("spec.lockTimeout", timeout)?;
            if settings.apply.lock_timeout < Duration::from_millis(1) {
                // PostgreSQL and MySQL read a zero lock timeout as no timeout at all
                return Err(EngineError::Setting {
                    field: "spec.lockTimeout",
                    message: format!("`{timeout}` must be at least 1ms: 0 would mean waiting for locks forever"),
                });
            }
        }
        Ok(settings)
    }
}

fn lint_level(level: LintLevel) -> Level {
    match level {
        LintLevel::Error => Level::Error,
        LintLevel::Warn => Level::Warn,
        LintLevel::Off => Level::Off,
    }
}

/// Parses `5s`, `10m`, `1h30m`, `500ms`.
pub fn parse_duration(field: &'static str, text: &str) -> Result<Duration, EngineError> {
    humantime::parse_duration(text).map_err(|e| EngineError::Setting {
        field,
        message: format!("`{text}` is not a duration like 5s or 10m ({e})"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use driftless_api::{ConcurrentIndex, DiffPolicy, LintPolicy as SpecLint, Policy, SkipChanges};

    #[test]
    fn spec_fields_reach_the_settings() {
        let spec = DatabaseSchemaSpec {
            schemas: vec!["app".into()],
            exclude: vec!["audit_*".into()],
            lock_timeout: Some("2s".into()),
            policy: Some(Policy {
                lint: Some(SpecLint {
                    destructive: Some(LintRule { error: Some(false), level: None }),
                    lock_hazard: Some(LintRule { error: None, level: Some(LintLevel::Off) }),
                    data_dependent: Some(LintRule { error: Some(true), level: None }),
                    ..Default::default()
                }),
                diff: Some(DiffPolicy {
                    skip: Some(SkipChanges { drop_table: true, ..Default::default() }),
                    concurrent_index: Some(ConcurrentIndex { create: true, drop: false }),
                    online_constraints: Some(true),
                }),
            }),
            ..Default::default()
        };
        let settings = Settings::from_spec(&spec).unwrap();
        assert_eq!(settings.scope.schemas, ["app"]);
        assert_eq!(settings.scope.exclude, ["audit_*"]);
        assert_eq!(settings.apply.lock_timeout, Duration::from_secs(2));
        assert_eq!(settings.lint.destructive, Level::Warn);
        assert_eq!(settings.lint.lock_hazard, Level::Off);
        assert_eq!(settings.lint.data_dependent, Level::Error);
        assert_eq!(settings.lint.constraint_drop, Level::Warn);
        assert_eq!(settings.skip, BTreeSet::from([SkipKey::DropTable]));
        assert_eq!(
            settings.online,
            OnlineOptions { concurrent_create: true, concurrent_drop: false, validate_separately: true }
        );
        let defaults = Settings::from_spec(&DatabaseSchemaSpec::default()).unwrap();
        assert_eq!(defaults.lint, LintPolicy::default());
        assert_eq!(defaults.online, OnlineOptions::default());
    }

    #[test]
    fn bad_durations_name_the_field() {
        let spec = DatabaseSchemaSpec { lock_timeout: Some("soon".into()), ..Default::default() };
        let err = Settings::from_spec(&spec).unwrap_err().to_string();
        assert!(err.starts_with("invalid setting spec.lockTimeout: `soon` is not a duration"), "{err}");
        let spec = DatabaseSchemaSpec { lock_timeout: Some("0s".into()), ..Default::default() };
        let err = Settings::from_spec(&spec).unwrap_err().to_string();
        assert!(err.contains("must be at least 1ms"), "{err}");
    }
}
