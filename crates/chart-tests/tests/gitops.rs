//! testdata/gitops, the example GitOps repository of docs/gitops.md: what kustomize builds from it, and that
//! every path its Argo CD Applications and Flux objects point at exists and builds. (tests/api_server.rs sends
//! the built overlay to a real API server.)

use driftless_chart_tests::{describe, kustomize_build, of_kind, only, parse_documents, render_chart, repo_root};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

const GITOPS: &str = "testdata/gitops";
/// The example's placeholder addresses: the GitOps repository itself, and the driftless repository (this one).
const GITOPS_REPO: &str = "https://git.example.com/platform/gitops.git";
const DRIFTLESS_REPO: &str = "https://git.example.com/driftless/driftless.git";

fn gitops_dir() -> PathBuf {
    repo_root().join(GITOPS)
}

fn schema_sql() -> String {
    std::fs::read_to_string(gitops_dir().join("apps/shop/base/schema.sql")).unwrap()
}

/// The DatabaseSchema must name the generated ConfigMap (shop-schema-<hash>), which holds schema.sql as is.
fn assert_schema_reference(objects: &[Value]) {
    let config_map = only(objects, "ConfigMap");
    let name = config_map["metadata"]["name"].as_str().unwrap();
    assert!(name.starts_with("shop-schema-") && name.len() > "shop-schema-".len(), "not a generated name: {name}");
    assert_eq!(config_map["data"]["schema.sql"], schema_sql());
    let schema = only(objects, "DatabaseSchema");
    assert_eq!(
        schema["spec"]["schema"]["configMapKeyRef"],
        json!({"name": name, "key": "schema.sql"}),
        "kustomize did not rewrite the reference (kustomizeconfig.yaml)"
    );
    // A Secret kustomize does not generate keeps its name.
    assert_eq!(schema["spec"]["urlFrom"]["secretKeyRef"]["name"], "shop-db-app");
}

#[test]
fn the_base_turns_schema_sql_into_the_config_map_the_resource_names() {
    let objects = kustomize_build(&format!("{GITOPS}/apps/shop/base")).unwrap();
    assert_eq!(objects.len(), 2);
    assert_schema_reference(&objects);
}

#[test]
fn the_production_overlay_sets_namespace_manual_approval_and_concurrent_indexes() {
    let objects = kustomize_build(&format!("{GITOPS}/apps/shop/overlays/production")).unwrap();
    assert_eq!(objects.len(), 2);
    assert_schema_reference(&objects);
    for object in &objects {
        assert_eq!(object["metadata"]["namespace"], "shop", "{}", describe(object));
    }
    let spec = &only(&objects, "DatabaseSchema")["spec"];
    assert_eq!(spec["approval"], "manual");
    assert_eq!(spec["policy"]["diff"]["concurrent_index"], json!({"create": true, "drop": true}));
    assert_eq!(spec["policy"]["lint"]["destructive"]["error"], true, "the base's policy is kept");
}

#[test]
fn an_edit_of_schema_sql_renames_the_config_map() {
    // Why the hash suffix matters: the DatabaseSchema's spec changes with the SQL (a new generation for the
    // sync tools to wait for). Built from a copy, with one more column.
    let copy = std::env::temp_dir().join(format!("driftless-gitops-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&copy);
    copy_dir(&gitops_dir().join("apps/shop/base"), &copy);
    let before = kustomize_build(copy.to_str().unwrap()).unwrap();
    let edited = schema_sql().replace("name text not null,", "name text not null,\n  phone text,");
    assert_ne!(edited, schema_sql());
    std::fs::write(copy.join("schema.sql"), &edited).unwrap();
    let after = kustomize_build(copy.to_str().unwrap()).unwrap();
    std::fs::remove_dir_all(&copy).unwrap();
    let reference =
        |objects: &[Value]| only(objects, "DatabaseSchema")["spec"]["schema"]["configMapKeyRef"]["name"].clone();
    assert_ne!(reference(&before), reference(&after));
    assert_eq!(reference(&after), only(&after, "ConfigMap")["metadata"]["name"]);
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

fn manifests(dir: &str) -> Vec<Value> {
    let mut all = Vec::new();
    let mut paths: Vec<PathBuf> =
        std::fs::read_dir(gitops_dir().join(dir)).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    for path in paths {
        all.extend(parse_documents(&std::fs::read_to_string(&path).unwrap()).unwrap());
    }
    all
}

/// Renders the chart with the values an Application or HelmRelease gives it.
fn render_with(values: &Value) -> Vec<Value> {
    // Tests run in parallel: one file per call.
    static CALLS: AtomicUsize = AtomicUsize::new(0);
    let call = CALLS.fetch_add(1, Ordering::Relaxed);
    let file = std::env::temp_dir().join(format!("driftless-gitops-values-{}-{call}.yaml", std::process::id()));
    std::fs::write(&file, serde_yaml_ng::to_string(values).unwrap()).unwrap();
    let objects = render_chart("driftless", "driftless-system", &["--values", file.to_str().unwrap()]);
    std::fs::remove_file(&file).unwrap();
    objects.unwrap()
}

/// The example installs the operator in namespaced mode for `shop`, with a PodMonitor.
fn assert_example_values_render(objects: &[Value]) {
    let roles = of_kind(objects, "Role");
    assert!(roles.iter().any(|r| r["metadata"]["namespace"] == "shop"), "a Role in shop");
    assert!(of_kind(objects, "ClusterRole").is_empty());
    assert_eq!(of_kind(objects, "PodMonitor").len(), 1);
}

#[test]
fn argo_cd_applications_point_at_paths_that_exist_and_build() {
    let applications = manifests("clusters/production/argocd");
    assert_eq!(applications.len(), 2);
    for application in &applications {
        assert_eq!(application["kind"], "Application");
        let source = &application["spec"]["source"];
        let path = source["path"].as_str().unwrap();
        match source["repoURL"].as_str().unwrap() {
            GITOPS_REPO => {
                assert!(gitops_dir().join(path).join("kustomization.yaml").is_file(), "{path}");
                assert!(!kustomize_build(&format!("{GITOPS}/{path}")).unwrap().is_empty());
                assert_eq!(application["spec"]["destination"]["namespace"], "shop");
            }
            DRIFTLESS_REPO => {
                assert_eq!(path, "charts/driftless");
                assert!(repo_root().join(path).join("Chart.yaml").is_file());
                assert_example_values_render(&render_with(&source["helm"]["valuesObject"]));
            }
            other => panic!("{}: unexpected repoURL {other}", describe(application)),
        }
    }
}

#[test]
fn flux_objects_point_at_paths_that_exist_and_build() {
    let kustomizations = manifests("clusters/production/flux");
    let names: Vec<&str> = kustomizations.iter().map(|k| k["metadata"]["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["driftless-operator", "shop-schema"]);
    for kustomization in &kustomizations {
        assert_eq!(kustomization["apiVersion"], "kustomize.toolkit.fluxcd.io/v1");
        let path = kustomization["spec"]["path"].as_str().unwrap().trim_start_matches("./");
        let objects = kustomize_build(&format!("{GITOPS}/{path}")).unwrap();
        assert!(!objects.is_empty(), "{path}");
        for dependency in kustomization["spec"]["dependsOn"].as_array().into_iter().flatten() {
            assert!(names.contains(&dependency["name"].as_str().unwrap()), "{dependency}");
        }
    }

    let infrastructure = kustomize_build(&format!("{GITOPS}/infrastructure/driftless")).unwrap();
    let source = only(&infrastructure, "GitRepository");
    assert_eq!(source["spec"]["url"], DRIFTLESS_REPO);
    let release = only(&infrastructure, "HelmRelease");
    let chart = &release["spec"]["chart"]["spec"];
    assert_eq!(chart["sourceRef"]["name"], source["metadata"]["name"]);
    let chart_path = chart["chart"].as_str().unwrap().trim_start_matches("./");
    assert!(repo_root().join(chart_path).join("Chart.yaml").is_file(), "{chart_path}");
    assert_eq!(release["spec"]["upgrade"]["crds"], "CreateReplace", "Flux upgrades the CRD");
    assert_example_values_render(&render_with(&release["spec"]["values"]));
    // The release's namespace is created beside it.
    assert_eq!(only(&infrastructure, "Namespace")["metadata"]["name"], release["metadata"]["namespace"]);
}
