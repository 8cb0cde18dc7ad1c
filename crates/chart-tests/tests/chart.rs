//! What `helm template` renders from charts/driftless with default and non-default values (charts/driftless/ci/),
//! and what it refuses. The rendered objects are sent to a real API server in `api_server.rs`.

use driftless_chart_tests::{
    chart_dir, describe, go_tool, of_kind, only, parse_documents, render_chart, render_chart_error, repo_root, run,
};
use serde_json::{Value, json};
use std::collections::BTreeSet;

const RELEASE: &str = "dl";
const NAMESPACE: &str = "driftless-system";
const FULLNAME: &str = "dl-driftless";

fn render(args: &[&str]) -> Vec<Value> {
    render_chart(RELEASE, NAMESPACE, args).unwrap()
}

fn container(objects: &[Value]) -> &Value {
    let containers = only(objects, "Deployment")["spec"]["template"]["spec"]["containers"].as_array().unwrap();
    assert_eq!(containers.len(), 1, "one container");
    &containers[0]
}

fn args(objects: &[Value]) -> Vec<String> {
    container(objects)["args"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_owned()).collect()
}

fn env_value<'a>(container: &'a Value, name: &str) -> &'a Value {
    container["env"].as_array().unwrap().iter().find(|e| e["name"] == name).unwrap_or_else(|| panic!("env {name}"))
}

/// Whether a list of RBAC rules allows `verb` on `group`/`resource` (for an object named `name`, if given).
fn allows(rules: &Value, group: &str, resource: &str, verb: &str, name: Option<&str>) -> bool {
    let has = |list: &Value, item: &str| list.as_array().is_some_and(|l| l.iter().any(|v| v == item || v == "*"));
    rules.as_array().unwrap().iter().any(|rule| {
        has(&rule["apiGroups"], group)
            && has(&rule["resources"], resource)
            && has(&rule["verbs"], verb)
            && match (&rule["resourceNames"], name) {
                (Value::Null, _) => true,
                (names, Some(name)) => has(names, name),
                (_, None) => false,
            }
    })
}

/// Every (group, resource, verb) a list of rules grants, to compare against exactly what the operator needs.
fn granted(rules: &Value) -> BTreeSet<(String, String, String)> {
    let mut all = BTreeSet::new();
    for rule in rules.as_array().unwrap() {
        for group in rule["apiGroups"].as_array().unwrap() {
            for resource in rule["resources"].as_array().unwrap() {
                for verb in rule["verbs"].as_array().unwrap() {
                    let text = |v: &Value| v.as_str().unwrap().to_owned();
                    all.insert((text(group), text(resource), text(verb)));
                }
            }
        }
    }
    all
}

/// What the operator needs where it watches DatabaseSchemas (the operator's contract in docs/chart.md).
fn watch_permissions() -> BTreeSet<(String, String, String)> {
    let mut all = BTreeSet::new();
    let mut add = |group: &str, resource: &str, verbs: &[&str]| {
        for verb in verbs {
            all.insert((group.to_owned(), resource.to_owned(), (*verb).to_owned()));
        }
    };
    add("driftless.dev", "databaseschemas", &["get", "list", "watch"]);
    add("driftless.dev", "databaseschemas/status", &["get", "patch"]);
    add("", "secrets", &["get", "list", "watch"]);
    add("", "configmaps", &["get", "list", "watch"]);
    add("events.k8s.io", "events", &["create", "patch"]);
    all
}

fn assert_bound_to_service_account(binding: &Value, role_kind: &str, role_name: &str, service_account: &str) {
    assert_eq!(
        binding["roleRef"],
        json!({"apiGroup": "rbac.authorization.k8s.io", "kind": role_kind, "name": role_name})
    );
    assert_eq!(
        binding["subjects"],
        json!([{"kind": "ServiceAccount", "name": service_account, "namespace": NAMESPACE}]),
        "{}",
        describe(binding)
    );
}

fn assert_lease_role(objects: &[Value]) {
    let lease_role = of_kind(objects, "Role")
        .into_iter()
        .find(|r| r["metadata"]["name"] == format!("{FULLNAME}-leader-election"))
        .expect("a leader-election Role");
    assert_eq!(lease_role["metadata"]["namespace"], NAMESPACE, "the lease Role lives in the release namespace");
    let rules = &lease_role["rules"];
    assert!(allows(rules, "coordination.k8s.io", "leases", "create", None));
    for verb in ["get", "patch"] {
        assert!(allows(rules, "coordination.k8s.io", "leases", verb, Some("driftless-operator")), "{verb}");
        assert!(!allows(rules, "coordination.k8s.io", "leases", verb, Some("another-lease")), "{verb} on any lease");
    }
    let resources: BTreeSet<_> = granted(rules).into_iter().map(|(group, resource, _)| (group, resource)).collect();
    assert_eq!(resources, BTreeSet::from([("coordination.k8s.io".to_owned(), "leases".to_owned())]));
    let binding = of_kind(objects, "RoleBinding")
        .into_iter()
        .find(|b| b["metadata"]["name"] == format!("{FULLNAME}-leader-election"))
        .expect("a leader-election RoleBinding");
    assert_eq!(binding["metadata"]["namespace"], NAMESPACE);
    assert_bound_to_service_account(binding, "Role", &format!("{FULLNAME}-leader-election"), FULLNAME);
}

#[test]
fn default_values_run_two_locked_down_replicas_with_leader_election_and_probes() {
    let objects = render(&[]);
    let deployment = only(&objects, "Deployment");
    assert_eq!(deployment["metadata"]["namespace"], NAMESPACE);
    assert_eq!(deployment["spec"]["replicas"], 2);
    let pod = &deployment["spec"]["template"]["spec"];
    assert_eq!(pod["serviceAccountName"], FULLNAME);
    assert_eq!(pod["securityContext"]["runAsNonRoot"], true);
    assert_ne!(pod["securityContext"]["runAsUser"], 0);
    assert_eq!(pod["securityContext"]["seccompProfile"]["type"], "RuntimeDefault");

    let container = container(&objects);
    assert_eq!(container["image"], "ghcr.io/driftless/driftless:0.1.0", "the tag defaults to the appVersion");
    let security = &container["securityContext"];
    assert_eq!(security["readOnlyRootFilesystem"], true);
    assert_eq!(security["allowPrivilegeEscalation"], false);
    assert_eq!(security["runAsNonRoot"], true);
    assert_eq!(security["capabilities"]["drop"], json!(["ALL"]));
    assert!(security["capabilities"]["add"].is_null());
    assert_eq!(security["seccompProfile"]["type"], "RuntimeDefault");
    for key in ["cpu", "memory"] {
        assert!(container["resources"]["requests"][key].is_string(), "requests.{key}");
    }
    assert!(container["resources"]["limits"]["memory"].is_string());

    assert_eq!(
        args(&objects),
        [
            "operator",
            "--metrics-addr=0.0.0.0:8080",
            "--log-format=json",
            "--leader-election",
            "--lease-name=driftless-operator",
            &format!("--lease-namespace={NAMESPACE}"),
        ]
    );
    assert_eq!(env_value(container, "POD_NAME")["valueFrom"]["fieldRef"]["fieldPath"], "metadata.name");
    assert_eq!(env_value(container, "POD_NAMESPACE")["valueFrom"]["fieldRef"]["fieldPath"], "metadata.namespace");
    assert_eq!(env_value(container, "DRIFTLESS_LOG")["value"], "info");

    assert_eq!(container["ports"], json!([{"name": "metrics", "containerPort": 8080, "protocol": "TCP"}]));
    assert_eq!(container["livenessProbe"]["httpGet"], json!({"path": "/healthz", "port": "metrics"}));
    assert_eq!(container["readinessProbe"]["httpGet"], json!({"path": "/readyz", "port": "metrics"}));
    // The read-only root filesystem leaves /tmp writable through an emptyDir.
    assert_eq!(container["volumeMounts"], json!([{"name": "tmp", "mountPath": "/tmp"}]));

    let budget = only(&objects, "PodDisruptionBudget");
    assert_eq!(budget["spec"]["maxUnavailable"], 1);
    assert_eq!(budget["spec"]["selector"]["matchLabels"], deployment["spec"]["selector"]["matchLabels"]);
}

#[test]
fn default_values_are_cluster_mode_with_one_cluster_role_granting_exactly_what_the_operator_needs() {
    let objects = render(&[]);
    let role = only(&objects, "ClusterRole");
    assert_eq!(role["metadata"]["name"], FULLNAME);
    assert_eq!(granted(&role["rules"]), watch_permissions(), "the ClusterRole grants exactly the watch permissions");
    assert_bound_to_service_account(only(&objects, "ClusterRoleBinding"), "ClusterRole", FULLNAME, FULLNAME);
    // Leases only in the release namespace, never cluster-wide.
    assert!(!allows(&role["rules"], "coordination.k8s.io", "leases", "patch", Some("driftless-operator")));
    let roles = of_kind(&objects, "Role");
    assert_eq!(
        roles.len(),
        1,
        "only the leader-election Role: {:?}",
        roles.iter().map(|r| describe(r)).collect::<Vec<_>>()
    );
    assert_lease_role(&objects);
    assert!(!args(&objects).iter().any(|a| a.starts_with("--namespace")), "no --namespace: every namespace");
    assert_eq!(only(&objects, "ServiceAccount")["metadata"]["name"], FULLNAME);
}

#[test]
fn namespaced_mode_grants_secrets_only_in_the_watched_namespaces() {
    let objects = render(&["--set", "watchNamespaces={team-a,team-b}"]);
    assert!(of_kind(&objects, "ClusterRole").is_empty(), "no ClusterRole in namespaced mode");
    assert!(of_kind(&objects, "ClusterRoleBinding").is_empty());
    let (watch_roles, other_roles): (Vec<&Value>, Vec<&Value>) =
        of_kind(&objects, "Role").into_iter().partition(|r| r["metadata"]["name"] == FULLNAME);
    let namespaces: Vec<_> = watch_roles.iter().map(|r| r["metadata"]["namespace"].as_str().unwrap()).collect();
    assert_eq!(namespaces, ["team-a", "team-b"]);
    for role in &watch_roles {
        assert_eq!(granted(&role["rules"]), watch_permissions(), "{}", describe(role));
    }
    for namespace in ["team-a", "team-b"] {
        let binding = of_kind(&objects, "RoleBinding")
            .into_iter()
            .find(|b| b["metadata"]["name"] == FULLNAME && b["metadata"]["namespace"] == namespace)
            .unwrap_or_else(|| panic!("a RoleBinding in {namespace}"));
        assert_bound_to_service_account(binding, "Role", FULLNAME, FULLNAME);
    }
    // The release namespace holds only the lease Role: no Secrets there.
    assert_eq!(other_roles.len(), 1);
    assert!(!allows(&other_roles[0]["rules"], "", "secrets", "get", None));
    assert_lease_role(&objects);
    let args = args(&objects);
    assert!(args.ends_with(&["--namespace=team-a".to_owned(), "--namespace=team-b".to_owned()]), "{args:?}");
}

#[test]
fn non_default_values_change_image_resources_monitoring_and_rbac_shape() {
    let objects = render(&["--values", "charts/driftless/ci/namespaced-values.yaml"]);
    let container = container(&objects);
    assert_eq!(container["image"], "registry.example.com/platform/driftless:0.2.0-rc.1");
    assert_eq!(container["imagePullPolicy"], "Always");
    assert_eq!(
        only(&objects, "Deployment")["spec"]["template"]["spec"]["imagePullSecrets"],
        json!([{"name": "registry-credentials"}])
    );
    assert_eq!(
        container["resources"],
        json!({"requests": {"cpu": "200m", "memory": "128Mi"}, "limits": {"cpu": "1", "memory": "512Mi"}})
    );
    assert_eq!(env_value(container, "DRIFTLESS_LOG")["value"], "debug");
    // Security settings do not depend on the other values.
    assert_eq!(container["securityContext"]["readOnlyRootFilesystem"], true);
    assert!(of_kind(&objects, "ClusterRole").is_empty());
    assert_eq!(of_kind(&objects, "Role").len(), 3, "team-a, team-b and the lease");

    let selector = &only(&objects, "Deployment")["spec"]["selector"]["matchLabels"];
    let pod_monitor = only(&objects, "PodMonitor");
    assert_eq!(pod_monitor["metadata"]["labels"]["release"], "kube-prometheus-stack");
    assert_eq!(&pod_monitor["spec"]["selector"]["matchLabels"], selector);
    assert_eq!(
        pod_monitor["spec"]["podMetricsEndpoints"],
        json!([{"port": "metrics", "path": "/metrics", "interval": "15s"}])
    );
    let service = only(&objects, "Service");
    let service_monitor = only(&objects, "ServiceMonitor");
    assert_eq!(service_monitor["metadata"]["labels"]["release"], "kube-prometheus-stack");
    assert_eq!(
        service_monitor["spec"]["endpoints"],
        json!([{"port": "metrics", "path": "/metrics", "interval": "15s"}])
    );
    // The ServiceMonitor's selector must match the Service's labels, and the Service must select the pods.
    for (key, value) in service_monitor["spec"]["selector"]["matchLabels"].as_object().unwrap() {
        assert_eq!(&service["metadata"]["labels"][key], value, "Service label {key}");
    }
    assert_eq!(&service["spec"]["selector"], selector);

    let dashboard = only(&objects, "ConfigMap");
    assert_eq!(dashboard["metadata"]["namespace"], "monitoring");
    assert_eq!(dashboard["metadata"]["labels"]["grafana_dashboard"], "1");
    let shipped: Value =
        serde_json::from_str(&std::fs::read_to_string(chart_dir().join("dashboards/driftless.json")).unwrap()).unwrap();
    let rendered: Value = serde_json::from_str(dashboard["data"]["driftless.json"].as_str().unwrap()).unwrap();
    assert_eq!(rendered, shipped, "the ConfigMap carries dashboards/driftless.json unchanged");
}

#[test]
fn monitoring_objects_render_only_when_enabled() {
    let default = render(&[]);
    for kind in ["PodMonitor", "ServiceMonitor", "ConfigMap"] {
        assert!(of_kind(&default, kind).is_empty(), "{kind} rendered by default");
    }
    let pod_monitor_only = render(&["--set", "monitoring.enablePodMonitor=true"]);
    assert_eq!(of_kind(&pod_monitor_only, "PodMonitor").len(), 1);
    assert!(of_kind(&pod_monitor_only, "ServiceMonitor").is_empty());
    let service_monitor_only = render(&["--set", "monitoring.enableServiceMonitor=true"]);
    assert_eq!(of_kind(&service_monitor_only, "ServiceMonitor").len(), 1);
    assert!(of_kind(&service_monitor_only, "PodMonitor").is_empty());
}

#[test]
fn one_replica_without_leader_election_by_digest_with_an_existing_service_account() {
    let objects = render(&["--values", "charts/driftless/ci/single-replica-values.yaml"]);
    assert_eq!(only(&objects, "Deployment")["spec"]["replicas"], 1);
    let container = container(&objects);
    assert_eq!(
        container["image"],
        "registry.example.com/platform/driftless@sha256:0f2b5e3c9d8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c"
    );
    assert_eq!(args(&objects), ["operator", "--metrics-addr=0.0.0.0:9090", "--log-format=text"]);
    assert_eq!(container["ports"][0]["containerPort"], 9090);
    assert_eq!(env_value(container, "RUST_BACKTRACE")["value"], "1");
    for kind in ["Role", "RoleBinding", "PodDisruptionBudget", "Service", "ServiceAccount"] {
        assert!(of_kind(&objects, kind).is_empty(), "{kind} rendered");
    }
    assert_eq!(only(&objects, "Deployment")["spec"]["template"]["spec"]["serviceAccountName"], "driftless-operator");
    assert_bound_to_service_account(
        only(&objects, "ClusterRoleBinding"),
        "ClusterRole",
        FULLNAME,
        "driftless-operator",
    );
}

#[test]
fn values_that_cannot_work_are_refused_with_a_message_naming_them() {
    let cases: [(&[&str], &str); 8] = [
        // templates/_helpers.tpl: combinations of values
        (&["--set", "leaderElection.enabled=false"], "replicaCount > 1 needs leaderElection.enabled=true"),
        (
            &["--set", "monitoring.enableServiceMonitor=true", "--set", "service.enabled=false"],
            "monitoring.enableServiceMonitor needs service.enabled=true",
        ),
        (&["--set", "serviceAccount.create=false"], "serviceAccount.name is required"),
        // values.schema.json: single values, and keys the chart does not have (a typo would be ignored)
        (&["--set", "watchNamespace=shop"], "additional properties 'watchNamespace' not allowed"),
        (&["--set", "monitoring.enablePodMonitors=true"], "additional properties 'enablePodMonitors' not allowed"),
        (&["--set", "logFormat=yaml"], "at '/logFormat': value must be one of 'json', 'text'"),
        (&["--set", "watchNamespaces={a,a}"], "at '/watchNamespaces': items at 0 and 1 are equal"),
        (&["--set", "watchNamespaces={Shop_A}"], "'Shop_A' does not match pattern"),
    ];
    for (args, message) in cases {
        let error = render_chart_error(RELEASE, NAMESPACE, args).unwrap();
        assert!(error.contains(message), "{args:?}: expected {message:?} in:\n{error}");
    }
}

#[test]
fn the_chart_ships_the_generated_crd() {
    let objects = render(&["--include-crds"]);
    let crd = only(&objects, "CustomResourceDefinition");
    let generated = parse_documents(&driftless_api::crd_yaml()).unwrap();
    assert_eq!(crd, &generated[0], "charts/driftless/crds/ differs from `driftless crd`");
    let checked_in = std::fs::read_to_string(repo_root().join("crds/driftless.dev_databaseschemas.yaml")).unwrap();
    let in_chart = std::fs::read_to_string(chart_dir().join("crds/driftless.dev_databaseschemas.yaml")).unwrap();
    assert_eq!(in_chart, checked_in, "the chart's CRD file is crds/'s (a symbolic link)");
}

#[test]
fn helm_lint_passes_for_default_and_non_default_values() {
    let helm = go_tool("helm").unwrap();
    let chart = chart_dir();
    let chart = chart.to_str().unwrap();
    for values in [None, Some("ci/namespaced-values.yaml"), Some("ci/single-replica-values.yaml")] {
        let mut args = vec!["lint", "--strict", chart];
        let path;
        if let Some(values) = values {
            path = chart_dir().join(values);
            args.extend(["--values", path.to_str().unwrap()]);
        }
        let output = run(&helm, &args).unwrap_or_else(|e| panic!("helm lint {values:?}: {e:#}"));
        assert!(output.contains("0 chart(s) failed"), "{output}");
    }
}

#[test]
fn the_chart_deploys_the_workspace_version_by_default() {
    let chart = std::fs::read_to_string(chart_dir().join("Chart.yaml")).unwrap();
    let chart: Value = serde_yaml_ng::from_str(&chart).unwrap();
    let cargo = std::fs::read_to_string(repo_root().join("Cargo.toml")).unwrap();
    let workspace_version = cargo
        .split("[workspace.package]")
        .nth(1)
        .and_then(|section| section.lines().find_map(|l| l.strip_prefix("version = ")))
        .map(|v| v.trim_matches('"'))
        .expect("[workspace.package] version");
    assert_eq!(chart["appVersion"], workspace_version, "Chart.yaml appVersion (the default image tag)");
}

#[test]
fn the_packaged_chart_holds_the_crd_itself_and_leaves_the_tests_out() {
    let helm = go_tool("helm").unwrap();
    let out = std::env::temp_dir().join(format!("driftless-chart-package-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let chart = chart_dir();
    run(&helm, &["package", chart.to_str().unwrap(), "--destination", out.to_str().unwrap()]).unwrap();
    let package = out.join("driftless-0.1.0.tgz");
    let listing = std::process::Command::new("tar").arg("-tvzf").arg(&package).output().unwrap();
    std::fs::remove_dir_all(&out).unwrap();
    let listing = String::from_utf8(listing.stdout).unwrap();
    let crd =
        listing.lines().find(|l| l.ends_with("driftless/crds/driftless.dev_databaseschemas.yaml")).expect("the CRD");
    assert!(crd.starts_with('-'), "a regular file, not a link: {crd}");
    for path in ["driftless/values.schema.json", "driftless/argocd/health.lua", "driftless/dashboards/driftless.json"] {
        assert!(listing.lines().any(|l| l.ends_with(path)), "{path} missing:\n{listing}");
    }
    for excluded in ["/ci/", "/argocd/testdata/", "health_test.yaml"] {
        assert!(!listing.contains(excluded), "{excluded} packaged:\n{listing}");
    }
}
