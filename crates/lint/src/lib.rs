//! Lint analyzers over typed changes (never over SQL text). Each finding has a stable code (documented in
//! docs/lint.md), a severity decided by the policy for its analyzer, the change it is about, a one-line
//! explanation and a suggested fix.
//!
//! Analyzers are pure: they see the changes, the current model and the online forms the plan will use.
//! Data-dependent findings carry a [`RowCheck`], a typed description of the rows that would violate the
//! change; the engine counts them when a database is reachable and fills in [`Finding::violations`].

mod context;
mod data;
mod destructive;
mod incompatible;
mod mysql;
mod postgres;
mod sqlite;
mod types;

use context::Context;
use driftless_model::{Change, Database, Dialect, OnlineOptions, QualifiedName, Suppression};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    /// Blocks the plan.
    Error,
}

/// What the policy makes of an analyzer's findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Not reported.
    Off,
    Warn,
    /// Reported and blocking.
    Error,
}

/// The analyzers, each a family of codes with one policy level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Analyzer {
    /// DS1xx: drops that lose data.
    Destructive,
    /// MF1xx: changes that fail, or change data, depending on the rows present.
    DataDependent,
    /// BC1xx: renames that break clients using the old name.
    BackwardIncompatible,
    /// CD1xx: constraints dropped for good.
    ConstraintDrop,
    /// PG1xx/PG3xx: PostgreSQL statements that hold strong locks for long or rewrite a table; SL1xx: SQLite
    /// table rebuilds.
    LockHazard,
}

impl Analyzer {
    pub const ALL: [Analyzer; 5] = [
        Analyzer::Destructive,
        Analyzer::DataDependent,
        Analyzer::BackwardIncompatible,
        Analyzer::ConstraintDrop,
        Analyzer::LockHazard,
    ];

    /// The name used by CLI flags (`--lint data_dependent=error`) and JSON output.
    pub fn name(self) -> &'static str {
        match self {
            Analyzer::Destructive => "destructive",
            Analyzer::DataDependent => "data_dependent",
            Analyzer::BackwardIncompatible => "backward_incompatible",
            Analyzer::ConstraintDrop => "constraint_drop",
            Analyzer::LockHazard => "lock_hazard",
        }
    }

    pub fn from_name(name: &str) -> Option<Analyzer> {
        Analyzer::ALL.into_iter().find(|analyzer| analyzer.name() == name)
    }
}

/// The level of every analyzer. Destructive findings block by default; the others warn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LintPolicy {
    pub destructive: Level,
    pub data_dependent: Level,
    pub backward_incompatible: Level,
    pub constraint_drop: Level,
    pub lock_hazard: Level,
}

impl Default for LintPolicy {
    fn default() -> Self {
        LintPolicy {
            destructive: Level::Error,
            data_dependent: Level::Warn,
            backward_incompatible: Level::Warn,
            constraint_drop: Level::Warn,
            lock_hazard: Level::Warn,
        }
    }
}

impl LintPolicy {
    pub fn level(&self, analyzer: Analyzer) -> Level {
        match analyzer {
            Analyzer::Destructive => self.destructive,
            Analyzer::DataDependent => self.data_dependent,
            Analyzer::BackwardIncompatible => self.backward_incompatible,
            Analyzer::ConstraintDrop => self.constraint_drop,
            Analyzer::LockHazard => self.lock_hazard,
        }
    }

    pub fn set(&mut self, analyzer: Analyzer, level: Level) {
        let slot = match analyzer {
            Analyzer::Destructive => &mut self.destructive,
            Analyzer::DataDependent => &mut self.data_dependent,
            Analyzer::BackwardIncompatible => &mut self.backward_incompatible,
            Analyzer::ConstraintDrop => &mut self.constraint_drop,
            Analyzer::LockHazard => &mut self.lock_hazard,
        };
        *slot = level;
    }
}

/// Rows of the live database that would make a data-dependent change fail (or lose data). The engine turns
/// it into a bounded `count(*)` query; lint itself never touches a database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowCheck {
    /// Every row of the table.
    Rows { table: QualifiedName },
    /// Rows where the column is NULL.
    Nulls { table: QualifiedName, column: String },
    /// Rows where the column is not NULL.
    Values { table: QualifiedName, column: String },
    /// Rows that share their key with another row (rows with a NULL in the key are distinct unless
    /// `nulls_distinct` is false), among the rows matching `predicate` (a partial index's) when given.
    Duplicates { table: QualifiedName, columns: Vec<String>, nulls_distinct: bool, predicate: Option<String> },
    /// Rows whose value is longer than `length` characters.
    LongerThan { table: QualifiedName, column: String, length: u32 },
    /// Rows whose value lies outside `min..=max`.
    OutOfRange { table: QualifiedName, column: String, min: i64, max: i64 },
    /// Rows whose absolute value needs more than `digits` digits before the decimal point.
    TooManyDigits { table: QualifiedName, column: String, digits: u32 },
    /// Rows whose value fails a domain's check `expr` (written over `VALUE`); for an array column, whose
    /// value holds one that fails.
    DomainCheck { table: QualifiedName, column: String, expr: String, array: bool },
    /// Rows whose value is one of `labels` (an enum's); for an array column, whose value holds one.
    Labels { table: QualifiedName, column: String, labels: Vec<String>, array: bool },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable code, e.g. `DS102`.
    pub code: &'static str,
    pub analyzer: Analyzer,
    pub severity: Severity,
    /// Index of the change (in the plan's `changes`) the finding is about.
    pub change: usize,
    /// Index of the first plan statement of that change; set once the plan is rendered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statement: Option<usize>,
    pub message: String,
    pub suggestion: &'static str,
    /// Rows of the live database that violate the change, when they were counted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub violations: Option<u64>,
    /// What to count for `violations`.
    #[serde(skip)]
    pub row_check: Option<RowCheck>,
    /// Set when a `-- driftless:nolint` in the desired SQL covers the finding: it is still reported, but
    /// never blocks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppressed: Option<Suppressed>,
}

impl Finding {
    /// True when the rows counted for this finding make its change fail for certain (the statement errors,
    /// rather than changing values): a plan holding it cannot succeed until the rows are fixed. Only counted
    /// findings qualify; a suppression does not change what the database will do.
    pub fn certain_failure(&self, dialect: Dialect) -> bool {
        if self.violations.is_none_or(|rows| rows == 0) {
            return false;
        }
        match &self.row_check {
            // a unique key over duplicates fails everywhere
            Some(RowCheck::Duplicates { .. }) => true,
            // SET NOT NULL over NULLs fails on PostgreSQL, and SQLite's rebuild copies the NULLs into the new
            // table; MySQL outside strict mode changes them to the type's zero instead
            Some(RowCheck::Nulls { .. }) => matches!(dialect, Dialect::Postgres | Dialect::Sqlite),
            // a NOT NULL column without a default fails on a PostgreSQL table that has rows
            Some(RowCheck::Rows { .. }) => self.code == "MF103" && dialect == Dialect::Postgres,
            // PostgreSQL refuses to cast out-of-range integers and numerics that overflow, even with USING
            Some(RowCheck::OutOfRange { .. } | RowCheck::TooManyDigits { .. }) => dialect == Dialect::Postgres,
            // converting through text to an enum without the label is an invalid input value
            Some(RowCheck::Labels { .. }) => dialect == Dialect::Postgres,
            // a domain's check is checked on every stored value when added or validated
            Some(RowCheck::DomainCheck { .. }) => true,
            // an explicit cast to a shorter varchar truncates instead of failing; a value converted through
            // its text may read as the new type (`20240102` as a date)
            Some(RowCheck::LongerThan { .. } | RowCheck::Values { .. }) | None => false,
        }
    }
}

/// Where the `nolint` directive that suppressed a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Suppressed {
    /// The line of the directive in the desired SQL.
    pub line: usize,
}

/// A finding before the policy gives it a severity.
pub(crate) struct Draft {
    pub code: &'static str,
    pub message: String,
    pub suggestion: &'static str,
    pub row_check: Option<RowCheck>,
}

impl Draft {
    pub fn new(code: &'static str, message: String, suggestion: &'static str) -> Draft {
        Draft { code, message, suggestion, row_check: None }
    }

    pub fn counting(self, row_check: RowCheck) -> Draft {
        Draft { row_check: Some(row_check), ..self }
    }
}

/// An analyzer: the findings for one change.
type Analyze = fn(&Context, &Change) -> Vec<Draft>;

/// Runs every analyzer that the policy does not turn off over the changes. `current` is the live model the
/// changes apply to; `online` says which online forms the plan renders.
pub fn lint(changes: &[Change], current: &Database, online: &OnlineOptions, policy: &LintPolicy) -> Vec<Finding> {
    let context = Context::new(changes, current, online);
    let analyzers: [(Analyzer, Analyze); 5] = [
        (Analyzer::Destructive, destructive::destructive),
        (Analyzer::DataDependent, data::data_dependent),
        (Analyzer::BackwardIncompatible, incompatible::backward_incompatible),
        (Analyzer::ConstraintDrop, destructive::constraint_drop),
        (Analyzer::LockHazard, lock_hazards),
    ];
    let mut findings = Vec::new();
    for (index, change) in changes.iter().enumerate() {
        for (analyzer, analyze) in analyzers {
            let severity = match policy.level(analyzer) {
                Level::Off => continue,
                Level::Warn => Severity::Warning,
                Level::Error => Severity::Error,
            };
            findings.extend(analyze(&context, change).into_iter().map(|draft| Finding {
                code: draft.code,
                analyzer,
                severity,
                change: index,
                statement: None,
                message: draft.message,
                suggestion: draft.suggestion,
                violations: None,
                row_check: draft.row_check,
                suppressed: None,
            }));
        }
    }
    findings
}

/// Lock and rewrite hazards are the dialect's own.
fn lock_hazards(context: &Context, change: &Change) -> Vec<Draft> {
    match context.dialect() {
        Dialect::Sqlite => sqlite::lock_hazards(context, change),
        Dialect::Mysql => mysql::lock_hazards(context, change),
        Dialect::Postgres => postgres::lock_hazards(context, change),
    }
}

/// Marks the findings that a suppression covers: one naming the finding's code (or every code) on the
/// object the finding's change is about, or on an object enclosing it (see `docs/lint.md`).
pub fn suppress(findings: &mut [Finding], changes: &[Change], suppressions: &[Suppression]) {
    for finding in findings {
        let object = changes[finding.change].object();
        if let Some(suppression) = suppressions.iter().find(|s| s.covers(finding.code, &object)) {
            finding.suppressed = Some(Suppressed { line: suppression.line });
        }
    }
}

/// True when any finding that is not suppressed blocks the plan.
pub fn is_blocked(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error && f.suppressed.is_none())
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_domains;
