//! Every value of charts/driftless/values.yaml is documented in the chart README's values table, and the
//! table documents no value that does not exist; values.schema.json describes exactly the values there are
//! (helm lint checks the defaults against it, so a value missing from the schema fails there).

use driftless_chart_tests::chart_dir;
use serde_json::Value;
use std::collections::BTreeSet;

/// The dotted paths of the values' leaves: scalars, lists and empty maps (a non-empty map is a level).
fn leaves(prefix: &str, value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (key, child) in map {
                let path = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
                leaves(&path, child, out);
            }
        }
        _ => {
            out.insert(prefix.to_owned());
        }
    }
}

fn values() -> Value {
    serde_yaml_ng::from_str(&std::fs::read_to_string(chart_dir().join("values.yaml")).unwrap()).unwrap()
}

/// The keys of the README's values table (first cell of each row, in backticks).
fn documented_keys() -> Vec<String> {
    let readme = std::fs::read_to_string(chart_dir().join("README.md")).unwrap();
    readme
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|rest| rest.split_once('`'))
        .map(|(key, _)| key.to_owned())
        .collect()
}

/// A row documents its key and everything below it (`resources` covers `resources.requests.cpu`).
fn covered(path: &str, keys: &[String]) -> bool {
    keys.iter().any(|key| path == key || path.starts_with(&format!("{key}.")))
}

fn lookup<'a>(values: &'a Value, key: &str) -> Option<&'a Value> {
    key.split('.').try_fold(values, |value, part| value.get(part))
}

#[test]
fn every_value_has_a_row_in_the_readme() {
    let mut paths = BTreeSet::new();
    leaves("", &values(), &mut paths);
    let keys = documented_keys();
    let missing: Vec<&String> = paths.iter().filter(|path| !covered(path, &keys)).collect();
    assert!(missing.is_empty(), "values without a row in charts/driftless/README.md: {missing:?}");
}

#[test]
fn every_row_of_the_readme_is_a_value() {
    let values = values();
    let keys = documented_keys();
    assert!(keys.len() > 30, "the values table was not found ({} rows)", keys.len());
    let unknown: Vec<&String> = keys.iter().filter(|key| lookup(&values, key).is_none()).collect();
    assert!(unknown.is_empty(), "README rows for values that do not exist: {unknown:?}");
    let unique: BTreeSet<&String> = keys.iter().collect();
    assert_eq!(unique.len(), keys.len(), "a value has two rows");
}

#[test]
fn the_readme_states_the_defaults_of_scalar_values() {
    // `| `key` | `default` | ...`: a scalar's documented default is its value in values.yaml.
    let values = values();
    let readme = std::fs::read_to_string(chart_dir().join("README.md")).unwrap();
    let mut wrong = Vec::new();
    for line in readme.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let key = cells[1].trim_matches('`');
        let Some(value) = lookup(&values, key) else {
            continue;
        };
        let expected = match value {
            Value::String(s) if s.is_empty() => "\"\"".to_owned(),
            Value::String(s) => s.clone(),
            Value::Bool(_) | Value::Number(_) => value.to_string(),
            Value::Array(a) if a.is_empty() => "[]".to_owned(),
            Value::Object(o) if o.is_empty() => "{}".to_owned(),
            _ => continue,
        };
        if cells[2] != format!("`{expected}`") {
            wrong.push(format!("{key}: README says {}, values.yaml has {expected}", cells[2]));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The dotted paths of the properties a JSON schema declares, nested objects included.
fn schema_paths(prefix: &str, schema: &Value, out: &mut BTreeSet<String>) {
    for (key, child) in schema["properties"].as_object().into_iter().flatten() {
        let path = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
        out.insert(path.clone());
        schema_paths(&path, child, out);
    }
}

#[test]
fn the_values_schema_declares_only_values_that_exist() {
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(chart_dir().join("values.schema.json")).unwrap()).unwrap();
    assert_eq!(schema["additionalProperties"], false, "unknown top-level values are refused");
    let mut declared = BTreeSet::new();
    schema_paths("", &schema, &mut declared);
    let values = values();
    // Probe timings the chart accepts without setting them by default.
    let optional = ["livenessProbe.successThreshold", "livenessProbe.terminationGracePeriodSeconds"];
    let optional: Vec<String> =
        optional.iter().flat_map(|p| [p.to_string(), p.replace("livenessProbe", "readinessProbe")]).collect();
    let unknown: Vec<&String> =
        declared.iter().filter(|path| lookup(&values, path).is_none() && !optional.contains(path)).collect();
    assert!(unknown.is_empty(), "values.schema.json declares values that values.yaml lacks: {unknown:?}");
}
