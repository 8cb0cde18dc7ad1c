//! Prometheus metrics (OpenMetrics text on `/metrics`), named as documented in docs/operator.md.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ResultLabel {
    /// `success`, `error`, `blocked` or `stalled`.
    pub result: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct FindingLabels {
    pub code: String,
    pub severity: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ReadyLabel {
    pub ready: &'static str,
}

pub struct Metrics {
    registry: Registry,
    reconciles: Family<ResultLabel, Counter>,
    reconcile_duration: Histogram,
    apply_duration: Histogram,
    drift_detected: Counter,
    statements_applied: Counter,
    findings: Family<FindingLabels, Counter>,
    resources: Family<ReadyLabel, Gauge>,
    /// Readiness per resource (`namespace/name`), from which the `resources` gauge is counted.
    readiness: Mutex<HashMap<String, bool>>,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("driftless");
        let reconciles = Family::<ResultLabel, Counter>::default();
        registry.register("reconciles", "Reconciles of DatabaseSchema resources, by result", reconciles.clone());
        // 10 ms .. ~160 s
        let reconcile_duration = Histogram::new(exponential_buckets(0.01, 2.0, 15));
        registry.register("reconcile_duration_seconds", "Duration of one reconcile", reconcile_duration.clone());
        let apply_duration = Histogram::new(exponential_buckets(0.01, 2.0, 15));
        registry.register("apply_duration_seconds", "Duration of applying a plan", apply_duration.clone());
        let drift_detected = Counter::default();
        registry.register(
            "drift_detected",
            "Times a database was found changed outside Driftless",
            drift_detected.clone(),
        );
        let statements_applied = Counter::default();
        registry.register("statements_applied", "SQL statements applied", statements_applied.clone());
        let findings = Family::<FindingLabels, Counter>::default();
        registry.register("lint_findings", "Lint findings of computed plans, by code and severity", findings.clone());
        let resources = Family::<ReadyLabel, Gauge>::default();
        registry.register("resources", "DatabaseSchema resources, by readiness", resources.clone());
        Metrics {
            registry,
            reconciles,
            reconcile_duration,
            apply_duration,
            drift_detected,
            statements_applied,
            findings,
            resources,
            readiness: Mutex::new(HashMap::new()),
        }
    }
}

impl Metrics {
    pub fn reconciled(&self, result: &'static str, duration: Duration) {
        self.reconciles.get_or_create(&ResultLabel { result }).inc();
        self.reconcile_duration.observe(duration.as_secs_f64());
    }

    /// A reconcile that failed before it could finish (its status could not be written): counted, not timed.
    pub fn reconcile_failed(&self) {
        self.reconciles.get_or_create(&ResultLabel { result: "error" }).inc();
    }

    pub fn applied(&self, statements: usize, duration: Duration) {
        self.statements_applied.inc_by(statements as u64);
        self.apply_duration.observe(duration.as_secs_f64());
    }

    pub fn drift_detected(&self) {
        self.drift_detected.inc();
    }

    pub fn finding(&self, code: &str, severity: &'static str) {
        self.findings.get_or_create(&FindingLabels { code: code.to_string(), severity }).inc();
    }

    /// Records a resource's readiness (`None`: the resource is gone) and updates the gauge.
    pub fn set_ready(&self, key: &str, ready: Option<bool>) {
        let mut readiness = self.readiness.lock().expect("readiness lock");
        match ready {
            Some(ready) => readiness.insert(key.to_string(), ready),
            None => readiness.remove(key),
        };
        let ready_count = readiness.values().filter(|ready| **ready).count() as i64;
        self.resources.get_or_create(&ReadyLabel { ready: "true" }).set(ready_count);
        self.resources.get_or_create(&ReadyLabel { ready: "false" }).set(readiness.len() as i64 - ready_count);
    }

    /// The OpenMetrics text exposition.
    pub fn encode(&self) -> String {
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &self.registry).expect("writing to a String");
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_names_are_exposed() {
        let metrics = Metrics::default();
        metrics.reconciled("success", Duration::from_millis(30));
        metrics.applied(3, Duration::from_millis(20));
        metrics.drift_detected();
        metrics.finding("DS103", "error");
        metrics.set_ready("shop/a", Some(true));
        metrics.set_ready("shop/b", Some(false));
        metrics.set_ready("shop/c", Some(true));
        metrics.set_ready("shop/c", None);
        let text = metrics.encode();
        for line in [
            "driftless_reconciles_total{result=\"success\"} 1",
            "driftless_statements_applied_total 3",
            "driftless_drift_detected_total 1",
            "driftless_lint_findings_total{code=\"DS103\",severity=\"error\"} 1",
            "driftless_resources{ready=\"true\"} 1",
            "driftless_resources{ready=\"false\"} 1",
            "driftless_reconcile_duration_seconds_count 1",
            "driftless_apply_duration_seconds_count 1",
        ] {
            assert!(text.contains(line), "missing {line:?} in\n{text}");
        }
    }
}
