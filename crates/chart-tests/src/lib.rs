//! Helpers for the checks of what the repository ships for running the operator: the Helm chart
//! (charts/driftless), the GitOps examples (testdata/gitops), the Argo CD health check and the Grafana
//! dashboard. The checks themselves are the integration tests in `tests/`.
//!
//! helm and kustomize are built from their Go modules on first use by scripts/go-tool and cached under
//! target/tools/, so the tests need Go and the Go module proxy on a clean machine, and no kubectl.

use anyhow::{Context, Result, bail, ensure};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository's root directory.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("the repository root exists")
}

/// The chart's directory.
pub fn chart_dir() -> PathBuf {
    repo_root().join("charts/driftless")
}

/// The path of a Go tool (`helm`, `kustomize`), built by scripts/go-tool when missing.
pub fn go_tool(name: &str) -> Result<PathBuf> {
    let output = Command::new(repo_root().join("scripts/go-tool"))
        .args(["--path", name])
        .output()
        .with_context(|| format!("running scripts/go-tool --path {name}"))?;
    ensure!(
        output.status.success(),
        "scripts/go-tool could not build {name}:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    Ok(PathBuf::from(String::from_utf8(output.stdout)?.trim()))
}

/// Runs a tool and returns its standard output; a failure carries its standard error.
pub fn run(program: &Path, args: &[&str]) -> Result<String> {
    let output = Command::new(program)
        .args(args)
        .current_dir(repo_root())
        .output()
        .with_context(|| format!("running {}", program.display()))?;
    if !output.status.success() {
        bail!(
            "{} {} failed ({}):\n{}",
            program.display(),
            args.join(" "),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(String::from_utf8(output.stdout)?)
}

/// The chart's objects as `helm template` renders them for a release, with extra `helm template` arguments
/// (`--set`, `--values`, `--include-crds`).
pub fn render_chart(release: &str, namespace: &str, args: &[&str]) -> Result<Vec<Value>> {
    let helm = go_tool("helm")?;
    let chart = chart_dir();
    let mut all = vec!["template", release, chart.to_str().unwrap(), "--namespace", namespace];
    all.extend_from_slice(args);
    parse_documents(&run(&helm, &all)?)
}

/// The error `helm template` reports for values the chart refuses.
pub fn render_chart_error(release: &str, namespace: &str, args: &[&str]) -> Result<String> {
    match render_chart(release, namespace, args) {
        Ok(objects) => bail!("helm template accepted {args:?} and rendered {} objects", objects.len()),
        Err(error) => Ok(format!("{error:#}")),
    }
}

/// The objects `kustomize build DIR` produces (DIR relative to the repository root).
pub fn kustomize_build(dir: &str) -> Result<Vec<Value>> {
    let kustomize = go_tool("kustomize")?;
    parse_documents(&run(&kustomize, &["build", dir])?)
}

/// Every non-empty document of a multi-document YAML stream, as JSON values.
pub fn parse_documents(yaml: &str) -> Result<Vec<Value>> {
    let mut objects = Vec::new();
    for document in serde_yaml_ng::Deserializer::from_str(yaml) {
        let value: Value = serde::Deserialize::deserialize(document).context("parsing a YAML document")?;
        if !value.is_null() {
            objects.push(value);
        }
    }
    Ok(objects)
}

/// `kind/namespace/name` of an object, for messages.
pub fn describe(object: &Value) -> String {
    format!(
        "{}/{}/{}",
        object["kind"].as_str().unwrap_or("?"),
        object["metadata"]["namespace"].as_str().unwrap_or("-"),
        object["metadata"]["name"].as_str().unwrap_or("?")
    )
}

/// The objects of one kind.
pub fn of_kind<'a>(objects: &'a [Value], kind: &str) -> Vec<&'a Value> {
    objects.iter().filter(|o| o["kind"] == kind).collect()
}

/// The single object of a kind; fails when there are none or several.
pub fn only<'a>(objects: &'a [Value], kind: &str) -> &'a Value {
    let found = of_kind(objects, kind);
    assert_eq!(found.len(), 1, "expected exactly one {kind}, found {}", found.len());
    found[0]
}

/// A metric as docs/chart.md documents it: the name queried in PromQL and its Prometheus type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentedMetric {
    pub name: String,
    /// `counter`, `gauge` or `histogram`.
    pub kind: String,
}

impl DocumentedMetric {
    /// The series names a query may select: a histogram's `_bucket`, `_sum` and `_count`, else the name.
    pub fn series(&self) -> Vec<String> {
        match self.kind.as_str() {
            "histogram" => ["_bucket", "_sum", "_count"].iter().map(|s| format!("{}{s}", self.name)).collect(),
            _ => vec![self.name.clone()],
        }
    }
}

/// The rows of the metrics table in docs/chart.md (`| \`driftless_...\` | type | ...`).
pub fn documented_metrics() -> Result<Vec<DocumentedMetric>> {
    let docs = std::fs::read_to_string(repo_root().join("docs/chart.md")).context("reading docs/chart.md")?;
    let mut metrics = Vec::new();
    for line in docs.lines().filter(|l| l.starts_with("| `driftless_")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let name = cells[1].trim_matches('`').to_owned();
        let kind = cells[2].to_owned();
        ensure!(["counter", "gauge", "histogram"].contains(&kind.as_str()), "{name}: unknown type {kind}");
        metrics.push(DocumentedMetric { name, kind });
    }
    ensure!(!metrics.is_empty(), "docs/chart.md documents no metric");
    Ok(metrics)
}

/// The metrics an exposition (Prometheus or OpenMetrics text) declares, as (name queried in PromQL, type):
/// OpenMetrics declares a counter without its `_total` suffix, which its samples carry.
pub fn exposed_metrics(exposition: &str) -> Vec<DocumentedMetric> {
    exposition
        .lines()
        .filter_map(|line| line.strip_prefix("# TYPE "))
        .filter_map(|rest| rest.split_once(' '))
        .map(|(name, kind)| {
            let name = match kind {
                "counter" if !name.ends_with("_total") => format!("{name}_total"),
                _ => name.to_owned(),
            };
            DocumentedMetric { name, kind: kind.to_owned() }
        })
        .collect()
}
