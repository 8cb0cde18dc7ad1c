//! Pure decisions of a reconcile: what to ask the engine for, and what its answer means for the resource.

use driftless_api::{Approval as ApprovalPolicy, DatabaseSchemaSpec, Mode};
use driftless_engine::{ApplyOutcome, Approval, Outcome};

/// The annotation by which a person approves exactly one plan, by its hash.
pub const APPROVE_ANNOTATION: &str = "driftless.dev/approve-plan";

/// What the engine is asked to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step<'a> {
    /// Compute and lint the plan; run nothing.
    Plan,
    /// Plan and apply under the schema lock, as far as the approval allows.
    Apply(Approval<'a>),
}

/// `mode: plan` never applies; `approval: manual` applies only the plan named by the annotation; with
/// `approval: auto` the annotation still lets a person approve a plan that lint blocks.
pub fn next_step<'a>(spec: &DatabaseSchemaSpec, approved: Option<&'a str>) -> Step<'a> {
    match (spec.mode.unwrap_or_default(), spec.approval.unwrap_or_default(), approved) {
        (Mode::Plan, _, _) => Step::Plan,
        (Mode::Apply, ApprovalPolicy::Manual, Some(hash)) => Step::Apply(Approval::Exactly(hash)),
        (Mode::Apply, ApprovalPolicy::Manual, None) => Step::Plan,
        (Mode::Apply, ApprovalPolicy::Auto, Some(hash)) => Step::Apply(Approval::PolicyOrExactly(hash)),
        (Mode::Apply, ApprovalPolicy::Auto, None) => Step::Apply(Approval::Policy),
    }
}

/// Where a reconcile left the resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    InSync,
    Applied {
        statements: usize,
    },
    /// `mode: plan` with changes pending.
    PlanPending,
    /// A lint finding of error severity forbids the plan.
    Blocked,
    /// `approval: manual` and no approval of this plan; `stale` names an approved plan that no longer applies.
    AwaitingApproval {
        stale: Option<String>,
    },
    /// The input cannot work until someone changes it: not retried until the resource or what it references
    /// changes.
    Invalid {
        reason: &'static str,
        message: String,
    },
    /// A failure that may pass (database down, lock timeout): retried with backoff.
    Retrying {
        reason: &'static str,
        message: String,
    },
}

/// The verdict for a plan computed without applying (`Step::Plan`).
pub fn planned(spec: &DatabaseSchemaSpec, outcome: &Outcome) -> Verdict {
    if outcome.in_sync() {
        Verdict::InSync
    } else if spec.mode.unwrap_or_default() == Mode::Plan {
        if outcome.blocked() { Verdict::Blocked } else { Verdict::PlanPending }
    } else {
        // manual approval: a person may approve even a blocked plan
        Verdict::AwaitingApproval { stale: None }
    }
}

/// The verdict for what `Session::apply` did, and the plan it computed.
pub fn applied(outcome: &ApplyOutcome) -> (Verdict, &Outcome) {
    match outcome {
        ApplyOutcome::InSync(outcome) => (Verdict::InSync, outcome),
        ApplyOutcome::Blocked(outcome) => (Verdict::Blocked, outcome),
        ApplyOutcome::Stale { outcome, approved } => {
            (Verdict::AwaitingApproval { stale: Some(approved.clone()) }, outcome)
        }
        ApplyOutcome::Applied { outcome, report } => {
            (Verdict::Applied { statements: report.statements_applied }, outcome)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(mode: Mode, approval: ApprovalPolicy) -> DatabaseSchemaSpec {
        DatabaseSchemaSpec { mode: Some(mode), approval: Some(approval), ..Default::default() }
    }

    #[test]
    fn the_step_follows_mode_approval_and_annotation() {
        use ApprovalPolicy::{Auto, Manual};
        let cases = [
            (Mode::Plan, Auto, None, Step::Plan),
            (Mode::Plan, Manual, Some("abc"), Step::Plan),
            (Mode::Apply, Manual, None, Step::Plan),
            (Mode::Apply, Manual, Some("abc"), Step::Apply(Approval::Exactly("abc"))),
            (Mode::Apply, Auto, None, Step::Apply(Approval::Policy)),
            (Mode::Apply, Auto, Some("abc"), Step::Apply(Approval::PolicyOrExactly("abc"))),
        ];
        for (mode, approval, annotation, expected) in cases {
            assert_eq!(next_step(&spec(mode, approval), annotation), expected, "{mode:?} {approval:?} {annotation:?}");
        }
        assert_eq!(
            next_step(&DatabaseSchemaSpec::default(), None),
            Step::Apply(Approval::Policy),
            "defaults: apply, auto"
        );
    }
}
