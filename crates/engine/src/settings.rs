use crate::{EngineError, Scope};
use driftless_api::DatabaseSchemaSpec;
use driftless_apply::ApplyOptions;
use driftless_lint::LintPolicy;
use std::time::Duration;

/// Everything that shapes one run besides the SQL and the database.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub scope: Scope,
    pub lint: LintPolicy,
    pub apply: ApplyOptions,
}

impl Settings {
    /// Settings from a resource spec; the CLI then overrides them with its flags.
    pub fn from_spec(spec: &DatabaseSchemaSpec) -> Result<Settings, EngineError> {
        let mut settings = Settings {
            scope: Scope { schemas: spec.schemas.clone(), exclude: spec.exclude.clone() },
            lint: LintPolicy { destructive_is_error: spec.policy.as_ref().is_none_or(|p| p.destructive_blocks()) },
            apply: ApplyOptions::default(),
        };
        if let Some(timeout) = &spec.lock_timeout {
            settings.apply.lock_timeout = parse_duration("spec.lockTimeout", timeout)?;
        }
        Ok(settings)
    }
}

/// Parses `5s`, `10m`, `1h30m`, `500ms`.
pub fn parse_duration(field: &'static str, text: &str) -> Result<Duration, EngineError> {
    humantime::parse_duration(text)
        .map_err(|e| EngineError::Setting { field, message: format!("`{text}` is not a duration like 5s or 10m ({e})") })
}

#[cfg(test)]
mod tests {
    use super::*;
    use driftless_api::{LintPolicy as SpecLint, LintRule, Policy};

    #[test]
    fn spec_fields_reach_the_settings() {
        let spec = DatabaseSchemaSpec {
            schemas: vec!["app".into()],
            exclude: vec!["audit_*".into()],
            lock_timeout: Some("2s".into()),
            policy: Some(Policy {
                lint: Some(SpecLint { destructive: Some(LintRule { error: false }) }),
                diff: None,
            }),
            ..Default::default()
        };
        let settings = Settings::from_spec(&spec).unwrap();
        assert_eq!(settings.scope.schemas, ["app"]);
        assert_eq!(settings.scope.exclude, ["audit_*"]);
        assert_eq!(settings.apply.lock_timeout, Duration::from_secs(2));
        assert!(!settings.lint.destructive_is_error);
        assert!(Settings::from_spec(&DatabaseSchemaSpec::default()).unwrap().lint.destructive_is_error);
    }

    #[test]
    fn bad_durations_name_the_field() {
        let spec = DatabaseSchemaSpec { lock_timeout: Some("soon".into()), ..Default::default() };
        let err = Settings::from_spec(&spec).unwrap_err().to_string();
        assert!(err.starts_with("invalid setting spec.lockTimeout: `soon` is not a duration"), "{err}");
    }
}
