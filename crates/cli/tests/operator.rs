//! `driftless operator` as a process outside the cluster, as a developer runs it: a kubeconfig, a real
//! kube-apiserver, a real PostgreSQL; JSON logs; SIGTERM stops it and releases its lease.

use driftless_api::{DatabaseSchema, DatabaseSchemaSpec, KeyRef, SchemaSource, ValueFrom};
use driftless_envtest::{ApiServer, http_get};
use driftless_testkit::TestDb;
use k8s_openapi::ByteString;
use k8s_openapi::api::coordination::v1::Lease;
use k8s_openapi::api::core::v1::Secret;
use kube::api::{Api, Patch, PatchParams};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const NAMESPACE: &str = "shop";
const PATIENCE: Duration = Duration::from_secs(90);

#[tokio::test(flavor = "multi_thread")]
async fn the_operator_runs_out_of_cluster_logs_json_and_stops_on_sigterm() {
    let server = ApiServer::start().await.expect("starting kube-apiserver and etcd");
    let crd = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../crds/driftless.dev_databaseschemas.yaml");
    server.install_crd(&crd).await.unwrap();
    server.create_namespace(NAMESPACE).await.unwrap();
    let db = TestDb::postgres().await;
    let client = server.client();

    let secret = serde_json::json!({
        "apiVersion": "v1", "kind": "Secret", "metadata": { "name": "app-db" },
        "data": { "uri": ByteString(db.url().as_bytes().to_vec()) },
    });
    Api::<Secret>::namespaced(client.clone(), NAMESPACE)
        .patch("app-db", &PatchParams::apply("test").force(), &Patch::Apply(&secret))
        .await
        .unwrap();
    let spec = DatabaseSchemaSpec {
        url_from: Some(ValueFrom { secret_key_ref: Some(KeyRef { name: "app-db".into(), key: "uri".into() }) }),
        schema: SchemaSource {
            sql: Some("create table customers (id bigint primary key, name text);".into()),
            config_map_key_ref: None,
        },
        ..Default::default()
    };
    let resources: Api<DatabaseSchema> = Api::namespaced(client.clone(), NAMESPACE);
    resources
        .patch("customers", &PatchParams::apply("test").force(), &Patch::Apply(&DatabaseSchema::new("customers", spec)))
        .await
        .unwrap();

    let metrics_addr = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let logs = tempfile::NamedTempFile::new().unwrap();
    let mut operator = Command::new(env!("CARGO_BIN_EXE_driftless"))
        .args(["operator", "--metrics-addr", &metrics_addr.to_string(), "--leader-election", "--namespace", NAMESPACE])
        .args(["--log-format", "json"])
        .env("KUBECONFIG", server.kubeconfig_path())
        .env("POD_NAMESPACE", NAMESPACE)
        .env("POD_NAME", "driftless-0")
        .env_remove("RUST_LOG")
        .stdout(Stdio::null())
        .stderr(logs.reopen().unwrap())
        .spawn()
        .expect("starting driftless operator");

    let deadline = Instant::now() + PATIENCE;
    loop {
        let resource = resources.get("customers").await.unwrap();
        let ready = resource.status.as_ref().and_then(|s| s.conditions.iter().find(|c| c.type_ == "Ready").cloned());
        // Applied, or InSync by a second reconcile right after (the Secret's watch also triggers one)
        let applied = resource.status.as_ref().is_some_and(|s| s.last_applied.is_some());
        if applied && ready.as_ref().is_some_and(|c| c.status == "True") {
            break;
        }
        let exited = operator.try_wait().unwrap();
        assert!(
            exited.is_none() && Instant::now() < deadline,
            "not applied ({exited:?}); ready: {ready:?}; logs:\n{}",
            read(logs.path())
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let columns: Vec<String> = sqlx::query_scalar(
        "select attname::text from pg_attribute where attrelid = 'customers'::regclass and attnum > 0 order by attnum",
    )
    .fetch_all(&mut db.connect().await)
    .await
    .unwrap();
    assert_eq!(columns, ["id", "name"]);
    let metrics = http_get(metrics_addr, "/metrics").await.unwrap();
    assert!(metrics.contains("driftless_reconciles_total{result=\"success\"}"), "{metrics}");
    let leases: Api<Lease> = Api::namespaced(client.clone(), NAMESPACE);
    let holder = leases.get("driftless-operator").await.unwrap().spec.and_then(|s| s.holder_identity);
    assert_eq!(holder.as_deref(), Some("driftless-0"));

    let terminated = Command::new("kill").args(["-TERM", &operator.id().to_string()]).status().unwrap();
    assert!(terminated.success());
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = operator.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "still running 30 s after SIGTERM");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let logs = read(logs.path());
    assert!(status.success(), "exit {status}; logs:\n{logs}");
    let holder = leases.get("driftless-operator").await.unwrap().spec.and_then(|s| s.holder_identity);
    assert_ne!(holder.as_deref(), Some("driftless-0"), "the lease is released on shutdown");

    assert!(logs.contains("reconciled"), "{logs}");
    for line in logs.lines().filter(|line| !line.trim().is_empty()) {
        let parsed: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        assert!(parsed.get("level").is_some(), "{line}");
        assert!(!line.contains(":postgres@"), "a password in the logs: {line}");
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}
