//! The Argo CD health check (charts/driftless/argocd/health.lua) run by Lua 5.1, the language version Argo CD
//! embeds (gopher-lua), over the samples of argocd/health_test.yaml, Argo CD's own test layout.

use driftless_chart_tests::{chart_dir, parse_documents, repo_root};
use driftless_operator::reason;
use mlua::serde::SerializeOptions;
use mlua::{Lua, LuaSerdeExt, Table};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeSet;

#[derive(Deserialize)]
struct HealthTests {
    tests: Vec<HealthTest>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct HealthTest {
    health_status: Health,
    input_path: String,
}

#[derive(Debug, PartialEq, Deserialize)]
struct Health {
    status: String,
    message: String,
}

fn argocd_dir() -> std::path::PathBuf {
    chart_dir().join("argocd")
}

fn health_lua() -> String {
    std::fs::read_to_string(argocd_dir().join("health.lua")).unwrap()
}

fn health_tests() -> Vec<HealthTest> {
    let text = std::fs::read_to_string(argocd_dir().join("health_test.yaml")).unwrap();
    serde_yaml_ng::from_str::<HealthTests>(&text).unwrap().tests
}

fn sample(input_path: &str) -> Value {
    let path = argocd_dir().join(input_path);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    parse_documents(&text).unwrap().pop().unwrap()
}

/// Runs the check as Argo CD does: the resource as the global `obj` (JSON nulls as nil), the script's
/// returned table read as status and message.
fn health_of(script: &str, object: &Value) -> Health {
    let lua = Lua::new();
    let options = SerializeOptions::new().serialize_none_to_null(false).serialize_unit_to_null(false);
    lua.globals().set("obj", lua.to_value_with(object, options).unwrap()).unwrap();
    let result: Table = lua.load(script).set_name("health.lua").eval().unwrap();
    Health { status: result.get("status").unwrap(), message: result.get("message").unwrap() }
}

#[test]
fn every_sample_gets_its_expected_health() {
    let script = health_lua();
    let mut wrong = Vec::new();
    for test in health_tests() {
        let actual = health_of(&script, &sample(&test.input_path));
        if actual != test.health_status {
            wrong.push(format!("{}: expected {:?}, got {actual:?}", test.input_path, test.health_status));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_samples_cover_every_health_and_every_sample_is_tested() {
    let tests = health_tests();
    let statuses: BTreeSet<&str> = tests.iter().map(|t| t.health_status.status.as_str()).collect();
    assert_eq!(statuses, BTreeSet::from(["Degraded", "Healthy", "Progressing"]));
    let tested: BTreeSet<String> = tests.iter().map(|t| t.input_path.clone()).collect();
    let on_disk: BTreeSet<String> = std::fs::read_dir(argocd_dir().join("testdata"))
        .unwrap()
        .map(|e| format!("testdata/{}", e.unwrap().file_name().to_string_lossy()))
        .collect();
    assert_eq!(tested, on_disk, "samples without a test, or tests without a sample");
}

/// The operator's stable reasons; a renamed reason fails to compile here.
fn operator_reasons() -> BTreeSet<&'static str> {
    BTreeSet::from([
        reason::IN_SYNC,
        reason::APPLIED,
        reason::PLAN_PENDING,
        reason::LINT_BLOCKED,
        reason::AWAITING_APPROVAL,
        reason::INVALID_SCHEMA,
        reason::INVALID_SPEC,
        reason::REFERENCE_NOT_FOUND,
        reason::DATABASE_UNREACHABLE,
        reason::APPLY_FAILED,
        reason::DATABASE_ERROR,
        reason::RETRYING,
        reason::DRIFT_DETECTED,
        reason::DRIFT_CORRECTED,
        reason::NO_DRIFT,
    ])
}

#[test]
fn the_samples_and_the_check_use_only_the_operators_reasons() {
    let reasons = operator_reasons();
    for test in health_tests() {
        let object = sample(&test.input_path);
        // The sample is a DatabaseSchema the operator's types read.
        let typed: driftless_api::DatabaseSchema = serde_json::from_value(object.clone())
            .unwrap_or_else(|e| panic!("{}: not a DatabaseSchema: {e}", test.input_path));
        for condition in typed.status.iter().flat_map(|s| &s.conditions) {
            assert!(reasons.contains(condition.reason.as_str()), "{}: reason {}", test.input_path, condition.reason);
        }
    }
    let script = health_lua();
    let named: Vec<&str> = script
        .lines()
        .filter(|line| line.starts_with("local needs_a_person") || line.starts_with("local waits_for_a_person"))
        .flat_map(|line| line.split(['{', ',', '}']))
        .filter_map(|part| part.trim().strip_suffix(" = true"))
        .collect();
    assert!(named.len() >= 6, "{named:?}");
    for name in named {
        assert!(reasons.contains(name), "health.lua names {name}, which the operator never sets");
    }
}

#[test]
fn the_docs_show_the_tested_check() {
    let docs = std::fs::read_to_string(repo_root().join("docs/gitops.md")).unwrap();
    // As it sits in argocd-cm: a block scalar indented by four spaces.
    let indented: String = health_lua()
        .lines()
        .map(|line| if line.is_empty() { "\n".to_owned() } else { format!("    {line}\n") })
        .collect();
    assert!(docs.contains(&indented), "docs/gitops.md does not hold argocd/health.lua as it is (indented by 4)");
    assert!(docs.contains("resource.customizations.health.driftless.dev_DatabaseSchema: |"));
}

#[test]
fn a_lua_5_3_operator_is_refused_so_the_check_stays_argo_cd_compatible() {
    // Guards the premise of these tests: the interpreter is 5.1, where integer division does not exist.
    let lua = Lua::new();
    assert!(lua.load("return 7 // 2").eval::<i64>().is_err());
}
