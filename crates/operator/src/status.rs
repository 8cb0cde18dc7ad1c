//! The status a reconcile writes, built purely from the previous status and what the reconcile found.
//!
//! Conditions follow kstatus: `Ready` is always present; `Reconciling` and `Stalled` are present only while
//! true (retrying; waiting for a person). `Drifted` says whether the last check found the database changed
//! behind Driftless's back.

use crate::decide::{APPROVE_ANNOTATION, Verdict};
use driftless_api::{Condition, DatabaseSchemaStatus, LastApplied, PlanFinding, PlanState, PlanStatus};
use driftless_engine::{Outcome, Severity};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;

/// Stable reasons (CamelCase), as documented in docs/operator.md.
pub mod reason {
    pub const IN_SYNC: &str = "InSync";
    pub const APPLIED: &str = "Applied";
    pub const PLAN_PENDING: &str = "PlanPending";
    pub const LINT_BLOCKED: &str = "LintBlocked";
    pub const AWAITING_APPROVAL: &str = "AwaitingApproval";
    pub const INVALID_SCHEMA: &str = "InvalidSchema";
    pub const INVALID_SPEC: &str = "InvalidSpec";
    pub const REFERENCE_NOT_FOUND: &str = "ReferenceNotFound";
    pub const DATABASE_UNREACHABLE: &str = "DatabaseUnreachable";
    pub const APPLY_FAILED: &str = "ApplyFailed";
    /// Counted rows make the plan certain to fail (duplicates under a new unique key, NULLs under SET NOT
    /// NULL, ...): it is not started; retried, so it runs once the rows are fixed.
    pub const WILL_FAIL: &str = "WillFail";
    pub const DATABASE_ERROR: &str = "DatabaseError";
    pub const RETRYING: &str = "Retrying";
    pub const DRIFT_DETECTED: &str = "DriftDetected";
    pub const DRIFT_CORRECTED: &str = "DriftCorrected";
    pub const NO_DRIFT: &str = "NoDrift";
}

pub const READY: &str = "Ready";
pub const RECONCILING: &str = "Reconciling";
pub const STALLED: &str = "Stalled";
pub const DRIFTED: &str = "Drifted";

/// Whether the database changed behind Driftless's back since it was last in sync with the same desired
/// schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drift {
    /// Not checked (the reconcile failed before inspecting).
    Unknown,
    None,
    /// Found and left as it is (plan mode, blocked, awaiting approval).
    Detected,
    /// Found and applied away.
    Corrected,
}

/// What one reconcile found.
pub struct Observation<'a> {
    pub generation: Option<i64>,
    pub verdict: &'a Verdict,
    /// The plan computed, when the reconcile got that far.
    pub outcome: Option<&'a Outcome>,
    pub drift: Drift,
    pub now: jiff::Timestamp,
}

/// True when the database no longer matches a desired schema that it matched before: the last reconcile
/// of the same desired schema found it in sync (or applied it), or had already found it drifted, and now
/// there is a plan again.
pub fn detect_drift(previous: &DatabaseSchemaStatus, outcome: &Outcome) -> bool {
    let was_in_sync = ready_reason(previous).is_some_and(|reason| [reason::IN_SYNC, reason::APPLIED].contains(&reason));
    (was_in_sync || was_drifted(previous))
        && previous.desired_hash.as_deref() == Some(&outcome.desired_hash)
        && !outcome.in_sync()
}

/// Whether the last check left the resource drifted (found and not undone).
pub fn was_drifted(previous: &DatabaseSchemaStatus) -> bool {
    previous.conditions.iter().any(|c| c.type_ == DRIFTED && c.status == "True")
}

fn ready_reason(status: &DatabaseSchemaStatus) -> Option<&str> {
    status.conditions.iter().find(|c| c.type_ == READY).map(|c| c.reason.as_str())
}

/// The next status.
pub fn next_status(previous: &DatabaseSchemaStatus, observation: &Observation) -> DatabaseSchemaStatus {
    let mut status = previous.clone();
    status.observed_generation = observation.generation;
    if let Some(outcome) = observation.outcome {
        status.desired_hash = Some(outcome.desired_hash.clone());
    }
    let verdict = observation.verdict;
    status.plan = match (verdict, observation.outcome) {
        (Verdict::InSync, _) => previous.plan.clone().filter(|plan| plan.state == PlanState::Applied),
        (Verdict::Applied { .. }, Some(outcome)) => Some(plan_status(outcome, PlanState::Applied)),
        (Verdict::PlanPending, Some(outcome)) => Some(plan_status(outcome, PlanState::Pending)),
        (Verdict::Blocked, Some(outcome)) => Some(plan_status(outcome, PlanState::Blocked)),
        (Verdict::AwaitingApproval { .. }, Some(outcome)) => Some(plan_status(outcome, PlanState::AwaitingApproval)),
        _ => previous.plan.clone(),
    };
    if let (Verdict::Applied { statements }, Some(outcome)) = (verdict, observation.outcome) {
        status.last_applied = Some(LastApplied {
            plan_hash: outcome.plan.hash(),
            time: observation.now.to_string(),
            statements: *statements as i64,
        });
    }

    let (ready, ready_reason, message) = ready_condition(verdict, observation.outcome);
    let mut conditions =
        Conditions { list: &mut status.conditions, generation: observation.generation, now: observation.now };
    conditions.set(READY, ready, ready_reason, &message);
    match verdict {
        Verdict::Retrying { .. } => conditions.set(RECONCILING, true, reason::RETRYING, &message),
        _ => conditions.remove(RECONCILING),
    }
    match verdict {
        Verdict::Invalid { reason, .. } => conditions.set(STALLED, true, reason, &message),
        Verdict::Blocked => conditions.set(STALLED, true, reason::LINT_BLOCKED, &message),
        _ => conditions.remove(STALLED),
    }
    match observation.drift {
        Drift::Unknown => {}
        Drift::None => conditions.set(DRIFTED, false, reason::NO_DRIFT, "the database matched the last applied schema"),
        Drift::Detected => conditions.set(
            DRIFTED,
            true,
            reason::DRIFT_DETECTED,
            "the database was changed outside Driftless; the plan undoes the change",
        ),
        Drift::Corrected => conditions.set(
            DRIFTED,
            false,
            reason::DRIFT_CORRECTED,
            "the database was changed outside Driftless; the change was undone",
        ),
    }
    status
}

fn ready_condition(verdict: &Verdict, outcome: Option<&Outcome>) -> (bool, &'static str, String) {
    let hash = outcome.map(|outcome| outcome.plan.hash()).unwrap_or_default();
    let count = outcome.map_or(0, |outcome| outcome.plan.statements.len());
    match verdict {
        Verdict::InSync => (true, reason::IN_SYNC, "the database matches the desired schema".into()),
        Verdict::Applied { statements } => {
            (true, reason::APPLIED, format!("applied plan {hash}: {}", statements_text(*statements)))
        }
        Verdict::PlanPending => {
            // counted rows that make the plan fail are said here too: applying it would not help
            let failing = outcome
                .and_then(Outcome::will_fail)
                .map(|_| format!(" ({})", outcome.map(Outcome::verdict).unwrap_or_default()))
                .unwrap_or_default();
            (
                false,
                reason::PLAN_PENDING,
                format!("plan {hash} has {} pending{failing}; mode is plan", statements_text(count)),
            )
        }
        Verdict::Blocked => {
            let codes = outcome.map(blocking_codes).unwrap_or_default();
            (
                false,
                reason::LINT_BLOCKED,
                format!(
                    "plan {hash} is blocked by lint ({codes}): allow it in spec.policy.lint, or approve this plan with the annotation {APPROVE_ANNOTATION}={hash}"
                ),
            )
        }
        Verdict::AwaitingApproval { stale } => {
            let stale = stale
                .as_ref()
                .map(|approved| {
                    format!("the approved plan {approved} no longer applies (the database or the SQL changed); ")
                })
                .unwrap_or_default();
            (
                false,
                reason::AWAITING_APPROVAL,
                format!(
                    "{stale}plan {hash} ({}) awaits approval: annotate {APPROVE_ANNOTATION}={hash}",
                    statements_text(count)
                ),
            )
        }
        Verdict::Invalid { reason, message } | Verdict::Retrying { reason, message } => {
            (false, reason, message.clone())
        }
    }
}

/// The codes of the findings that block a plan, e.g. `DS103`.
pub fn blocking_codes(outcome: &Outcome) -> String {
    let mut codes: Vec<&str> = outcome
        .findings
        .iter()
        .filter(|finding| finding.severity == Severity::Error)
        .map(|finding| finding.code)
        .collect();
    codes.dedup();
    codes.join(", ")
}

fn statements_text(count: usize) -> String {
    if count == 1 { "1 statement".into() } else { format!("{count} statements") }
}

/// A status carries at most this much SQL and this many findings: etcd keeps objects under 1.5 MiB, and a
/// first apply of a large schema has thousands of statements.
const STATUS_SQL_BYTES: usize = 32 * 1024;
const STATUS_FINDINGS: usize = 50;

fn plan_status(outcome: &Outcome, state: PlanState) -> PlanStatus {
    let mut budget = STATUS_SQL_BYTES;
    let statements: Vec<String> = outcome
        .plan
        .statements
        .iter()
        .map(|statement| statement.sql.clone())
        .take_while(|sql| match budget.checked_sub(sql.len()) {
            Some(left) => {
                budget = left;
                true
            }
            None => false,
        })
        .collect();
    PlanStatus {
        hash: outcome.plan.hash(),
        omitted_statements: (outcome.plan.statements.len() - statements.len()) as i64,
        statements,
        omitted_findings: outcome.findings.len().saturating_sub(STATUS_FINDINGS) as i64,
        findings: outcome
            .findings
            .iter()
            .take(STATUS_FINDINGS)
            .map(|finding| PlanFinding {
                code: finding.code.to_string(),
                severity: severity_name(finding.severity).to_string(),
                message: match finding.violations {
                    Some(rows) => format!("{} ({rows} rows violate it)", finding.message),
                    None => finding.message.clone(),
                },
            })
            .collect(),
        state,
    }
}

pub fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

struct Conditions<'a> {
    list: &'a mut Vec<Condition>,
    generation: Option<i64>,
    now: jiff::Timestamp,
}

impl Conditions<'_> {
    /// Sets a condition, keeping its transition time when its status did not change.
    fn set(&mut self, type_: &str, status: bool, reason: &str, message: &str) {
        let status = if status { "True" } else { "False" }.to_string();
        let transition = match self.list.iter().find(|c| c.type_ == type_) {
            Some(existing) if existing.status == status => existing.last_transition_time.clone(),
            _ => Time(self.now),
        };
        self.remove(type_);
        self.list.push(Condition {
            type_: type_.to_string(),
            status,
            reason: reason.to_string(),
            message: message.to_string(),
            observed_generation: self.generation,
            last_transition_time: transition,
        });
        self.list.sort_by_key(|c| condition_rank(&c.type_));
    }

    fn remove(&mut self, type_: &str) {
        self.list.retain(|c| c.type_ != type_);
    }
}

/// Ready first, then the kstatus conditions, then the rest.
fn condition_rank(type_: &str) -> usize {
    [READY, RECONCILING, STALLED, DRIFTED].iter().position(|t| *t == type_).unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use driftless_engine::{Desired, Dialect, Settings, compute, parse_desired};

    fn outcome(current: &str, desired: &str) -> Outcome {
        let parse = |sql: &str| parse_desired(&Desired::from_sql(sql, "test"), Dialect::Postgres, "public").unwrap();
        compute(&parse(current), &parse(desired), &Settings::default()).unwrap()
    }

    fn observe(
        previous: &DatabaseSchemaStatus,
        verdict: Verdict,
        outcome: Option<&Outcome>,
        drift: Drift,
        now: i64,
    ) -> DatabaseSchemaStatus {
        let now = jiff::Timestamp::from_second(now).unwrap();
        next_status(previous, &Observation { generation: Some(2), verdict: &verdict, outcome, drift, now })
    }

    fn condition<'a>(status: &'a DatabaseSchemaStatus, type_: &str) -> Option<&'a Condition> {
        status.conditions.iter().find(|c| c.type_ == type_)
    }

    #[test]
    fn applied_then_in_sync_keeps_the_applied_plan_and_the_transition_time() {
        let plan = outcome("", "create table t (id int);");
        let applied = observe(
            &DatabaseSchemaStatus::default(),
            Verdict::Applied { statements: 1 },
            Some(&plan),
            Drift::None,
            100,
        );
        let ready = condition(&applied, READY).unwrap();
        assert_eq!((ready.status.as_str(), ready.reason.as_str()), ("True", "Applied"));
        assert_eq!(ready.observed_generation, Some(2));
        assert_eq!(applied.plan.as_ref().unwrap().state, PlanState::Applied);
        assert_eq!(applied.last_applied.as_ref().unwrap().plan_hash, plan.plan.hash());
        assert!(condition(&applied, STALLED).is_none() && condition(&applied, RECONCILING).is_none());

        let empty = outcome("create table t (id int);", "create table t (id int);");
        let in_sync = observe(&applied, Verdict::InSync, Some(&empty), Drift::None, 200);
        let ready = condition(&in_sync, READY).unwrap();
        assert_eq!(ready.reason, "InSync");
        assert_eq!(ready.last_transition_time.0.as_second(), 100, "still True since the apply");
        assert_eq!(in_sync.plan, applied.plan, "the applied plan stays visible");
    }

    #[test]
    fn a_blocked_plan_stalls_with_its_codes_and_the_approval_hint() {
        let plan = outcome("create table t (id int, note text);", "create table t (id int);");
        let status = observe(&DatabaseSchemaStatus::default(), Verdict::Blocked, Some(&plan), Drift::None, 100);
        let ready = condition(&status, READY).unwrap();
        assert_eq!((ready.status.as_str(), ready.reason.as_str()), ("False", "LintBlocked"));
        let hash = plan.plan.hash();
        assert!(
            ready.message.contains("DS103") && ready.message.contains(&format!("driftless.dev/approve-plan={hash}")),
            "{}",
            ready.message
        );
        assert_eq!(condition(&status, STALLED).unwrap().reason, "LintBlocked");
        let shown = status.plan.unwrap();
        assert_eq!(shown.state, PlanState::Blocked);
        assert_eq!(shown.findings[0].severity, "error");
    }

    #[test]
    fn a_pending_plan_that_counted_rows_make_fail_says_so() {
        let mut plan = outcome("create table t (id int);", "create table t (id int unique);");
        let pending = |plan: &Outcome| {
            let status = observe(&DatabaseSchemaStatus::default(), Verdict::PlanPending, Some(plan), Drift::None, 100);
            condition(&status, READY).unwrap().clone()
        };
        assert!(!pending(&plan).message.contains("will fail"), "{}", pending(&plan).message);
        let duplicates = plan.findings.iter_mut().find(|f| f.row_check.is_some()).expect("a data-dependent finding");
        duplicates.violations = Some(3);
        let ready = pending(&plan);
        assert_eq!(ready.reason, "PlanPending");
        assert!(ready.message.contains("(will fail: 3 rows in the way); mode is plan"), "{}", ready.message);
    }

    #[test]
    fn a_large_plan_is_cut_short_in_the_status() {
        let tables: String =
            (0..2000).map(|i| format!("create table t{i} (id int, note text, created date);\n")).collect();
        let plan = outcome("", &tables);
        let status = observe(&DatabaseSchemaStatus::default(), Verdict::PlanPending, Some(&plan), Drift::None, 100);
        let shown = status.plan.unwrap();
        let bytes: usize = shown.statements.iter().map(String::len).sum();
        assert!(bytes <= STATUS_SQL_BYTES && !shown.statements.is_empty(), "{bytes}");
        assert_eq!(shown.statements.len() as i64 + shown.omitted_statements, 2000);
        assert_eq!(shown.hash, plan.plan.hash(), "the hash still names the whole plan");
    }

    #[test]
    fn retrying_sets_reconciling_and_a_later_success_clears_it() {
        let verdict = Verdict::Retrying { reason: reason::DATABASE_UNREACHABLE, message: "connection refused".into() };
        let failing = observe(&DatabaseSchemaStatus::default(), verdict, None, Drift::Unknown, 100);
        assert_eq!(condition(&failing, READY).unwrap().reason, "DatabaseUnreachable");
        assert_eq!(condition(&failing, RECONCILING).unwrap().status, "True");
        assert!(condition(&failing, DRIFTED).is_none());
        let plan = outcome("create table t (id int);", "create table t (id int);");
        let recovered = observe(&failing, Verdict::InSync, Some(&plan), Drift::None, 200);
        assert!(condition(&recovered, RECONCILING).is_none());
        assert_eq!(condition(&recovered, READY).unwrap().status, "True");
    }

    #[test]
    fn drift_is_a_new_plan_for_the_same_desired_schema_after_being_in_sync() {
        let synced = outcome("create table t (id int);", "create table t (id int);");
        let in_sync = observe(&DatabaseSchemaStatus::default(), Verdict::InSync, Some(&synced), Drift::None, 100);
        let altered = outcome("create table t (id int, extra int);", "create table t (id int);");
        assert!(detect_drift(&in_sync, &altered));
        let edited = outcome("create table t (id int);", "create table t (id int, note text);");
        assert!(!detect_drift(&in_sync, &edited), "a changed desired schema is not drift");
        let corrected = observe(&in_sync, Verdict::Applied { statements: 1 }, Some(&altered), Drift::Corrected, 200);
        assert_eq!(condition(&corrected, DRIFTED).unwrap().reason, "DriftCorrected");

        // in plan mode the drift stays, and the next checks keep saying so
        let reported = observe(&in_sync, Verdict::PlanPending, Some(&altered), Drift::Detected, 200);
        assert!(was_drifted(&reported));
        assert!(detect_drift(&reported, &altered), "still drifted at the next check");
        let fixed_by_hand = outcome("create table t (id int);", "create table t (id int);");
        assert!(!detect_drift(&reported, &fixed_by_hand));
    }
}
