//! Operator scale benchmark (a benchmark, not a test): N DatabaseSchema resources across M PostgreSQL
//! databases on the real test kube-apiserver, reconciled by the release `driftless operator` process.
//! Prints the time until all are Ready, the operator's resident memory, and the CPU one drift cycle costs.
//!
//! ```sh
//! scripts/bench-operator                 # builds what it needs, 500 resources over 50 databases
//! scripts/bench-operator --resources 100 --databases 10 --drift-interval 20
//! ```

use driftless_api::{DatabaseSchema, DatabaseSchemaSpec, SchemaSource};
use driftless_envtest::ApiServer;
use driftless_testkit::TestDb;
use kube::api::{Api, ListParams, PostParams};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const NAMESPACE: &str = "scale";

struct Options {
    resources: usize,
    databases: usize,
    drift_interval: u64,
    operator: PathBuf,
}

fn options() -> Options {
    let mut options = Options {
        resources: 500,
        databases: 50,
        drift_interval: 30,
        operator: Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/release/driftless"),
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    for pair in args.chunks(2) {
        let value = pair.get(1).unwrap_or_else(|| panic!("{} needs a value", pair[0]));
        match pair[0].as_str() {
            "--resources" => options.resources = value.parse().expect("--resources N"),
            "--databases" => options.databases = value.parse().expect("--databases N"),
            "--drift-interval" => options.drift_interval = value.parse().expect("--drift-interval SECONDS"),
            "--operator" => options.operator = PathBuf::from(value),
            other => panic!("unknown option {other} (--resources, --databases, --drift-interval, --operator)"),
        }
    }
    options
}

#[tokio::main]
async fn main() {
    let options = options();
    let server = ApiServer::start().await.expect("starting kube-apiserver and etcd");
    server
        .install_crd(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../crds/driftless.dev_databaseschemas.yaml"))
        .await
        .unwrap();
    server.create_namespace(NAMESPACE).await.unwrap();
    let mut databases = Vec::new();
    for _ in 0..options.databases {
        databases.push(TestDb::postgres().await);
    }

    let metrics_addr = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let mut operator = Command::new(&options.operator)
        .args(["operator", "--metrics-addr", &metrics_addr.to_string(), "--namespace", NAMESPACE, "--log", "warn"])
        .env("KUBECONFIG", server.kubeconfig_path())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("starting {} (build it with cargo build --release): {e}", options.operator.display())
        });
    let pid = operator.id();

    // Each resource manages a schema of its own, so that ten resources share a database without touching
    // each other's tables.
    let api: Api<DatabaseSchema> = Api::namespaced(server.client(), NAMESPACE);
    let started = Instant::now();
    for index in 0..options.resources {
        let db = &databases[index % databases.len()];
        let spec = DatabaseSchemaSpec {
            url: Some(db.url().to_string()),
            schemas: vec![format!("r{index}")],
            drift_check_interval: Some(format!("{}s", options.drift_interval)),
            schema: SchemaSource { sql: Some(schema_sql(index)), config_map_key_ref: None },
            ..Default::default()
        };
        api.create(&PostParams::default(), &DatabaseSchema::new(&format!("r{index}"), spec)).await.unwrap();
    }
    let created = started.elapsed();
    wait_all_ready(&api, options.resources, &mut operator).await;
    let all_ready = started.elapsed();
    let (rss_ready, peak_ready) = memory_kib(pid);

    // Drift cycles: every resource re-inspects its database once per interval; the CPU the operator uses
    // over two intervals, halved, is one cycle's cost.
    let cpu_before = cpu_seconds(pid);
    tokio::time::sleep(Duration::from_secs(options.drift_interval * 2)).await;
    let cpu_per_cycle = (cpu_seconds(pid) - cpu_before) / 2.0;
    let (rss_after, peak) = memory_kib(pid);
    let _ = operator.kill();
    let _ = operator.wait();

    println!(
        "Operator scale: {} resources over {} PostgreSQL databases (drift check every {} s)",
        options.resources, options.databases, options.drift_interval
    );
    println!("| measure | value |");
    println!("|---|---|");
    println!("| create {} resources (API calls) | {:.1} s |", options.resources, created.as_secs_f64());
    println!("| until all Ready (from the first create) | {:.1} s |", all_ready.as_secs_f64());
    println!("| operator RSS when all Ready | {:.1} MiB |", rss_ready as f64 / 1024.0);
    println!("| operator RSS after two drift cycles | {:.1} MiB |", rss_after as f64 / 1024.0);
    println!(
        "| operator peak RSS | {:.1} MiB (at Ready: {:.1} MiB) |",
        peak as f64 / 1024.0,
        peak_ready as f64 / 1024.0
    );
    println!("| CPU per drift cycle ({} re-inspections) | {:.2} s |", options.resources, cpu_per_cycle);
    println!("| CPU per re-inspection | {:.1} ms |", cpu_per_cycle * 1000.0 / options.resources as f64);
}

fn schema_sql(index: usize) -> String {
    format!(
        "create schema r{index};\n\
         create table r{index}.customers (id bigint generated always as identity primary key, email text not null unique, created_at timestamptz not null default now());\n\
         create table r{index}.orders (id bigint generated always as identity primary key, customer_id bigint not null references r{index}.customers (id), total numeric(12,2) not null check (total >= 0));\n\
         create index on r{index}.orders (customer_id);\n"
    )
}

async fn wait_all_ready(api: &Api<DatabaseSchema>, expected: usize, operator: &mut Child) {
    loop {
        let list = api.list(&ListParams::default()).await.unwrap();
        let ready =
            list.items
                .iter()
                .filter(|resource| {
                    resource.status.as_ref().is_some_and(|status| {
                        status.conditions.iter().any(|c| c.type_ == "Ready" && c.status == "True")
                    })
                })
                .count();
        if ready == expected {
            return;
        }
        if let Some(status) = operator.try_wait().unwrap() {
            panic!("the operator exited ({status}) with {ready}/{expected} ready");
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// (VmRSS, VmHWM) in KiB.
fn memory_kib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|line| line.starts_with(name))
            .and_then(|line| line.split_whitespace().nth(1))
            .and_then(|kib| kib.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// User + system CPU time of a process.
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // fields after the command name (which may contain spaces) start at state, field 3
    let after_name = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or_default();
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks: f64 = fields
        .get(11)
        .zip(fields.get(12))
        .map_or(0.0, |(user, system)| user.parse::<f64>().unwrap_or(0.0) + system.parse::<f64>().unwrap_or(0.0));
    // USER_HZ is 100 on Linux
    ticks / 100.0
}
