//! One reconcile of a `DatabaseSchema`: resolve the target and the SQL, run the engine, then report in the
//! status, events and metrics. Decisions are in `decide` and `status`; this is the I/O around them.

use crate::decide::{self, APPROVE_ANNOTATION, Step, Verdict};
use crate::metrics::Metrics;
use crate::resolve::{ResolveError, resolve};
use crate::status::{self, Drift, Observation, reason};
use driftless_api::DatabaseSchema;
use driftless_engine::{EngineError, Outcome, Session, parse_desired, parse_duration};
use kube::api::{Api, Patch, PatchParams};
use kube::runtime::controller::Action;
use kube::runtime::events::{Event, EventType, Recorder};
use kube::{Client, Resource, ResourceExt};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How often a resource is checked for drift when `driftCheckInterval` is not set.
pub const DEFAULT_DRIFT_CHECK_INTERVAL: Duration = Duration::from_secs(600);

/// Exponential backoff for failures that may pass.
#[derive(Debug, Clone, Copy)]
pub struct Retry {
    pub base: Duration,
    pub max: Duration,
}

impl Default for Retry {
    fn default() -> Self {
        Retry { base: Duration::from_secs(5), max: Duration::from_secs(300) }
    }
}

impl Retry {
    /// The wait before retry number `attempt` (0-based): `base · 2^attempt`, at most `max`, scaled by
    /// `jitter` (0.8–1.2 in use) so that resources failing together do not retry together.
    pub fn delay(&self, attempt: u32, jitter: f64) -> Duration {
        let exponential = self.base.saturating_mul(2u32.saturating_pow(attempt.min(20)));
        exponential.min(self.max).mul_f64(jitter)
    }
}

/// What every reconcile shares.
pub struct Context {
    pub client: Client,
    pub recorder: Recorder,
    pub metrics: Arc<Metrics>,
    pub retry: Retry,
    pub field_manager: String,
    /// Consecutive failures per resource, for the backoff.
    failures: Mutex<HashMap<String, u32>>,
    /// One lock per database: two resources on the same database never plan and apply at once in this
    /// process (the database's own schema lock covers other processes).
    database_locks: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

impl Context {
    pub fn new(
        client: Client,
        recorder: Recorder,
        metrics: Arc<Metrics>,
        retry: Retry,
        field_manager: String,
    ) -> Context {
        Context {
            client,
            recorder,
            metrics,
            retry,
            field_manager,
            failures: Mutex::new(HashMap::new()),
            database_locks: Mutex::new(HashMap::new()),
        }
    }

    fn database_lock(&self, database: &str) -> Arc<tokio::sync::Mutex<()>> {
        self.database_locks.lock().expect("database locks").entry(database.to_string()).or_default().clone()
    }

    /// Counts a failure and returns the wait before the next attempt.
    fn failed(&self, key: &str) -> Duration {
        let mut failures = self.failures.lock().expect("failures");
        let attempt = failures.entry(key.to_string()).or_insert(0);
        let delay = self.retry.delay(*attempt, 0.8 + fastrand::f64() * 0.4);
        *attempt += 1;
        delay
    }

    fn succeeded(&self, key: &str) {
        self.failures.lock().expect("failures").remove(key);
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReconcileError {
    #[error("the resource has no namespace")]
    NoNamespace,
    #[error("reading the resource: {0}")]
    Read(#[source] kube::Error),
    #[error("writing the status: {0}")]
    Status(#[source] kube::Error),
}

/// What the engine found for one resource.
struct Examined {
    verdict: Verdict,
    outcome: Option<Outcome>,
    drift_check: Duration,
}

pub async fn reconcile(cached: Arc<DatabaseSchema>, ctx: Arc<Context>) -> Result<Action, ReconcileError> {
    let started = Instant::now();
    let namespace = cached.namespace().ok_or(ReconcileError::NoNamespace)?;
    let name = cached.name_any();
    let key = format!("{namespace}/{name}");
    let api: Api<DatabaseSchema> = Api::namespaced(ctx.client.clone(), &namespace);
    // The cache can lag behind the status the previous reconcile wrote; a status built on a stale one would
    // drop what that reconcile recorded (server-side apply removes the fields a patch leaves out).
    let Some(resource) = api.get_opt(&name).await.map_err(ReconcileError::Read)? else {
        return Ok(Action::await_change());
    };
    let previous = resource.status.clone().unwrap_or_default();

    let examined = examine(&resource, &ctx, &namespace, &name).await;
    let drifted = examined.outcome.as_ref().is_some_and(|outcome| status::detect_drift(&previous, outcome));
    let drift = match (&examined.outcome, drifted, &examined.verdict) {
        (None, _, _) => Drift::Unknown,
        (Some(_), false, _) => Drift::None,
        (Some(_), true, Verdict::Applied { .. }) => Drift::Corrected,
        (Some(_), true, _) => Drift::Detected,
    };
    let observation = Observation {
        generation: resource.metadata.generation,
        verdict: &examined.verdict,
        outcome: examined.outcome.as_ref(),
        drift,
        now: jiff::Timestamp::now(),
    };
    let next = status::next_status(&previous, &observation);
    if next != previous {
        let patch = serde_json::json!({
            "apiVersion": DatabaseSchema::api_version(&()),
            "kind": DatabaseSchema::kind(&()),
            "status": next,
        });
        api.patch_status(&name, &PatchParams::apply(&ctx.field_manager).force(), &Patch::Apply(&patch))
            .await
            .map_err(ReconcileError::Status)?;
    }

    // a drift is reported once, when found; the Drifted condition carries it after that
    let newly_drifted = drifted && !status::was_drifted(&previous);
    report(&resource, &ctx, &previous, &examined, newly_drifted).await;
    let ready = matches!(examined.verdict, Verdict::InSync | Verdict::Applied { .. });
    ctx.metrics.set_ready(&key, Some(ready));
    if !matches!(examined.verdict, Verdict::Retrying { .. }) {
        ctx.succeeded(&key);
    }
    let (result, action) = match &examined.verdict {
        Verdict::Retrying { .. } => ("error", Action::requeue(ctx.failed(&key))),
        // only a change to the resource or what it references (both watched) can help
        Verdict::Invalid { .. } => ("stalled", Action::await_change()),
        Verdict::Blocked => ("blocked", Action::requeue(examined.drift_check)),
        _ => ("success", Action::requeue(examined.drift_check)),
    };
    ctx.metrics.reconciled(result, started.elapsed());
    tracing::info!(resource = %key, verdict = ?examined.verdict, elapsed_ms = started.elapsed().as_millis() as u64, "reconciled");
    Ok(action)
}

/// Failures of the reconcile itself (the status could not be written) are retried with the same backoff.
pub fn error_policy(resource: Arc<DatabaseSchema>, error: &ReconcileError, ctx: Arc<Context>) -> Action {
    let key = format!("{}/{}", resource.namespace().unwrap_or_default(), resource.name_any());
    tracing::warn!(resource = %key, %error, "reconcile failed");
    ctx.metrics.reconcile_failed();
    Action::requeue(ctx.failed(&key))
}

async fn examine(resource: &DatabaseSchema, ctx: &Context, namespace: &str, name: &str) -> Examined {
    let spec = &resource.spec;
    let mut examined = Examined { verdict: Verdict::InSync, outcome: None, drift_check: DEFAULT_DRIFT_CHECK_INTERVAL };
    let invalid = |reason, message: String| Verdict::Invalid { reason, message };
    let settings = match spec.settings() {
        Ok(settings) => settings,
        Err(e) => return Examined { verdict: invalid(reason::INVALID_SPEC, e.to_string()), ..examined },
    };
    if let Some(interval) = &spec.drift_check_interval {
        match parse_duration("spec.driftCheckInterval", interval) {
            Ok(interval) => examined.drift_check = interval,
            Err(e) => return Examined { verdict: invalid(reason::INVALID_SPEC, e.to_string()), ..examined },
        }
    }
    let resolved = match resolve(&ctx.client, namespace, name, spec).await {
        Ok(resolved) => resolved,
        Err(e @ ResolveError::Kube { .. }) => {
            return Examined {
                verdict: Verdict::Retrying { reason: reason::RETRYING, message: e.to_string() },
                ..examined
            };
        }
        Err(e @ (ResolveError::NotFound { .. } | ResolveError::MissingKey { .. })) => {
            return Examined { verdict: invalid(reason::REFERENCE_NOT_FOUND, e.to_string()), ..examined };
        }
        Err(e @ ResolveError::Invalid(_)) => {
            return Examined { verdict: invalid(reason::INVALID_SPEC, e.to_string()), ..examined };
        }
    };
    // Invalid SQL is reported even while the database is down.
    let dialect = resolved.url.dialect();
    if let Err(e) = parse_desired(&resolved.desired, dialect, dialect.default_schema()) {
        return Examined { verdict: verdict_for(e), ..examined };
    }

    let lock = ctx.database_lock(&resolved.url.redacted());
    let _only_reconcile_of_this_database = lock.lock().await;
    let mut session = match Session::connect(&resolved.url).await {
        Ok(session) => session,
        Err(e) => return Examined { verdict: verdict_for(e), ..examined },
    };
    let approved = resource.annotations().get(APPROVE_ANNOTATION).map(|hash| hash.trim());
    match decide::next_step(spec, approved) {
        Step::Plan => match session.plan(&resolved.desired, &settings).await {
            Ok(outcome) => Examined { verdict: decide::planned(spec, &outcome), outcome: Some(outcome), ..examined },
            Err(e) => Examined { verdict: verdict_for(e), ..examined },
        },
        Step::Apply(approval) => {
            let started = Instant::now();
            match session.apply(&resolved.desired, &settings, approval).await {
                Ok(applied) => {
                    let (verdict, outcome) = decide::applied(&applied);
                    if let Verdict::Applied { statements } = verdict {
                        ctx.metrics.applied(statements, started.elapsed());
                    }
                    Examined { verdict, outcome: Some(outcome.clone()), ..examined }
                }
                // the plan is shown in the status all the same, with the findings that make it fail
                Err(EngineError::WillFail { rows, findings, outcome }) => {
                    let error = EngineError::WillFail { rows, findings, outcome: outcome.clone() };
                    Examined { verdict: verdict_for(error), outcome: Some(*outcome), ..examined }
                }
                Err(e) => Examined { verdict: verdict_for(e), ..examined },
            }
        }
    }
}

/// Engine errors: bad input stalls; the rest (the database, locks, a failed statement) is retried.
fn verdict_for(error: EngineError) -> Verdict {
    let message = error.to_string();
    let reason = match &error {
        EngineError::Parse { .. } | EngineError::Rename(_) | EngineError::Plan(_) => reason::INVALID_SCHEMA,
        EngineError::Url(_) | EngineError::Setting { .. } | EngineError::Unsupported(_) => reason::INVALID_SPEC,
        EngineError::Connect { .. } => return Verdict::Retrying { reason: reason::DATABASE_UNREACHABLE, message },
        EngineError::Apply(_) => return Verdict::Retrying { reason: reason::APPLY_FAILED, message },
        EngineError::WillFail { .. } => return Verdict::Retrying { reason: reason::WILL_FAIL, message },
        EngineError::Inspect(_) | EngineError::Database(_) | EngineError::Io(_) => {
            return Verdict::Retrying { reason: reason::DATABASE_ERROR, message };
        }
    };
    Verdict::Invalid { reason, message }
}

/// Events for what changed: every apply, drift and failure; a block or a wait for approval when it is new.
async fn report(
    resource: &DatabaseSchema,
    ctx: &Context,
    previous: &driftless_api::DatabaseSchemaStatus,
    examined: &Examined,
    newly_drifted: bool,
) {
    let hash = examined.outcome.as_ref().map(|outcome| outcome.plan.hash()).unwrap_or_default();
    if let Some(outcome) = &examined.outcome {
        for finding in &outcome.findings {
            ctx.metrics.finding(finding.code, status::severity_name(finding.severity));
        }
    }
    let unchanged = previous.plan.as_ref().is_some_and(|plan| plan.hash == hash);
    let mut events = Vec::new();
    if newly_drifted {
        ctx.metrics.drift_detected();
        events.push((
            EventType::Warning,
            reason::DRIFT_DETECTED,
            format!("the database was changed outside Driftless; plan {hash} undoes it"),
        ));
    }
    match &examined.verdict {
        Verdict::Applied { statements } => {
            events.push((
                EventType::Normal,
                reason::APPLIED,
                format!("applied plan {hash}: {statements} statement(s)"),
            ));
        }
        Verdict::Blocked if !unchanged || newly_drifted => {
            let codes = examined.outcome.as_ref().map(status::blocking_codes).unwrap_or_default();
            events.push((
                EventType::Warning,
                reason::LINT_BLOCKED,
                format!("plan {hash} is blocked by lint ({codes}); approve it with {APPROVE_ANNOTATION}={hash}"),
            ));
        }
        Verdict::AwaitingApproval { .. } if !unchanged || newly_drifted => {
            events.push((
                EventType::Normal,
                reason::AWAITING_APPROVAL,
                format!("plan {hash} awaits approval: {APPROVE_ANNOTATION}={hash}"),
            ));
        }
        Verdict::PlanPending if !unchanged || newly_drifted => {
            events.push((EventType::Normal, reason::PLAN_PENDING, format!("plan {hash} is pending (mode: plan)")));
        }
        Verdict::Invalid { reason, message } | Verdict::Retrying { reason, message } => {
            events.push((EventType::Warning, reason, message.clone()));
        }
        _ => {}
    }
    let reference = resource.object_ref(&());
    for (type_, reason, note) in events {
        let event = Event {
            type_,
            reason: reason.to_string(),
            // the API server refuses notes over 1 kB
            note: Some(truncate(&note, 1000)),
            action: "Reconcile".into(),
            secondary: None,
        };
        if let Err(error) = ctx.recorder.publish(&event, &reference).await {
            tracing::warn!(%error, reason, "publishing an event failed");
        }
    }
}

fn truncate(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backoff_doubles_up_to_the_maximum_with_jitter() {
        let retry = Retry { base: Duration::from_secs(5), max: Duration::from_secs(300) };
        let delays: Vec<u64> = (0..8).map(|attempt| retry.delay(attempt, 1.0).as_secs()).collect();
        assert_eq!(delays, [5, 10, 20, 40, 80, 160, 300, 300]);
        assert_eq!(retry.delay(1, 0.8), Duration::from_secs(8));
        assert_eq!(retry.delay(u32::MAX, 1.2), Duration::from_secs(360));
    }

    #[test]
    fn bad_input_stalls_and_database_trouble_retries() {
        let parse = driftless_engine::parse_desired(
            &driftless_engine::Desired::from_sql(
                "create table t (id int);\ninsert into t values (1);",
                "ns/x spec.schema.sql",
            ),
            driftless_engine::Dialect::Postgres,
            "public",
        )
        .unwrap_err();
        match verdict_for(parse) {
            Verdict::Invalid { reason, message } => {
                assert_eq!(reason, "InvalidSchema");
                assert!(message.contains("line 2"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        let unsupported = verdict_for(EngineError::Unsupported("MySQL".into()));
        assert!(matches!(unsupported, Verdict::Invalid { reason: "InvalidSpec", .. }));
        let outcome = driftless_engine::compute(
            &driftless_engine::Database::new(driftless_engine::Dialect::Postgres),
            &driftless_engine::Database::new(driftless_engine::Dialect::Postgres),
            &driftless_engine::Settings::default(),
        )
        .unwrap();
        let will_fail = verdict_for(EngineError::WillFail {
            rows: 3,
            findings: vec!["MF101: unique key u on t (a) fails if existing rows share a key".into()],
            outcome: Box::new(outcome),
        });
        match will_fail {
            Verdict::Retrying { reason, message } => {
                assert_eq!(reason, "WillFail");
                assert!(message.contains("will fail: 3 rows in the way") && message.contains("MF101"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        let io = verdict_for(EngineError::Io("x".into()));
        assert!(matches!(io, Verdict::Retrying { reason: "DatabaseError", .. }));
        assert_eq!(truncate("ab€cd", 3), "ab…");
    }
}
