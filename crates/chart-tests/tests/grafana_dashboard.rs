//! charts/driftless/dashboards/driftless.json: a well-formed Grafana dashboard whose every query parses as
//! PromQL and selects only the metrics docs/chart.md documents (and the operator exposes: tests/api_server.rs).

use driftless_chart_tests::{chart_dir, documented_metrics};
use promql_parser::parser::{self, Expr};
use promql_parser::util::{ExprVisitor, walk_expr};
use serde_json::Value;
use std::collections::BTreeSet;

fn dashboard() -> Value {
    let path = chart_dir().join("dashboards/driftless.json");
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// Every panel, rows' nested panels included.
fn panels(dashboard: &Value) -> Vec<&Value> {
    let mut all = Vec::new();
    for panel in dashboard["panels"].as_array().unwrap() {
        all.push(panel);
        all.extend(panel["panels"].as_array().into_iter().flatten());
    }
    all
}

/// (where, PromQL) for every panel target and every query variable (`label_values(SELECTOR, label)`).
fn queries(dashboard: &Value) -> Vec<(String, String)> {
    let mut all = Vec::new();
    for panel in panels(dashboard) {
        for target in panel["targets"].as_array().into_iter().flatten() {
            let place = format!("panel {:?} target {}", panel["title"], target["refId"]);
            all.push((place, target["expr"].as_str().expect("a target has an expr").to_owned()));
        }
    }
    for variable in dashboard["templating"]["list"].as_array().unwrap() {
        if variable["type"] == "query" {
            let query = variable["query"]["query"].as_str().expect("a query variable has a query");
            let selector = query
                .strip_prefix("label_values(")
                .and_then(|rest| rest.rsplit_once(','))
                .map(|(selector, _label)| selector)
                .unwrap_or_else(|| panic!("variable {}: unsupported query {query}", variable["name"]));
            all.push((format!("variable {}", variable["name"]), selector.to_owned()));
        }
    }
    all
}

/// Grafana's built-in range variables, replaced by a duration so that the query parses as PromQL.
fn as_promql(query: &str) -> String {
    ["$__rate_interval", "$__interval", "$__range"].iter().fold(query.to_owned(), |q, v| q.replace(v, "5m"))
}

struct MetricNames(BTreeSet<String>);

impl ExprVisitor for MetricNames {
    type Error = ();
    fn pre_visit(&mut self, expr: &Expr) -> Result<bool, ()> {
        let selector = match expr {
            Expr::VectorSelector(selector) => Some(selector),
            Expr::MatrixSelector(matrix) => Some(&matrix.vs),
            _ => None,
        };
        if let Some(name) = selector.and_then(|s| s.name.clone()) {
            self.0.insert(name);
        }
        Ok(true)
    }
}

fn metric_names(query: &str) -> Result<BTreeSet<String>, String> {
    let expr = parser::parse(&as_promql(query))?;
    let mut names = MetricNames(BTreeSet::new());
    walk_expr(&mut names, &expr).unwrap();
    Ok(names.0)
}

#[test]
fn every_query_parses_and_selects_only_documented_metrics() {
    let documented = documented_metrics().unwrap();
    let allowed: BTreeSet<String> = documented.iter().flat_map(|m| m.series()).collect();
    let mut problems = Vec::new();
    let mut used = BTreeSet::new();
    for (place, query) in queries(&dashboard()) {
        match metric_names(&query) {
            Ok(names) if names.is_empty() => problems.push(format!("{place}: selects no metric: {query}")),
            Ok(names) => {
                for name in names {
                    if !allowed.contains(&name) {
                        problems.push(format!("{place}: {name} is not a documented metric"));
                    }
                    used.insert(name);
                }
            }
            Err(error) => problems.push(format!("{place}: not PromQL ({error}): {query}")),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    for metric in &documented {
        assert!(metric.series().iter().any(|s| used.contains(s)), "no panel shows {}", metric.name);
    }
}

#[test]
fn the_parser_catches_a_misspelled_metric_and_broken_promql() {
    // The premise of the check above, on the dashboard's own query shapes.
    let names =
        metric_names("sum by (result) (rate(driftless_reconcile_total{namespace=~\"$namespace\"}[$__rate_interval]))");
    assert_eq!(names.unwrap(), BTreeSet::from(["driftless_reconcile_total".to_owned()]));
    assert!(metric_names("sum(rate(driftless_reconciles_total[5m])").is_err());
}

#[test]
fn panels_variables_and_ids_are_consistent() {
    let dashboard = dashboard();
    assert_eq!(dashboard["uid"], "driftless-operator");
    let panels = panels(&dashboard);
    let ids: Vec<i64> = panels.iter().map(|p| p["id"].as_i64().expect("a panel id")).collect();
    assert_eq!(ids.iter().collect::<BTreeSet<_>>().len(), ids.len(), "duplicate panel ids: {ids:?}");
    let variables: BTreeSet<String> = dashboard["templating"]["list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap().to_owned())
        .collect();
    for panel in panels.iter().filter(|p| p["type"] != "row") {
        assert_eq!(panel["datasource"]["uid"], "${datasource}", "panel {:?}", panel["title"]);
        let grid = &panel["gridPos"];
        assert!(grid["w"].as_i64().unwrap() > 0 && grid["x"].as_i64().unwrap() + grid["w"].as_i64().unwrap() <= 24);
        let targets = panel["targets"].as_array().expect("targets");
        assert!(!targets.is_empty(), "panel {:?} has no query", panel["title"]);
        let ref_ids: BTreeSet<&str> = targets.iter().map(|t| t["refId"].as_str().unwrap()).collect();
        assert_eq!(ref_ids.len(), targets.len(), "panel {:?}: duplicate refIds", panel["title"]);
    }
    // Every $variable a query uses is defined (Grafana's own $__ variables aside).
    for (place, query) in queries(&dashboard) {
        for word in query.split('$').skip(1) {
            let name: String = word.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            assert!(name.starts_with("__") || variables.contains(&name), "{place}: ${name} is not a variable");
        }
    }
}
