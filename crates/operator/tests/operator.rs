//! The operator against a real kube-apiserver (upstream binaries, see docs/operator-testing.md) and a real
//! PostgreSQL: what a user sees in the status, the events and the database.
//!
//! One API server and one operator (in-process, with leader election) serve every scenario; each scenario
//! has a namespace and a database of its own, so they run in parallel.

use driftless_api::{DatabaseSchema, DatabaseSchemaSpec};
use driftless_envtest::{ApiServer, http_get};
use driftless_operator::{APPROVE_ANNOTATION, LeaderElection, OperatorConfig, Retry};
use driftless_testkit::TestDb;
use k8s_openapi::ByteString;
use k8s_openapi::api::coordination::v1::Lease;
use k8s_openapi::api::core::v1::{ConfigMap, Secret};
use k8s_openapi::api::events::v1::Event;
use kube::Client;
use kube::api::{Api, DeleteParams, ListParams, Patch, PatchParams, PostParams};
use libtest_mimic::{Arguments, Failed, Trial};
use sqlx::{AssertSqlSafe, Connection, Executor, PgConnection};
use std::collections::BTreeMap;
use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

const LEASE: &str = "driftless-operator";
const IDENTITY: &str = "operator-under-test";
/// Long enough for a reconcile on a loaded 2-core machine; waits end as soon as the condition holds.
const PATIENCE: Duration = Duration::from_secs(90);

struct Env {
    server: ApiServer,
    metrics_addr: SocketAddr,
    runtime: tokio::runtime::Runtime,
}

static ENV: OnceLock<Env> = OnceLock::new();

fn env() -> &'static Env {
    ENV.get().expect("the environment is started before the scenarios run")
}

fn main() {
    let args = Arguments::from_args();
    let scenarios: Vec<(&str, ScenarioFn)> = vec![
        ("atlas_sequence_on_a_cloudnativepg_secret", || Box::pin(atlas_sequence_on_a_cloudnativepg_secret())),
        ("atlas_sequence_on_mariadb_from_atlasschema_manifests", || {
            Box::pin(atlas_sequence_on_mariadb_from_atlasschema_manifests())
        }),
        ("a_person_approves_a_blocked_plan_by_its_hash", || Box::pin(a_person_approves_a_blocked_plan_by_its_hash())),
        ("manual_approval_applies_only_the_approved_plan", || {
            Box::pin(manual_approval_applies_only_the_approved_plan())
        }),
        ("drift_is_detected_and_corrected", || Box::pin(drift_is_detected_and_corrected())),
        ("plan_mode_reports_and_never_applies", || Box::pin(plan_mode_reports_and_never_applies())),
        ("a_rotated_password_is_picked_up", || Box::pin(a_rotated_password_is_picked_up())),
        ("an_edited_config_map_is_applied", || Box::pin(an_edited_config_map_is_applied())),
        ("invalid_sql_stalls_naming_the_line", || Box::pin(invalid_sql_stalls_naming_the_line())),
        ("an_unreachable_database_is_retried_until_it_recovers", || {
            Box::pin(an_unreachable_database_is_retried_until_it_recovers())
        }),
        ("deleting_the_resource_drops_nothing", || Box::pin(deleting_the_resource_drops_nothing())),
        ("the_crd_refuses_two_targets", || Box::pin(the_crd_refuses_two_targets())),
        ("leader_lease_metrics_and_probes", || Box::pin(leader_lease_metrics_and_probes())),
    ];
    let trials: Vec<Trial> = scenarios
        .into_iter()
        .map(|(name, scenario)| {
            Trial::test(name, move || {
                env()
                    .runtime
                    .block_on(async { tokio::time::timeout(Duration::from_secs(300), scenario()).await })
                    .map_err(|_| Failed::from("timed out after 300 s"))
            })
        })
        .collect();
    if !args.list && !trials.iter().all(|trial| args.is_filtered_out(trial)) {
        // Started on the main thread, which outlives every scenario: the API server's processes die with it.
        let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
        let (server, metrics_addr) = runtime.block_on(start());
        let _ = ENV.set(Env { server, metrics_addr, runtime });
    }
    // the API server's processes die with this process (PR_SET_PDEATHSIG), the operator task with the runtime
    libtest_mimic::run(&args, trials).exit()
}

type BoxedScenario = std::pin::Pin<Box<dyn Future<Output = ()> + Send>>;
type ScenarioFn = fn() -> BoxedScenario;

async fn start() -> (ApiServer, SocketAddr) {
    let server = ApiServer::start().await.expect("starting kube-apiserver and etcd");
    let crd = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../crds/driftless.dev_databaseschemas.yaml");
    server.install_crd(&crd).await.expect("installing the CRD");
    let metrics_addr = free_addr();
    let config = OperatorConfig {
        namespaces: Vec::new(),
        metrics_addr,
        leader_election: Some(LeaderElection {
            lease_name: LEASE.into(),
            lease_namespace: "default".into(),
            lease_duration: 15,
        }),
        retry: Retry { base: Duration::from_millis(500), max: Duration::from_secs(4) },
        identity: IDENTITY.into(),
    };
    let client = server.client();
    tokio::spawn(async move {
        if let Err(error) = driftless_operator::run(client, config, std::future::pending()).await {
            panic!("the operator stopped: {error}");
        }
    });
    (server, metrics_addr)
}

fn free_addr() -> SocketAddr {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap()
}

// ---------------------------------------------------------------------------------------------------------
// Scenarios

/// The seed's example (testdata/atlas/postgres): create, add a column, a drop blocked by policy, then allowed.
async fn atlas_sequence_on_a_cloudnativepg_secret() {
    let t = Scenario::new("atlas").await;
    t.cloudnativepg_secret("app-db", t.db.url()).await;

    t.apply_manifest(&atlas_postgres("01-create-users.yaml")).await;
    let applied = t.wait_ready("users", "Applied").await;
    assert_eq!(t.columns("users").await, ["id", "name", "email", "short_bio"]);
    let last = applied.status.as_ref().unwrap().last_applied.clone().expect("lastApplied");
    assert_eq!(last.statements, 1);
    t.wait_event("users", "Applied", &last.plan_hash).await;

    t.apply_manifest(&atlas_postgres("02-add-age.yaml")).await;
    t.wait_until("users", "age added", |r| applied_plan_mentions(r, "age")).await;
    t.wait_ready("users", "Applied").await;
    assert_eq!(t.columns("users").await, ["id", "name", "email", "short_bio", "age"]);

    t.apply_manifest(&atlas_postgres("03-drop-email-blocked.yaml")).await;
    let blocked = t.wait_ready_false("users", "LintBlocked").await;
    let status = blocked.status.unwrap();
    let plan = status.plan.unwrap();
    assert_eq!(plan.state, driftless_api::PlanState::Blocked);
    assert!(plan.findings.iter().any(|f| f.code == "DS103" && f.severity == "error"), "{:?}", plan.findings);
    assert!(plan.statements.iter().any(|s| s.contains("DROP COLUMN email")), "{:?}", plan.statements);
    assert!(status.conditions.iter().any(|c| c.type_ == "Stalled" && c.status == "True"));
    t.wait_event("users", "LintBlocked", &plan.hash).await;
    assert_eq!(t.columns("users").await, ["id", "name", "email", "short_bio", "age"], "the table is untouched");

    t.apply_manifest(&atlas_postgres("04-drop-email-allowed.yaml")).await;
    t.wait_until("users", "email dropped", |r| {
        r.status.as_ref().and_then(|s| s.last_applied.as_ref()).is_some_and(|l| l.plan_hash == plan.hash)
    })
    .await;
    assert_eq!(t.columns("users").await, ["id", "name", "short_bio", "age"]);
}

/// The same sequence on MariaDB, from Atlas's own `AtlasSchema` manifests (MySQL syntax, auto_increment)
/// with only the kind changed, as a user migrating from Atlas Operator would.
async fn atlas_sequence_on_mariadb_from_atlasschema_manifests() {
    let t = Scenario::new("mariadb").await;
    let db = TestDb::mysql().await;
    t.secret("mysql-credentials", BTreeMap::from([("url".to_string(), db.url().to_string())])).await;
    let columns = || async {
        let columns: Vec<String> = sqlx::query_scalar(
            "select column_name from information_schema.columns where table_schema = database() and table_name = 'users' order by ordinal_position",
        )
        .fetch_all(&mut db.connect_mysql().await)
        .await
        .unwrap();
        columns
    };
    let atlas = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/atlas/mysql");

    t.apply_manifest(&atlas.join("01-create-users.yaml")).await;
    t.wait_ready("myapp", "Applied").await;
    assert_eq!(columns().await, ["id", "name", "email", "short_bio"]);
    t.apply_manifest(&atlas.join("02-add-age.yaml")).await;
    t.wait_until("myapp", "age added", |r| applied_plan_mentions(r, "age")).await;
    assert_eq!(columns().await, ["id", "name", "email", "short_bio", "age"]);
    t.apply_manifest(&atlas.join("03-drop-email-blocked.yaml")).await;
    let blocked = t.wait_ready_false("myapp", "LintBlocked").await;
    let hash = blocked.status.unwrap().plan.unwrap().hash;
    assert_eq!(columns().await, ["id", "name", "email", "short_bio", "age"], "the table is untouched");
    t.apply_manifest(&atlas.join("04-drop-email-allowed.yaml")).await;
    t.wait_until("myapp", "email dropped", |r| last_applied_hash(r) == Some(hash.clone())).await;
    assert_eq!(columns().await, ["id", "name", "short_bio", "age"]);
}

fn applied_plan_mentions(resource: &DatabaseSchema, column: &str) -> bool {
    resource.status.as_ref().and_then(|s| s.plan.as_ref()).is_some_and(|plan| {
        plan.state == driftless_api::PlanState::Applied && plan.statements.iter().any(|s| s.contains(column))
    })
}

async fn a_person_approves_a_blocked_plan_by_its_hash() {
    let t = Scenario::new("approve").await;
    t.url_secret("db").await;
    t.apply("notes", &t.spec("create table notes (id int primary key, body text, legacy text);")).await;
    t.wait_ready("notes", "Applied").await;

    t.apply("notes", &t.spec("create table notes (id int primary key, body text);")).await;
    let blocked = t.wait_ready_false("notes", "LintBlocked").await;
    let hash = blocked.status.unwrap().plan.unwrap().hash;
    assert_eq!(t.columns("notes").await, ["id", "body", "legacy"]);

    t.annotate("notes", &hash).await;
    t.wait_until("notes", "approved plan applied", |r| last_applied_hash(r) == Some(hash.clone())).await;
    assert_eq!(t.columns("notes").await, ["id", "body"]);
    t.wait_ready("notes", "Applied").await;
}

async fn manual_approval_applies_only_the_approved_plan() {
    let t = Scenario::new("manual").await;
    t.url_secret("db").await;
    let mut spec = t.spec("create table orders (id bigint primary key);");
    spec.approval = Some(driftless_api::Approval::Manual);
    t.apply("orders", &spec).await;
    let waiting = t.wait_ready_false("orders", "AwaitingApproval").await;
    let plan = waiting.status.unwrap().plan.unwrap();
    assert_eq!(plan.state, driftless_api::PlanState::AwaitingApproval);
    t.wait_event("orders", "AwaitingApproval", &plan.hash).await;
    assert!(t.columns("orders").await.is_empty(), "nothing ran before approval");

    // An approval of another plan approves nothing.
    t.annotate("orders", "0000000000000000").await;
    let stale = t
        .wait_until("orders", "the wrong approval is reported", |r| ready_message(r).contains("0000000000000000"))
        .await;
    assert_eq!(ready_reason(&stale), "AwaitingApproval");
    assert!(t.columns("orders").await.is_empty());

    t.annotate("orders", &plan.hash).await;
    t.wait_ready("orders", "Applied").await;
    assert_eq!(t.columns("orders").await, ["id"]);
}

async fn drift_is_detected_and_corrected() {
    let t = Scenario::new("drift").await;
    t.url_secret("db").await;
    let mut spec = t.spec("create table items (id int primary key, label text);");
    spec.drift_check_interval = Some("1s".into());
    t.apply("items", &spec).await;
    t.wait_ready("items", "Applied").await;

    // Someone drops a column by hand; restoring it loses nothing, so the operator does.
    t.sql("alter table items drop column label").await;
    let corrected =
        t.wait_until("items", "drift corrected", |r| condition_reason(r, "Drifted") == "DriftCorrected").await;
    assert_eq!(t.columns("items").await, ["id", "label"]);
    let hash = corrected.status.unwrap().last_applied.unwrap().plan_hash;
    t.wait_event("items", "DriftDetected", &hash).await;
    t.wait_until("items", "in sync again", |r| {
        ready_reason(r) == "InSync" && condition_reason(r, "Drifted") == "NoDrift"
    })
    .await;
}

async fn plan_mode_reports_and_never_applies() {
    let t = Scenario::new("plan").await;
    t.url_secret("db").await;
    t.sql("create table audit (id int primary key, at timestamptz)").await;
    let mut spec = t.spec("create table audit (id int primary key, at timestamptz, actor text);");
    spec.mode = Some(driftless_api::Mode::Plan);
    spec.drift_check_interval = Some("1s".into());
    t.apply("audit", &spec).await;
    let pending = t.wait_ready_false("audit", "PlanPending").await;
    let plan = pending.status.unwrap().plan.unwrap();
    assert_eq!(plan.statements, ["ALTER TABLE public.audit ADD COLUMN actor text"]);
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(t.columns("audit").await, ["id", "at"], "plan mode never applies");

    // Someone applies the plan by hand, then undoes it: drift, reported and left alone, check after check.
    t.sql("alter table audit add column actor text").await;
    t.wait_ready("audit", "InSync").await;
    t.sql("alter table audit drop column actor").await;
    t.wait_until("audit", "drifted", |r| condition_status(r, "Drifted") == "True").await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let later = t.get("audit").await;
    assert_eq!(condition_reason(&later, "Drifted"), "DriftDetected", "still drifted after more checks");
    assert_eq!(ready_reason(&later), "PlanPending");
    assert_eq!(t.columns("audit").await, ["id", "at"]);
}

async fn a_rotated_password_is_picked_up() {
    let t = Scenario::new("rotate").await;
    let role = format!("{}_app", t.db.name());
    t.sql(&format!("create role {role} login password 'first-password'")).await;
    t.sql(&format!("alter schema public owner to {role}")).await;
    let url_with = |password: &str| {
        let mut url = url::Url::parse(t.db.url()).unwrap();
        url.set_username(&role).unwrap();
        url.set_password(Some(password)).unwrap();
        url.to_string()
    };
    t.cloudnativepg_secret("app-db", &url_with("first-password")).await;
    let mut spec = t.spec("create table accounts (id int primary key, name text);");
    spec.url = None;
    spec.url_from = Some(secret_ref("app-db", "uri"));
    t.apply("accounts", &spec).await;
    t.wait_ready("accounts", "Applied").await;

    // The password changes on the server, a column goes missing meanwhile, and then the Secret is updated:
    // only the Secret's watch can trigger the reconcile (no drift checks within the test), and only the new
    // password can connect.
    t.sql(&format!("alter role {role} password 'second-password'")).await;
    t.sql("alter table accounts drop column name").await;
    t.cloudnativepg_secret("app-db", &url_with("second-password")).await;
    t.wait_until("accounts", "drift corrected with the new password", |r| {
        condition_reason(r, "Drifted") == "DriftCorrected"
    })
    .await;
    assert_eq!(t.columns("accounts").await, ["id", "name"]);
    let resource = t.get("accounts").await;
    let status = serde_json::to_string(&resource.status).unwrap();
    assert!(!status.contains("first-password") && !status.contains("second-password"), "{status}");
    t.sql(&format!("alter schema public owner to pg_database_owner; drop owned by {role}; drop role {role}")).await;
}

async fn an_edited_config_map_is_applied() {
    let t = Scenario::new("configmap").await;
    t.url_secret("db").await;
    t.config_map("ddl", "create table tags (id int primary key);").await;
    let mut spec = t.spec("");
    spec.schema = driftless_api::SchemaSource {
        sql: None,
        config_map_key_ref: Some(driftless_api::KeyRef { name: "ddl".into(), key: "schema.sql".into() }),
    };
    t.apply("tags", &spec).await;
    t.wait_ready("tags", "Applied").await;
    t.config_map("ddl", "create table tags (id int primary key, name text);").await;
    t.wait_until("tags", "the ConfigMap's edit applied", |r| applied_plan_mentions(r, "name")).await;
    assert_eq!(t.columns("tags").await, ["id", "name"]);
}

async fn invalid_sql_stalls_naming_the_line() {
    let t = Scenario::new("invalid").await;
    t.url_secret("db").await;
    t.apply("broken", &t.spec("create table a (id int);\n\ncreate tabel b (id int);\n")).await;
    let stalled = t.wait_until("broken", "stalled", |r| condition_reason(r, "Stalled") == "InvalidSchema").await;
    assert_eq!(ready_reason(&stalled), "InvalidSchema");
    let message = ready_message(&stalled);
    assert!(message.contains("line 3"), "{message}");
    t.wait_event("broken", "InvalidSchema", "line 3").await;
    assert!(t.columns("a").await.is_empty(), "nothing applied");

    t.apply("broken", &t.spec("create table a (id int);\n\ncreate table b (id int);\n")).await;
    let fixed = t.wait_ready("broken", "Applied").await;
    assert!(fixed.status.unwrap().conditions.iter().all(|c| c.type_ != "Stalled"));
}

async fn an_unreachable_database_is_retried_until_it_recovers() {
    let t = Scenario::new("down").await;
    // The database sits behind a port that refuses connections until the proxy starts.
    let port = free_addr().port();
    let mut url = url::Url::parse(t.db.url()).unwrap();
    url.set_port(Some(port)).unwrap();
    let spec = DatabaseSchemaSpec {
        url: Some(url.to_string()),
        url_from: None,
        ..t.spec("create table jobs (id int primary key);")
    };
    t.apply("jobs", &spec).await;
    let failing = t
        .wait_until("jobs", "retrying", |r| {
            ready_reason(r) == "DatabaseUnreachable" && condition_reason(r, "Reconciling") == "Retrying"
        })
        .await;
    assert!(!ready_message(&failing).contains("postgres:postgres"), "no credentials in messages");
    t.wait_event("jobs", "DatabaseUnreachable", "").await;

    let upstream = url::Url::parse(t.db.url()).unwrap();
    let upstream = format!("{}:{}", upstream.host_str().unwrap(), upstream.port().unwrap_or(5432));
    let proxy = tokio::spawn(forward(port, upstream));
    let recovered = t.wait_ready("jobs", "Applied").await;
    assert!(recovered.status.unwrap().conditions.iter().all(|c| c.type_ != "Reconciling"));
    assert_eq!(t.columns("jobs").await, ["id"]);
    proxy.abort();
}

async fn deleting_the_resource_drops_nothing() {
    let t = Scenario::new("delete").await;
    t.url_secret("db").await;
    t.apply("keep", &t.spec("create table keep (id int primary key);")).await;
    t.wait_ready("keep", "Applied").await;
    t.api().delete("keep", &DeleteParams::default()).await.unwrap();
    let deadline = Instant::now() + PATIENCE;
    while t.api().get_opt("keep").await.unwrap().is_some() {
        assert!(Instant::now() < deadline, "the resource was not deleted");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(t.columns("keep").await, ["id"]);
}

async fn the_crd_refuses_two_targets() {
    let t = Scenario::new("crd").await;
    let spec =
        DatabaseSchemaSpec { url: Some("postgres://db.example/app".into()), ..t.spec("create table x (id int);") };
    let resource = DatabaseSchema::new("two-targets", spec);
    let err = t.api().create(&PostParams::default(), &resource).await.unwrap_err().to_string();
    assert!(err.contains("set exactly one of spec.url, spec.urlFrom and spec.credentials"), "{err}");
}

async fn leader_lease_metrics_and_probes() {
    let leases: Api<Lease> = Api::namespaced(env().server.client(), "default");
    let deadline = Instant::now() + PATIENCE;
    loop {
        let lease = leases.get_opt(LEASE).await.unwrap();
        let holder = lease.and_then(|lease| lease.spec?.holder_identity);
        if holder.as_deref() == Some(IDENTITY) {
            break;
        }
        assert!(Instant::now() < deadline, "the operator does not hold its lease (holder: {holder:?})");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    let addr = env().metrics_addr;
    assert!(http_get(addr, "/healthz").await.unwrap().starts_with("HTTP/1.1 200"));
    loop {
        let readyz = http_get(addr, "/readyz").await.unwrap();
        if readyz.starts_with("HTTP/1.1 200") {
            break;
        }
        assert!(Instant::now() < deadline, "never ready: {readyz}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // one reconcile of our own, so the counters have moved whatever else runs
    let t = Scenario::new("metrics").await;
    t.url_secret("db").await;
    t.apply("m", &t.spec("create table m (id int);")).await;
    t.wait_ready("m", "Applied").await;
    let metrics = http_get(addr, "/metrics").await.unwrap();
    for name in [
        "driftless_reconciles_total{result=\"success\"}",
        "driftless_reconcile_duration_seconds_bucket",
        "driftless_apply_duration_seconds_count",
        "driftless_statements_applied_total",
        "driftless_resources{ready=\"true\"}",
    ] {
        assert!(metrics.contains(name), "missing {name} in\n{metrics}");
    }
}

// ---------------------------------------------------------------------------------------------------------
// Helpers

/// A namespace and a database of a scenario's own.
struct Scenario {
    namespace: String,
    db: TestDb,
    client: Client,
}

impl Scenario {
    async fn new(name: &str) -> Scenario {
        let db = TestDb::postgres().await;
        let namespace = format!("{name}-{}", db.name().trim_start_matches("driftless_test_").replace('_', "-"));
        env().server.create_namespace(&namespace).await.unwrap();
        Scenario { namespace, db, client: env().server.client() }
    }

    fn api(&self) -> Api<DatabaseSchema> {
        Api::namespaced(self.client.clone(), &self.namespace)
    }

    /// A spec reading the URL from the Secret `db` (see [`Scenario::url_secret`]).
    fn spec(&self, sql: &str) -> DatabaseSchemaSpec {
        DatabaseSchemaSpec {
            url_from: Some(secret_ref("db", "uri")),
            schema: driftless_api::SchemaSource { sql: Some(sql.into()), config_map_key_ref: None },
            ..Default::default()
        }
    }

    async fn apply(&self, name: &str, spec: &DatabaseSchemaSpec) {
        let resource = DatabaseSchema::new(name, spec.clone());
        self.api().patch(name, &PatchParams::apply("scenario").force(), &Patch::Apply(&resource)).await.unwrap();
    }

    /// Applies a `DatabaseSchema` (or Atlas `AtlasSchema`) manifest as a `DatabaseSchema`.
    async fn apply_manifest(&self, path: &Path) {
        let manifest = driftless_api::Manifest::from_yaml(&std::fs::read_to_string(path).unwrap()).unwrap();
        self.apply(&manifest.name, &manifest.spec).await;
    }

    async fn annotate(&self, name: &str, hash: &str) {
        let patch = serde_json::json!({ "metadata": { "annotations": { APPROVE_ANNOTATION: hash } } });
        self.api().patch(name, &PatchParams::default(), &Patch::Merge(&patch)).await.unwrap();
    }

    async fn get(&self, name: &str) -> DatabaseSchema {
        self.api().get(name).await.unwrap()
    }

    async fn url_secret(&self, name: &str) {
        self.secret(name, BTreeMap::from([("uri".to_string(), self.db.url().to_string())])).await;
    }

    /// A Secret shaped like CloudNativePG's `<cluster>-app` secret.
    async fn cloudnativepg_secret(&self, name: &str, uri: &str) {
        let url = url::Url::parse(uri).unwrap();
        let host = url.host_str().unwrap().to_string();
        let port = url.port().unwrap_or(5432).to_string();
        let database = url.path().trim_start_matches('/').to_string();
        let (user, password) = (url.username().to_string(), url.password().unwrap_or_default().to_string());
        let data = BTreeMap::from([
            ("username".to_string(), user.clone()),
            ("user".to_string(), user.clone()),
            ("password".to_string(), password.clone()),
            ("host".to_string(), host.clone()),
            ("port".to_string(), port.clone()),
            ("dbname".to_string(), database.clone()),
            ("uri".to_string(), uri.to_string()),
            (
                "jdbc-uri".to_string(),
                format!("jdbc:postgresql://{host}:{port}/{database}?password={password}&user={user}"),
            ),
            ("pgpass".to_string(), format!("{host}:{port}:{database}:{user}:{password}\n")),
        ]);
        self.secret(name, data).await;
    }

    async fn secret(&self, name: &str, data: BTreeMap<String, String>) {
        let data_has_user = data.contains_key("username") && data.contains_key("password");
        let secret = Secret {
            metadata: kube::api::ObjectMeta { name: Some(name.into()), ..Default::default() },
            data: Some(data.into_iter().map(|(k, v)| (k, ByteString(v.into_bytes()))).collect()),
            // CloudNativePG's secrets are basic-auth, which the API server checks has username and password
            type_: Some(if data_has_user { "kubernetes.io/basic-auth" } else { "Opaque" }.into()),
            ..Default::default()
        };
        let api: Api<Secret> = Api::namespaced(self.client.clone(), &self.namespace);
        api.patch(name, &PatchParams::apply("scenario").force(), &Patch::Apply(&with_kind(secret, "Secret")))
            .await
            .unwrap();
    }

    async fn config_map(&self, name: &str, sql: &str) {
        let config_map = ConfigMap {
            metadata: kube::api::ObjectMeta { name: Some(name.into()), ..Default::default() },
            data: Some(BTreeMap::from([("schema.sql".to_string(), sql.to_string())])),
            ..Default::default()
        };
        let api: Api<ConfigMap> = Api::namespaced(self.client.clone(), &self.namespace);
        api.patch(name, &PatchParams::apply("scenario").force(), &Patch::Apply(&with_kind(config_map, "ConfigMap")))
            .await
            .unwrap();
    }

    async fn wait_until(&self, name: &str, what: &str, done: impl Fn(&DatabaseSchema) -> bool) -> DatabaseSchema {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let resource = self.api().get_opt(name).await.unwrap();
            if let Some(resource) = &resource
                && done(resource)
            {
                return resource.clone();
            }
            if Instant::now() > deadline {
                let status = resource.map(|r| serde_json::to_string_pretty(&r.status).unwrap());
                panic!(
                    "{}/{name}: not {what} within {PATIENCE:?}; status: {}",
                    self.namespace,
                    status.unwrap_or_default()
                );
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    async fn wait_ready(&self, name: &str, reason: &str) -> DatabaseSchema {
        self.wait_until(name, &format!("Ready=True ({reason})"), |r| {
            condition_status(r, "Ready") == "True" && ready_reason(r) == reason && observed(r)
        })
        .await
    }

    async fn wait_ready_false(&self, name: &str, reason: &str) -> DatabaseSchema {
        self.wait_until(name, &format!("Ready=False ({reason})"), |r| {
            condition_status(r, "Ready") == "False" && ready_reason(r) == reason && observed(r)
        })
        .await
    }

    /// Waits for an event on the resource with this reason whose note contains `text`.
    async fn wait_event(&self, name: &str, reason: &str, text: &str) {
        let api: Api<Event> = Api::namespaced(self.client.clone(), &self.namespace);
        let deadline = Instant::now() + PATIENCE;
        loop {
            let events = api.list(&ListParams::default()).await.unwrap();
            let found = events.items.iter().any(|event| {
                event.regarding.as_ref().and_then(|r| r.name.as_deref()) == Some(name)
                    && event.reason.as_deref() == Some(reason)
                    && event.note.as_deref().unwrap_or_default().contains(text)
            });
            if found {
                return;
            }
            if Instant::now() > deadline {
                let seen: Vec<_> = events.items.iter().map(|e| (e.reason.clone(), e.note.clone())).collect();
                panic!("{}/{name}: no {reason} event mentioning {text:?}; events: {seen:?}", self.namespace);
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    async fn connection(&self) -> PgConnection {
        PgConnection::connect(self.db.url()).await.unwrap()
    }

    async fn sql(&self, sql: &str) {
        self.connection().await.execute(sqlx::raw_sql(AssertSqlSafe(sql.to_string()))).await.unwrap();
    }

    /// The table's columns in order (none when it does not exist).
    async fn columns(&self, table: &str) -> Vec<String> {
        sqlx::query_scalar(
            "select attname::text from pg_attribute where attrelid = to_regclass($1) and attnum > 0 and not attisdropped order by attnum",
        )
        .bind(format!("public.{table}"))
        .fetch_all(&mut self.connection().await)
        .await
        .unwrap()
    }
}

/// The seed's example, converted to PostgreSQL.
fn atlas_postgres(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/atlas/postgres").join(file)
}

fn with_kind<T: serde::Serialize>(object: T, kind: &str) -> serde_json::Value {
    let mut value = serde_json::to_value(object).unwrap();
    value["apiVersion"] = "v1".into();
    value["kind"] = kind.into();
    value
}

fn secret_ref(name: &str, key: &str) -> driftless_api::ValueFrom {
    driftless_api::ValueFrom { secret_key_ref: Some(driftless_api::KeyRef { name: name.into(), key: key.into() }) }
}

fn condition<'a>(resource: &'a DatabaseSchema, type_: &str) -> Option<&'a driftless_api::Condition> {
    resource.status.as_ref()?.conditions.iter().find(|c| c.type_ == type_)
}

fn condition_status(resource: &DatabaseSchema, type_: &str) -> String {
    condition(resource, type_).map(|c| c.status.clone()).unwrap_or_default()
}

fn condition_reason(resource: &DatabaseSchema, type_: &str) -> String {
    condition(resource, type_).map(|c| c.reason.clone()).unwrap_or_default()
}

fn ready_reason(resource: &DatabaseSchema) -> String {
    condition_reason(resource, "Ready")
}

fn ready_message(resource: &DatabaseSchema) -> String {
    condition(resource, "Ready").map(|c| c.message.clone()).unwrap_or_default()
}

/// The status describes the current generation.
fn observed(resource: &DatabaseSchema) -> bool {
    resource.status.as_ref().and_then(|s| s.observed_generation) == resource.metadata.generation
}

fn last_applied_hash(resource: &DatabaseSchema) -> Option<String> {
    Some(resource.status.as_ref()?.last_applied.as_ref()?.plan_hash.clone())
}

/// A TCP forwarder from 127.0.0.1:`port` to `upstream`: the database "comes back" when it starts.
async fn forward(port: u16, upstream: String) {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.unwrap();
    loop {
        let (mut inbound, _) = listener.accept().await.unwrap();
        let upstream = upstream.clone();
        tokio::spawn(async move {
            if let Ok(mut outbound) = tokio::net::TcpStream::connect(upstream).await {
                let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
            }
        });
    }
}
