//! The chart's rendered manifests and the GitOps example, sent to a real kube-apiserver (crates/envtest):
//! every object is server-side applied with dryRun=All and strict field validation, so the API server checks
//! it against its built-in schemas and the DatabaseSchema CRD (a misspelled field is an error, not ignored).
//! The chart's RBAC is also applied for real and probed with SubjectAccessReviews (the server authorizes with
//! RBAC): the operator's service account may do what the operator needs, where it needs it, and no more.
//!
//! One API server serves every check, started from `main` (a libtest-mimic harness) because its processes
//! die with the thread that started them.
//!
//! Finally the operator itself (in-process) runs as the chart's service account, with only the chart's RBAC
//! (namespaced mode, then cluster mode), and must take its lease, apply a DatabaseSchema (SQLite), follow an edit of its ConfigMap,
//! record events and expose every metric docs/chart.md documents.
//!
//! Not checked here: PodMonitor and ServiceMonitor (prometheus-operator's CRDs are not installed on the test
//! server; tests/chart.rs checks what they select), and Argo CD / Flux objects (their CRDs neither;
//! tests/gitops.rs checks the paths they point at).

use anyhow::{Context, Result, bail, ensure};
use driftless_api::DatabaseSchema;
use driftless_chart_tests::{
    describe, documented_metrics, exposed_metrics, kustomize_build, parse_documents, render_chart, repo_root,
};
use driftless_envtest::ApiServer;
use driftless_operator::{LeaderElection, OperatorConfig, Retry};
use k8s_openapi::api::authentication::v1::{TokenRequest, TokenRequestSpec};
use k8s_openapi::api::authorization::v1::{
    ResourceAttributes, SubjectAccessReview, SubjectAccessReviewSpec, SubjectAccessReviewStatus,
};
use k8s_openapi::api::coordination::v1::Lease;
use k8s_openapi::api::core::v1::{Namespace, ServiceAccount};
use k8s_openapi::api::events::v1::Event;
use kube::Client;
use kube::Config;
use kube::api::{Api, DynamicObject, ListParams, ObjectMeta, Patch, PatchParams, PostParams};
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::core::GroupVersionKind;
use kube::discovery::{self, Scope};
use libtest_mimic::{Arguments, Failed, Trial};
use serde_json::{Value, json};
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const FIELD_MANAGER: &str = "driftless-chart-tests";
/// Kinds whose CRDs the test server lacks; rendered only when monitoring is enabled.
const PROMETHEUS_OPERATOR_GROUP: &str = "monitoring.coreos.com";

struct Shared {
    runtime: tokio::runtime::Handle,
    client: Client,
    /// The API server's address, for clients that authenticate as someone else than `admin`.
    url: String,
}

fn main() {
    let args = Arguments::from_args();
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let checks: [(&str, Check); 9] = [
        ("chart_default_values_pass_server_side_dry_run", |c| Box::pin(chart_default_values(c))),
        ("chart_namespaced_values_pass_server_side_dry_run", |c| Box::pin(chart_namespaced_values(c))),
        ("chart_single_replica_values_pass_server_side_dry_run", |c| Box::pin(chart_single_replica_values(c))),
        ("chart_namespaced_rbac_allows_the_operator_exactly_its_namespaces", |c| Box::pin(namespaced_rbac(c))),
        ("chart_cluster_rbac_allows_the_operator_every_namespace_and_leases_only_in_its_own", |c| {
            Box::pin(cluster_rbac(c))
        }),
        ("gitops_example_passes_server_side_dry_run", |c| Box::pin(gitops_example(c))),
        ("argocd_health_samples_are_valid_database_schemas_with_valid_status", |c| Box::pin(health_samples(c))),
        ("a_misspelled_field_is_rejected_so_the_dry_runs_can_fail", |c| Box::pin(misspelled_field_is_rejected(c))),
        ("the_operator_works_with_only_the_charts_rbac_in_each_mode", |c| {
            Box::pin(operator_with_chart_rbac_in_both_modes(c))
        }),
    ];
    if args.list {
        let trials = checks.iter().map(|(name, _)| Trial::test(*name, || Ok(()))).collect();
        libtest_mimic::run(&args, trials).exit();
    }

    let started = runtime.block_on(async {
        let server = ApiServer::start().await.context("starting the test API server")?;
        server
            .install_crd(&repo_root().join("crds/driftless.dev_databaseschemas.yaml"))
            .await
            .context("installing the DatabaseSchema CRD")?;
        anyhow::Ok(server)
    });
    let (server, context) = match started {
        Ok(server) => {
            let context = Arc::new(Shared {
                runtime: runtime.handle().clone(),
                client: server.client(),
                url: server.url().to_owned(),
            });
            (Some(server), Ok(context))
        }
        Err(error) => (None, Err(format!("{error:#}"))),
    };
    let trials = checks
        .into_iter()
        .map(|(name, check)| {
            let context = context.clone();
            Trial::test(name, move || {
                let context = context.map_err(Failed::from)?;
                context.runtime.block_on(check(context.clone())).map_err(|e| Failed::from(format!("{e:#}")))
            })
        })
        .collect();
    let conclusion = libtest_mimic::run(&args, trials);
    drop(server);
    conclusion.exit();
}

type Check = fn(Arc<Shared>) -> std::pin::Pin<Box<dyn Future<Output = Result<()>> + Send>>;

/// Namespaces are never deleted on the test server (no namespace controller); creating one twice is fine.
async fn ensure_namespace(client: &Client, name: &str) -> Result<()> {
    let namespace =
        Namespace { metadata: ObjectMeta { name: Some(name.into()), ..Default::default() }, ..Default::default() };
    match Api::<Namespace>::all(client.clone()).create(&PostParams::default(), &namespace).await {
        Ok(_) => Ok(()),
        Err(kube::Error::Api(status)) if status.code == 409 => Ok(()),
        Err(error) => Err(error).with_context(|| format!("creating namespace {name}")),
    }
}

/// The API for an object's kind, found by discovery, scoped to its namespace (or `default_namespace`).
async fn api_for(client: &Client, object: &Value, default_namespace: &str) -> Result<Api<DynamicObject>> {
    let api_version = object["apiVersion"].as_str().context("apiVersion")?;
    let kind = object["kind"].as_str().context("kind")?;
    let (group, version) = api_version.split_once('/').unwrap_or(("", api_version));
    let gvk = GroupVersionKind::gvk(group, version, kind);
    let (resource, capabilities) =
        discovery::pinned_kind(client, &gvk).await.with_context(|| format!("discovering {api_version} {kind}"))?;
    Ok(match capabilities.scope {
        Scope::Namespaced => {
            let namespace = object["metadata"]["namespace"].as_str().unwrap_or(default_namespace);
            Api::namespaced_with(client.clone(), namespace, &resource)
        }
        Scope::Cluster => Api::all_with(client.clone(), &resource),
    })
}

/// Server-side applies an object; with `dry_run` the server validates and admits it but stores nothing.
async fn apply(client: &Client, object: &Value, default_namespace: &str, dry_run: bool) -> Result<()> {
    let api = api_for(client, object, default_namespace).await?;
    let name = object["metadata"]["name"].as_str().context("metadata.name")?;
    let mut params = PatchParams::apply(FIELD_MANAGER).validation_strict();
    if dry_run {
        params = params.dry_run();
    }
    let typed: DynamicObject = serde_json::from_value(object.clone())?;
    api.patch(name, &params, &Patch::Apply(&typed)).await?;
    Ok(())
}

/// Dry-runs every object; returns the kinds skipped because their CRDs are not on the test server. All
/// rejections are reported together.
async fn dry_run_all(client: &Client, objects: &[Value], namespace: &str) -> Result<Vec<String>> {
    ensure!(!objects.is_empty(), "nothing to apply");
    let mut skipped = Vec::new();
    let mut rejected = Vec::new();
    for object in objects {
        let api_version = object["apiVersion"].as_str().unwrap_or_default();
        if api_version.starts_with(PROMETHEUS_OPERATOR_GROUP) {
            skipped.push(object["kind"].as_str().unwrap_or_default().to_owned());
            continue;
        }
        if let Err(error) = apply(client, object, namespace, true).await {
            rejected.push(format!("{}: {error:#}", describe(object)));
        }
    }
    if !rejected.is_empty() {
        bail!("the API server rejected {} of {} objects:\n{}", rejected.len(), objects.len(), rejected.join("\n"));
    }
    Ok(skipped)
}

fn kinds(objects: &[Value]) -> Vec<String> {
    let mut kinds: Vec<String> = objects.iter().map(|o| o["kind"].as_str().unwrap_or_default().to_owned()).collect();
    kinds.sort();
    kinds
}

async fn chart_default_values(context: Arc<Shared>) -> Result<()> {
    let client = &context.client;
    let namespace = "driftless-default";
    ensure_namespace(client, namespace).await?;
    let objects = render_chart("defaults", namespace, &[])?;
    let skipped = dry_run_all(client, &objects, namespace).await?;
    ensure!(skipped.is_empty(), "nothing is skipped with default values, skipped {skipped:?}");
    ensure!(
        kinds(&objects)
            == [
                "ClusterRole",
                "ClusterRoleBinding",
                "Deployment",
                "PodDisruptionBudget",
                "Role",
                "RoleBinding",
                "Service",
                "ServiceAccount"
            ],
        "unexpected kinds {:?}",
        kinds(&objects)
    );
    Ok(())
}

async fn chart_namespaced_values(context: Arc<Shared>) -> Result<()> {
    let client = &context.client;
    let namespace = "driftless-scoped";
    // The watched namespaces (ci/namespaced-values.yaml) and the dashboard's.
    for name in [namespace, "team-a", "team-b", "monitoring"] {
        ensure_namespace(client, name).await?;
    }
    let objects = render_chart("scoped", namespace, &["--values", "charts/driftless/ci/namespaced-values.yaml"])?;
    let mut skipped = dry_run_all(client, &objects, namespace).await?;
    skipped.sort();
    ensure!(skipped == ["PodMonitor", "ServiceMonitor"], "skipped {skipped:?}");
    let applied = objects.len() - skipped.len();
    // ServiceAccount, Deployment, Service, PDB, dashboard ConfigMap, 3 Roles and 3 RoleBindings.
    ensure!(applied == 11, "{applied} objects dry-run: {:?}", kinds(&objects));
    Ok(())
}

async fn chart_single_replica_values(context: Arc<Shared>) -> Result<()> {
    let client = &context.client;
    let namespace = "driftless-single";
    ensure_namespace(client, namespace).await?;
    let objects = render_chart("single", namespace, &["--values", "charts/driftless/ci/single-replica-values.yaml"])?;
    dry_run_all(client, &objects, namespace).await?;
    ensure!(kinds(&objects) == ["ClusterRole", "ClusterRoleBinding", "Deployment"], "{:?}", kinds(&objects));
    Ok(())
}

/// Applies (for real) the chart's ServiceAccount and RBAC objects, so that SubjectAccessReviews see them.
async fn apply_rbac(client: &Client, objects: &[Value], namespace: &str) -> Result<()> {
    for object in objects {
        let kind = object["kind"].as_str().unwrap_or_default();
        if ["ServiceAccount", "Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding"].contains(&kind) {
            apply(client, object, namespace, false).await.with_context(|| describe(object))?;
        }
    }
    Ok(())
}

/// One access question: may the service account `verb` the `group`/`resource` (named `name`) in `namespace`
/// ("" = across all namespaces)?
struct Access<'a> {
    verb: &'a str,
    group: &'a str,
    resource: &'a str,
    subresource: Option<&'a str>,
    namespace: &'a str,
    name: Option<&'a str>,
}

fn access<'a>(verb: &'a str, group: &'a str, resource: &'a str, namespace: &'a str) -> Access<'a> {
    let (resource, subresource) = match resource.split_once('/') {
        Some((resource, subresource)) => (resource, Some(subresource)),
        None => (resource, None),
    };
    Access { verb, group, resource, subresource, namespace, name: None }
}

async fn allowed(client: &Client, service_account: (&str, &str), question: &Access<'_>) -> Result<bool> {
    let (namespace, name) = service_account;
    let review = SubjectAccessReview {
        spec: SubjectAccessReviewSpec {
            user: Some(format!("system:serviceaccount:{namespace}:{name}")),
            groups: Some(vec!["system:serviceaccounts".into(), format!("system:serviceaccounts:{namespace}")]),
            resource_attributes: Some(ResourceAttributes {
                verb: Some(question.verb.into()),
                group: Some(question.group.into()),
                resource: Some(question.resource.into()),
                subresource: question.subresource.map(Into::into),
                namespace: Some(question.namespace.into()),
                name: question.name.map(Into::into),
                ..Default::default()
            }),
            ..Default::default()
        },
        ..Default::default()
    };
    let api: Api<SubjectAccessReview> = Api::all(client.clone());
    let answer = api.create(&PostParams::default(), &review).await.context("creating a SubjectAccessReview")?;
    Ok(answer.status.unwrap_or(SubjectAccessReviewStatus::default()).allowed)
}

/// Asks every question and reports every answer that differs from `expected` at once. The authorizer learns
/// of new Roles through a cache, so answers that should be "allowed" are asked again for a few seconds; ask
/// for "denied" only after an "allowed" check on the same objects passed.
async fn expect_access(
    client: &Client,
    service_account: (&str, &str),
    questions: &[Access<'_>],
    expected: bool,
) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let wrong = wrong_answers(client, service_account, questions, expected).await?;
        if wrong.is_empty() {
            return Ok(());
        }
        if !expected || Instant::now() > deadline {
            bail!("expected {} but was not:\n{}", if expected { "allowed" } else { "denied" }, wrong.join("\n"));
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

async fn wrong_answers(
    client: &Client,
    service_account: (&str, &str),
    questions: &[Access<'_>],
    expected: bool,
) -> Result<Vec<String>> {
    let mut wrong = Vec::new();
    for q in questions {
        if allowed(client, service_account, q).await? != expected {
            let resource = match q.subresource {
                Some(sub) => format!("{}/{sub}", q.resource),
                None => q.resource.to_owned(),
            };
            let group = if q.group.is_empty() { "core" } else { q.group };
            wrong.push(format!(
                "{} {group}/{resource}{} in {:?}",
                q.verb,
                q.name.map(|n| format!(" named {n}")).unwrap_or_default(),
                q.namespace
            ));
        }
    }
    Ok(wrong)
}

/// What the operator does where it watches DatabaseSchemas (the contract in docs/chart.md).
fn watch_access(namespace: &str) -> Vec<Access<'_>> {
    let mut all = Vec::new();
    for verb in ["get", "list", "watch"] {
        all.push(access(verb, "driftless.dev", "databaseschemas", namespace));
    }
    for verb in ["get", "patch"] {
        all.push(access(verb, "driftless.dev", "databaseschemas/status", namespace));
    }
    for resource in ["secrets", "configmaps"] {
        for verb in ["get", "list", "watch"] {
            all.push(access(verb, "", resource, namespace));
        }
    }
    for verb in ["create", "patch"] {
        all.push(access(verb, "events.k8s.io", "events", namespace));
    }
    all
}

fn lease_access(namespace: &str) -> Vec<Access<'_>> {
    let named =
        |verb| Access { name: Some("driftless-operator"), ..access(verb, "coordination.k8s.io", "leases", namespace) };
    vec![access("create", "coordination.k8s.io", "leases", namespace), named("get"), named("patch")]
}

/// What the operator never needs anywhere.
fn never_needed(namespace: &str) -> Vec<Access<'_>> {
    vec![
        access("create", "", "secrets", namespace),
        access("update", "", "secrets", namespace),
        access("delete", "", "secrets", namespace),
        access("update", "", "configmaps", namespace),
        access("delete", "driftless.dev", "databaseschemas", namespace),
        access("patch", "driftless.dev", "databaseschemas", namespace),
        access("update", "driftless.dev", "databaseschemas/status", namespace),
        access("create", "", "events", namespace),
        access("create", "driftless.dev", "databaseschemas", namespace),
        access("get", "", "pods", namespace),
        access("delete", "coordination.k8s.io", "leases", namespace),
        Access { name: Some("someone-elses-lease"), ..access("patch", "coordination.k8s.io", "leases", namespace) },
    ]
}

async fn namespaced_rbac(context: Arc<Shared>) -> Result<()> {
    let client = &context.client;
    let namespace = "rbac-scoped";
    for name in [namespace, "shop-a", "shop-b", "unwatched"] {
        ensure_namespace(client, name).await?;
    }
    let objects = render_chart("rbac-scoped", namespace, &["--set", "watchNamespaces={shop-a,shop-b}"])?;
    apply_rbac(client, &objects, namespace).await?;
    let service_account = (namespace, "rbac-scoped-driftless");

    let mut must = watch_access("shop-a");
    must.extend(watch_access("shop-b"));
    must.extend(lease_access(namespace));
    expect_access(client, service_account, &must, true).await?;

    let mut must_not = watch_access("unwatched");
    // Nothing across all namespaces, nothing but the lease in its own namespace, no lease elsewhere.
    must_not.extend(watch_access(""));
    must_not.extend(watch_access(namespace));
    must_not.extend(lease_access("shop-a"));
    must_not.extend(never_needed("shop-a"));
    must_not.extend(never_needed(namespace));
    expect_access(client, service_account, &must_not, false).await
}

async fn cluster_rbac(context: Arc<Shared>) -> Result<()> {
    let client = &context.client;
    let namespace = "rbac-cluster";
    for name in [namespace, "anywhere"] {
        ensure_namespace(client, name).await?;
    }
    let objects = render_chart("rbac-cluster", namespace, &[])?;
    apply_rbac(client, &objects, namespace).await?;
    let service_account = (namespace, "rbac-cluster-driftless");

    let mut must = watch_access("");
    must.extend(watch_access("anywhere"));
    must.extend(lease_access(namespace));
    expect_access(client, service_account, &must, true).await?;

    let mut must_not = lease_access("anywhere");
    must_not.extend(never_needed("anywhere"));
    must_not.extend(never_needed(""));
    must_not.extend(never_needed(namespace));
    expect_access(client, service_account, &must_not, false).await
}

async fn gitops_example(context: Arc<Shared>) -> Result<()> {
    let client = &context.client;
    ensure_namespace(client, "shop").await?;
    let objects = kustomize_build("testdata/gitops/apps/shop/overlays/production")?;
    dry_run_all(client, &objects, "shop").await?;
    ensure!(kinds(&objects) == ["ConfigMap", "DatabaseSchema"], "{:?}", kinds(&objects));
    Ok(())
}

/// The Argo CD health check's samples must be what the API server would hold: each is created (spec), then
/// its status is applied to the status subresource with strict validation against the CRD's status schema.
async fn health_samples(context: Arc<Shared>) -> Result<()> {
    let client = &context.client;
    let namespace = "health-samples";
    ensure_namespace(client, namespace).await?;
    let dir = repo_root().join("charts/driftless/argocd/testdata");
    let mut checked = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let text = std::fs::read_to_string(&path)?;
        let mut sample = parse_documents(&text)?.pop().with_context(|| format!("{}: empty", path.display()))?;
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let status = sample.as_object_mut().unwrap().remove("status");
        sample["metadata"] = json!({"name": name, "namespace": namespace});
        apply(client, &sample, namespace, false).await.with_context(|| format!("{}: spec", path.display()))?;
        if let Some(status) = status {
            let api = api_for(client, &sample, namespace).await?;
            let patch = json!({"apiVersion": sample["apiVersion"], "kind": sample["kind"], "status": status});
            // force: the cluster-mode operator of another check may have written this status meanwhile.
            api.patch_status(
                &name,
                &PatchParams::apply(FIELD_MANAGER).validation_strict().force(),
                &Patch::Apply(&patch),
            )
            .await
            .with_context(|| format!("{}: status", path.display()))?;
        }
        checked += 1;
    }
    ensure!(checked >= 8, "only {checked} samples in {}", dir.display());
    Ok(())
}

/// The dry-runs above pass only if the server really validates: a Deployment with a misspelled field and a
/// DatabaseSchema breaking the CRD's one-of rule must both be refused.
async fn misspelled_field_is_rejected(context: Arc<Shared>) -> Result<()> {
    let client = &context.client;
    let namespace = "driftless-default";
    ensure_namespace(client, namespace).await?;
    let objects = render_chart("defaults", namespace, &[])?;
    let mut deployment = objects.iter().find(|o| o["kind"] == "Deployment").context("a Deployment")?.clone();
    deployment["spec"]["template"]["spec"]["containers"][0]["securityContext"]["readOnlyRootFileSystem"] = json!(true);
    let error = apply(client, &deployment, namespace, true).await.err().context("a misspelled field was accepted")?;
    ensure!(format!("{error:#}").contains("readOnlyRootFileSystem"), "{error:#}");

    let both_targets = json!({
        "apiVersion": "driftless.dev/v1alpha1", "kind": "DatabaseSchema",
        "metadata": {"name": "both-targets", "namespace": namespace},
        "spec": {"url": "postgres://db/app", "urlFrom": {"secretKeyRef": {"name": "db", "key": "uri"}},
                 "schema": {"sql": "create table t (id int)"}}
    });
    let error = apply(client, &both_targets, namespace, true).await.err().context("two targets were accepted")?;
    ensure!(format!("{error:#}").contains("set exactly one of spec.url"), "{error:#}");
    Ok(())
}

/// A client that authenticates as a service account, with a token from the TokenRequest API.
async fn service_account_client(shared: &Shared, namespace: &str, name: &str) -> Result<Client> {
    let accounts: Api<ServiceAccount> = Api::namespaced(shared.client.clone(), namespace);
    let request = TokenRequest {
        spec: TokenRequestSpec { audiences: vec![], expiration_seconds: Some(3600), ..Default::default() },
        ..Default::default()
    };
    let answer: TokenRequest = accounts
        .create_subresource("token", name, &PostParams::default(), &request)
        .await
        .context("requesting a service account token")?;
    let token = answer.status.context("a token")?.token;
    // As crates/envtest's own kubeconfig: the serving certificate is self-signed, on loopback.
    let kubeconfig = json!({
        "apiVersion": "v1", "kind": "Config",
        "clusters": [{"name": "envtest", "cluster": {"server": shared.url, "insecure-skip-tls-verify": true}}],
        "users": [{"name": name, "user": {"token": token}}],
        "contexts": [{"name": name, "context": {"cluster": "envtest", "user": name, "namespace": namespace}}],
        "current-context": name,
    });
    let kubeconfig = Kubeconfig::from_yaml(&kubeconfig.to_string())?;
    let config = Config::from_custom_kubeconfig(kubeconfig, &KubeConfigOptions::default()).await?;
    Ok(Client::try_from(config)?)
}

async fn http_get(addr: std::net::SocketAddr, path: &str) -> Result<String> {
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    stream.write_all(format!("GET {path} HTTP/1.1\r\nHost: operator\r\nConnection: close\r\n\r\n").as_bytes()).await?;
    let mut response = String::new();
    stream.read_to_string(&mut response).await?;
    Ok(response)
}

/// Polls until `check` returns Some, at most `PATIENCE`.
async fn eventually<T, F: Future<Output = Result<Option<T>>>>(what: &str, mut check: impl FnMut() -> F) -> Result<T> {
    const PATIENCE: Duration = Duration::from_secs(90);
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let Some(value) = check().await? {
            return Ok(value);
        }
        ensure!(Instant::now() < deadline, "{what}: not within {}s", PATIENCE.as_secs());
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// Which RBAC the operator runs with in `operator_with_chart_rbac`.
#[derive(Clone, Copy, Debug)]
enum Mode {
    /// `watchNamespaces: [<release>-shop]`: Roles in that namespace only.
    Namespaced,
    /// The default: a ClusterRole.
    Cluster,
}

/// The operator with the chart's RBAC in both modes, one after the other: a cluster-mode operator would also
/// reconcile the namespaced one's resource.
async fn operator_with_chart_rbac_in_both_modes(shared: Arc<Shared>) -> Result<()> {
    operator_with_chart_rbac(&shared, Mode::Namespaced).await.context("namespaced mode")?;
    operator_with_chart_rbac(&shared, Mode::Cluster).await.context("cluster mode")
}

/// The operator as the chart deploys it: the chart's ServiceAccount, Roles and bindings applied for real, the
/// operator started with the arguments the chart gives it and authenticated with that account's token and
/// nothing else. Any permission the operator needs and the chart forgot (a verb on leases, a watch on Secrets)
/// shows up as a lease never taken, a status never written or an event never recorded.
async fn operator_with_chart_rbac(shared: &Shared, mode: Mode) -> Result<()> {
    let admin = &shared.client;
    let release = match mode {
        Mode::Namespaced => "e2e-ns",
        Mode::Cluster => "e2e-cl",
    };
    let (release_namespace, watched) = (format!("{release}-system"), format!("{release}-shop"));
    let (release_namespace, watched) = (release_namespace.as_str(), watched.as_str());
    for name in [release_namespace, watched] {
        ensure_namespace(admin, name).await?;
    }
    let values = format!("watchNamespaces={{{watched}}}");
    let set_values: &[&str] = match mode {
        Mode::Namespaced => &["--set", &values],
        Mode::Cluster => &[],
    };
    let objects = render_chart(release, release_namespace, set_values)?;
    apply_rbac(admin, &objects, release_namespace).await?;
    let deployment = objects.iter().find(|o| o["kind"] == "Deployment").context("a Deployment")?;
    let args: Vec<&str> = deployment["spec"]["template"]["spec"]["containers"][0]["args"]
        .as_array()
        .context("args")?
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let values_of = |flag: &str| -> Vec<String> {
        let prefix = format!("{flag}=");
        args.iter().filter_map(|a| a.strip_prefix(&prefix)).map(str::to_owned).collect()
    };
    let lease_name = values_of("--lease-name").pop().context("the chart passes --lease-name")?;
    ensure!(values_of("--lease-namespace") == [release_namespace], "{args:?}");
    let namespaces = values_of("--namespace");
    match mode {
        Mode::Namespaced => ensure!(namespaces == [watched], "{args:?}"),
        Mode::Cluster => ensure!(namespaces.is_empty(), "{args:?}"),
    }

    let operator_client = service_account_client(shared, release_namespace, &format!("{release}-driftless")).await?;
    let metrics_addr = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?;
    let identity = format!("{release}-driftless-7d9f8b6c5-x2x4z");
    let identity = identity.as_str();
    let config = OperatorConfig {
        namespaces,
        metrics_addr,
        leader_election: Some(LeaderElection {
            lease_name: lease_name.clone(),
            lease_namespace: release_namespace.to_owned(),
            lease_duration: 15,
        }),
        retry: Retry { base: Duration::from_millis(500), max: Duration::from_secs(4) },
        identity: identity.to_owned(),
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let mut operator = tokio::spawn(driftless_operator::run(operator_client, config, async {
        let _ = stopped.await;
    }));

    let checks = async {
        // What a user creates: the database URL in a Secret, the SQL in a ConfigMap, the resource.
        let database = std::env::temp_dir().join(format!("driftless-chart-{release}-{}.db", std::process::id()));
        let _ = std::fs::remove_file(&database);
        let secret = json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "shop-db", "namespace": watched},
                            "stringData": {"uri": format!("sqlite://{}", database.display())}});
        let config_map = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "shop-schema", "namespace": watched},
                                "data": {"schema.sql": "create table customers (id integer primary key, email text not null);\n"}});
        let resource = json!({"apiVersion": "driftless.dev/v1alpha1", "kind": "DatabaseSchema",
                              "metadata": {"name": "shop", "namespace": watched},
                              "spec": {"urlFrom": {"secretKeyRef": {"name": "shop-db", "key": "uri"}},
                                       "schema": {"configMapKeyRef": {"name": "shop-schema", "key": "schema.sql"}}}});
        for object in [&secret, &config_map, &resource] {
            apply(admin, object, watched, false).await.with_context(|| describe(object))?;
        }

        let leases: Api<Lease> = Api::namespaced(admin.clone(), release_namespace);
        eventually("the operator takes its lease", || async {
            let lease = leases.get_opt(&lease_name).await?;
            Ok(lease.and_then(|l| l.spec?.holder_identity).filter(|holder| holder == identity))
        })
        .await?;

        let schemas: Api<DatabaseSchema> = Api::namespaced(admin.clone(), watched);
        // Ready says Applied, or InSync when a later reconcile already found nothing to do; lastApplied
        // shows the operator applied the one CREATE TABLE either way.
        let status = eventually("the DatabaseSchema becomes Ready", || async {
            let status = schemas.get("shop").await?.status.unwrap_or_default();
            let ready = status.conditions.iter().any(|c| c.type_ == "Ready" && c.status == "True");
            Ok(ready.then_some(status))
        })
        .await
        .with_context(|| format!("status now: {}", status_of(&schemas)))?;
        let first = status.last_applied.clone().context("lastApplied after the first apply")?;
        ensure!(first.statements == 1, "lastApplied: {first:?}");

        // An edited ConfigMap reaches the operator through its ConfigMap watch. Dropping NOT NULL is a table
        // rebuild on SQLite, linted SL101 (a warning): the lint findings metric moves too.
        let mut edited = config_map.clone();
        edited["data"]["schema.sql"] = json!("create table customers (id integer primary key, email text);\n");
        apply(admin, &edited, watched, false).await?;
        eventually("the edited schema is applied", || async {
            let status = schemas.get("shop").await?.status.unwrap_or_default();
            Ok(status.last_applied.filter(|applied| applied.plan_hash != first.plan_hash))
        })
        .await
        .with_context(|| format!("status now: {}", status_of(&schemas)))?;

        let events: Api<Event> = Api::namespaced(admin.clone(), watched);
        eventually("the operator records an event", || async {
            let list = events.list(&ListParams::default()).await?;
            Ok(list.items.into_iter().find(|e| e.regarding.as_ref().and_then(|r| r.name.as_deref()) == Some("shop")))
        })
        .await?;

        let metrics = http_get(metrics_addr, "/metrics").await?;
        ensure!(metrics.contains("driftless_reconciles_total{result=\"success\"}"), "{metrics}");
        ensure!(metrics.contains("driftless_lint_findings_total{code=\"SL101\",severity=\"warning\"}"), "{metrics}");
        // What docs/chart.md documents (and the Grafana dashboard queries) is what the operator exposes.
        let exposed = exposed_metrics(&metrics);
        for metric in documented_metrics()? {
            ensure!(exposed.contains(&metric), "{metric:?} is documented but not exposed:\n{metrics}");
        }
        ensure!(http_get(metrics_addr, "/readyz").await?.starts_with("HTTP/1.1 200"), "not ready");
        let _ = std::fs::remove_file(&database);
        anyhow::Ok(())
    };
    // An operator that stops by itself (e.g. forbidden to create its lease) fails the check at once.
    let outcome = tokio::select! {
        outcome = checks => outcome,
        stopped = &mut operator => Err(anyhow::anyhow!("the operator stopped while being checked: {stopped:?}")),
    };
    if operator.is_finished() {
        return outcome;
    }
    let _ = stop.send(());
    let stopped = tokio::time::timeout(Duration::from_secs(30), operator).await;
    // Gone before another operator watches every namespace (it would recreate the SQLite file).
    Api::<DatabaseSchema>::namespaced(admin.clone(), watched)
        .delete("shop", &Default::default())
        .await
        .context("deleting the DatabaseSchema")?;
    outcome?;
    match stopped {
        Ok(Ok(Ok(()))) => Ok(()),
        Ok(Ok(Err(error))) => bail!("the operator stopped with an error: {error}"),
        Ok(Err(panic)) => bail!("the operator panicked: {panic}"),
        Err(_) => bail!("the operator did not stop within 30 s of being asked"),
    }
}

fn status_of(schemas: &Api<DatabaseSchema>) -> String {
    let schemas = schemas.clone();
    // Best effort, for the failure message only.
    std::thread::spawn(move || {
        tokio::runtime::Runtime::new()
            .ok()
            .and_then(|rt| rt.block_on(schemas.get("shop")).ok())
            .map(|s| format!("{:?}", s.status))
            .unwrap_or_default()
    })
    .join()
    .unwrap_or_default()
}
