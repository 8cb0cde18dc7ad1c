//! Directives in MySQL and SQLite schemas, through the `driftless` binary, as on PostgreSQL (`cli.rs`): a
//! `nolint` lets a dropped column through that lint blocks otherwise (exit 3), and rename hints keep the rows.

mod support;

use driftless_testkit::TestDb;
use serde_json::Value;
use sqlx::{ConnectOptions, Executor, Row};
use std::path::Path;
use support::driftless;

const FIRST: &str = "create table accounts (id int primary key, login varchar(50), legacy text);";
const WITHOUT_LEGACY: &str = "create table accounts (id int primary key, login varchar(50));";

/// `table` (`accounts`, or a new name with its hint), `login` renamed to `name`, and `legacy` dropped with a
/// suppression; `marker` starts a line comment.
fn with_directives(marker: &str, table: &str) -> String {
    format!(
        "{marker} driftless:nolint DS103 -- legacy was archived\n\
         create table {table}\n  \
           id int primary key,\n  \
           name varchar(50) {marker} driftless:renamed from=login\n\
         );\n"
    )
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

fn apply(url: &str, file: &str) -> support::Run {
    driftless(&["apply", "--url", url, "--file", file, "--auto-approve"])
}

/// Creates `accounts`; the caller then adds a row.
fn create_accounts(url: &str, dir: &Path) {
    let created = apply(url, &write(dir, "first.sql", FIRST));
    assert_eq!(created.code, 0, "{}{}", created.stdout, created.stderr);
}

/// The drop is blocked without the directive; with the directives, the plan renames, drops the suppressed
/// column (findings `codes`, the last one suppressed), applies, and a re-plan is empty.
fn directives_apply(url: &str, dir: &Path, desired: &str, codes: &[&str]) {
    let blocked = apply(url, &write(dir, "plain.sql", WITHOUT_LEGACY));
    assert_eq!(blocked.code, 3, "DS103 blocks without the directive:\n{}{}", blocked.stdout, blocked.stderr);

    let file = write(dir, "schema.sql", desired);
    let plan = driftless(&["plan", "--url", url, "--file", &file, "--format", "json"]);
    assert_eq!(plan.code, 0, "{}{}", plan.stdout, plan.stderr);
    let json: Value = serde_json::from_str(&plan.stdout).unwrap();
    assert_eq!(json["blocked"], false, "{json:#}");
    let findings: Vec<(&str, Option<u64>)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| (finding["code"].as_str().unwrap(), finding["suppressed"]["line"].as_u64()))
        .collect();
    let (suppressed, others) = codes.split_last().unwrap();
    let expected: Vec<(&str, Option<u64>)> =
        others.iter().map(|code| (*code, None)).chain([(*suppressed, Some(1))]).collect();
    assert_eq!(findings, expected);

    let applied = apply(url, &file);
    assert_eq!(applied.code, 0, "{}{}", applied.stdout, applied.stderr);
    let replan = driftless(&["plan", "--url", url, "--file", &file, "--detailed-exitcode"]);
    assert_eq!(replan.code, 0, "re-plan not empty:\n{}{}", replan.stdout, replan.stderr);
}

#[tokio::test]
async fn mariadb_reads_nolint_and_rename_hints() {
    let db = TestDb::mysql().await;
    let dir = tempfile::tempdir().unwrap();
    create_accounts(db.url(), dir.path());
    let mut conn = db.connect_mysql().await;
    conn.execute("insert into accounts values (1, 'ada', 'x')").await.unwrap();

    // `#` is a MySQL comment too
    let desired = with_directives("#", "users ( # driftless:renamed from=accounts");
    directives_apply(db.url(), dir.path(), &desired, &["BC101", "BC102", "DS103"]);
    let row = sqlx::query("select * from users").fetch_one(&mut conn).await.unwrap();
    let columns: Vec<&str> = row.columns().iter().map(sqlx::Column::name).collect();
    assert_eq!(columns, ["id", "name"]);
    assert_eq!((row.get::<i32, _>("id"), row.get::<String, _>("name")), (1, "ada".into()));
}

#[tokio::test]
async fn sqlite_reads_nolint_and_rename_hints() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.db");
    let url = format!("sqlite://{}", path.display());
    create_accounts(&url, dir.path());
    let options = sqlx::sqlite::SqliteConnectOptions::new().filename(&path);
    let mut conn = options.connect().await.unwrap();
    conn.execute("insert into accounts values (1, 'ada', 'x')").await.unwrap();
    drop(conn);

    // the table keeps its name: a renamed table's primary key would need a rename SQLite has no statement for
    let desired = with_directives("--", "accounts (");
    directives_apply(&url, dir.path(), &desired, &["BC102", "DS103"]);
    let mut conn = options.connect().await.unwrap();
    let row = sqlx::query("select * from accounts").fetch_one(&mut conn).await.unwrap();
    let columns: Vec<&str> = row.columns().iter().map(sqlx::Column::name).collect();
    assert_eq!(columns, ["id", "name"]);
    assert_eq!((row.get::<i64, _>("id"), row.get::<String, _>("name")), (1, "ada".into()));
}
