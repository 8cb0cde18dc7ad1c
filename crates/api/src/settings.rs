//! A spec turned into the engine's settings: the one translation shared by the CLI (`-f manifest.yaml`) and
//! the operator, kept here so that the engine knows nothing of the resource.

use crate::{DatabaseSchemaSpec, LintLevel, LintRule, SkipChanges};
use driftless_engine::{Analyzer, EngineError, Level, MIN_LOCK_TIMEOUT, Scope, Settings, SkipKey, parse_duration};
use std::collections::BTreeSet;

impl DatabaseSchemaSpec {
    /// The settings the spec asks for; the CLI then overrides them with its flags.
    pub fn settings(&self) -> Result<Settings, EngineError> {
        let mut settings = Settings {
            scope: Scope { schemas: self.schemas.clone(), exclude: self.exclude.clone() },
            ..Settings::default()
        };
        let policy = self.policy.clone().unwrap_or_default();
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
                    settings.lint.set(analyzer, level.into());
                }
            }
        }
        if let Some(diff) = &policy.diff {
            if let Some(skip) = &diff.skip {
                settings.skip = skip.keys();
            }
            if let Some(concurrent) = &diff.concurrent_index {
                settings.online.concurrent_create = concurrent.create;
                settings.online.concurrent_drop = concurrent.drop;
            }
            settings.online.validate_separately = diff.online_constraints.unwrap_or(false);
        }
        if let Some(timeout) = &self.lock_timeout {
            settings.apply.lock_timeout = parse_duration("spec.lockTimeout", timeout)?;
            if settings.apply.lock_timeout < MIN_LOCK_TIMEOUT {
                return Err(EngineError::Setting {
                    field: "spec.lockTimeout",
                    message: format!("`{timeout}` must be at least 1ms: 0 would mean waiting for locks forever"),
                });
            }
        }
        Ok(settings)
    }
}

impl SkipChanges {
    /// The keys set.
    pub fn keys(&self) -> BTreeSet<SkipKey> {
        let flags = [
            (SkipKey::AddSchema, self.add_schema),
            (SkipKey::DropSchema, self.drop_schema),
            (SkipKey::ModifySchema, self.modify_schema),
            (SkipKey::AddTable, self.add_table),
            (SkipKey::DropTable, self.drop_table),
            (SkipKey::ModifyTable, self.modify_table),
            (SkipKey::RenameTable, self.rename_table),
            (SkipKey::AddColumn, self.add_column),
            (SkipKey::DropColumn, self.drop_column),
            (SkipKey::ModifyColumn, self.modify_column),
            (SkipKey::AddIndex, self.add_index),
            (SkipKey::DropIndex, self.drop_index),
            (SkipKey::ModifyIndex, self.modify_index),
            (SkipKey::AddForeignKey, self.add_foreign_key),
            (SkipKey::DropForeignKey, self.drop_foreign_key),
            (SkipKey::ModifyForeignKey, self.modify_foreign_key),
            (SkipKey::RenameConstraint, self.rename_constraint),
        ];
        flags.into_iter().filter(|(_, set)| *set).map(|(key, _)| key).collect()
    }
}

impl From<LintLevel> for Level {
    fn from(level: LintLevel) -> Level {
        match level {
            LintLevel::Error => Level::Error,
            LintLevel::Warn => Level::Warn,
            LintLevel::Off => Level::Off,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{
        ConcurrentIndex, DatabaseSchemaSpec, DiffPolicy, LintLevel, LintPolicy, LintRule, Policy, SkipChanges,
    };
    use driftless_engine::{Level, Settings, SkipKey};
    use std::collections::BTreeSet;
    use std::time::Duration;

    #[test]
    fn spec_fields_reach_the_settings() {
        let spec = DatabaseSchemaSpec {
            schemas: vec!["app".into()],
            exclude: vec!["audit_*".into()],
            lock_timeout: Some("2s".into()),
            policy: Some(Policy {
                lint: Some(LintPolicy {
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
        let settings = spec.settings().unwrap();
        assert_eq!(settings.scope.schemas, ["app"]);
        assert_eq!(settings.scope.exclude, ["audit_*"]);
        assert_eq!(settings.apply.lock_timeout, Duration::from_secs(2));
        assert_eq!(settings.lint.destructive, Level::Warn);
        assert_eq!(settings.lint.lock_hazard, Level::Off);
        assert_eq!(settings.lint.data_dependent, Level::Error);
        assert_eq!(settings.lint.constraint_drop, Level::Warn);
        assert_eq!(settings.skip, BTreeSet::from([SkipKey::DropTable]));
        let online = settings.online;
        assert!(online.concurrent_create && !online.concurrent_drop && online.validate_separately, "{online:?}");
        let defaults = DatabaseSchemaSpec::default().settings().unwrap();
        assert_eq!(defaults.lint, Settings::default().lint);
        assert_eq!(defaults.online, Settings::default().online);
    }

    #[test]
    fn bad_durations_name_the_field() {
        let spec = DatabaseSchemaSpec { lock_timeout: Some("soon".into()), ..Default::default() };
        let err = spec.settings().unwrap_err().to_string();
        assert!(err.starts_with("invalid setting spec.lockTimeout: `soon` is not a duration"), "{err}");
        let spec = DatabaseSchemaSpec { lock_timeout: Some("0s".into()), ..Default::default() };
        let err = spec.settings().unwrap_err().to_string();
        assert!(err.contains("must be at least 1ms"), "{err}");
    }

    #[test]
    fn every_skip_flag_is_its_key() {
        let spec = SkipChanges { drop_table: true, rename_constraint: true, ..Default::default() };
        assert_eq!(spec.keys(), BTreeSet::from([SkipKey::DropTable, SkipKey::RenameConstraint]));
        let all = SkipChanges {
            add_schema: true,
            drop_schema: true,
            modify_schema: true,
            add_table: true,
            drop_table: true,
            modify_table: true,
            rename_table: true,
            add_column: true,
            drop_column: true,
            modify_column: true,
            add_index: true,
            drop_index: true,
            modify_index: true,
            add_foreign_key: true,
            drop_foreign_key: true,
            modify_foreign_key: true,
            rename_constraint: true,
        };
        assert_eq!(all.keys(), BTreeSet::from(SkipKey::ALL));
    }
}
