//! Lint analyzers over typed changes. Each finding has a stable code (documented in docs/lint.md), a
//! severity decided by policy, the change it is about, an explanation and a suggested fix.

use driftless_model::Change;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    /// Blocks the plan.
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable code, e.g. `DS102`.
    pub code: &'static str,
    pub severity: Severity,
    /// Index of the change (in the diff's output) the finding is about.
    pub change: usize,
    pub message: String,
    pub suggestion: &'static str,
}

/// The policy the analyzers run under.
#[derive(Debug, Clone)]
pub struct LintPolicy {
    /// Destructive findings are errors (the default) or warnings.
    pub destructive_is_error: bool,
}

impl Default for LintPolicy {
    fn default() -> Self {
        LintPolicy { destructive_is_error: true }
    }
}

/// Runs every analyzer over the changes.
pub fn lint(changes: &[Change], policy: &LintPolicy) -> Vec<Finding> {
    changes
        .iter()
        .enumerate()
        .filter_map(|(index, change)| destructive(index, change, policy))
        .collect()
}

/// True when any finding blocks the plan.
pub fn is_blocked(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}

const DESTRUCTIVE_SUGGESTION: &str =
    "keep the object in the desired schema, or allow destructive changes (--allow-destructive / policy.lint.destructive.error: false)";

/// Destructive analyzer: the codes match Atlas's (DS101-DS103) so existing CI rules carry over.
fn destructive(index: usize, change: &Change, policy: &LintPolicy) -> Option<Finding> {
    let (code, message) = match change {
        Change::DropSchema { name } => ("DS101", format!("schema {name} is dropped with everything in it")),
        Change::DropTable { name } => ("DS102", format!("table {name} is dropped with all its rows")),
        Change::DropColumn { table, column } => {
            ("DS103", format!("column {column} of {table} is dropped with its data"))
        }
        _ => return None,
    };
    let severity = if policy.destructive_is_error { Severity::Error } else { Severity::Warning };
    Some(Finding { code, severity, change: index, message, suggestion: DESTRUCTIVE_SUGGESTION })
}

#[cfg(test)]
mod tests {
    use super::*;
    use driftless_model::QualifiedName;

    fn changes() -> Vec<Change> {
        let table = QualifiedName::new("public", "users");
        vec![
            Change::DropIndex { table: table.clone(), name: "users_email_idx".into() },
            Change::DropColumn { table: table.clone(), column: "email".into() },
            Change::DropTable { name: QualifiedName::new("public", "legacy") },
            Change::DropSchema { name: "audit".into() },
        ]
    }

    #[test]
    fn drops_of_schemas_tables_and_columns_block_by_default() {
        let findings = lint(&changes(), &LintPolicy::default());
        let codes: Vec<_> = findings.iter().map(|f| (f.code, f.change, f.severity)).collect();
        assert_eq!(
            codes,
            [("DS103", 1, Severity::Error), ("DS102", 2, Severity::Error), ("DS101", 3, Severity::Error)]
        );
        assert!(is_blocked(&findings));
        assert_eq!(findings[0].message, "column email of public.users is dropped with its data");
    }

    #[test]
    fn the_policy_turns_destructive_findings_into_warnings() {
        let findings = lint(&changes(), &LintPolicy { destructive_is_error: false });
        assert_eq!(findings.len(), 3);
        assert!(!is_blocked(&findings));
    }
}
