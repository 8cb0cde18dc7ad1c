//! The `driftless` binary run as a user runs it, against a real PostgreSQL: exit codes, output formats,
//! messages, and the schema left behind.

mod support;

use driftless_testkit::TestDb;
use serde_json::Value;
use sqlx::Executor;
use std::path::Path;
use support::driftless;

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

const SCHEMA: &str = "create table users (\n  id bigint generated always as identity primary key,\n  \
    email varchar(255) not null unique\n);\ncreate index users_email_lower_idx on users (lower(email));\n";

#[tokio::test]
async fn plan_apply_and_replan_with_exit_codes() {
    let db = TestDb::postgres().await;
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "schema.sql", SCHEMA);

    let plan = driftless(&["plan", "--url", db.url(), "--file", &file, "--detailed-exitcode"]);
    assert_eq!(plan.code, 2, "changes pending: {}", plan.stderr);
    assert!(plan.stdout.contains("CREATE TABLE"), "{}", plan.stdout);
    assert_eq!(driftless(&["plan", "--url", db.url(), "--file", &file]).code, 0);

    let apply = driftless(&["apply", "--url", db.url(), "--file", &file, "--auto-approve"]);
    assert_eq!(apply.code, 0, "{}", apply.stderr);
    assert!(apply.stdout.contains("Applied"), "{}", apply.stdout);

    let replan = driftless(&["plan", "--url", db.url(), "--file", &file, "--detailed-exitcode"]);
    assert_eq!(replan.code, 0, "in sync after apply: {}{}", replan.stdout, replan.stderr);
    assert!(replan.stdout.starts_with("In sync"), "{}", replan.stdout);
}

#[tokio::test]
async fn json_and_markdown_formats() {
    let db = TestDb::postgres().await;
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "schema.sql", SCHEMA);

    let json = driftless(&["plan", "--url", db.url(), "--file", &file, "--format", "json"]);
    let value: Value = serde_json::from_str(&json.stdout).expect("valid JSON");
    assert_eq!(value["format_version"], 1);
    assert_eq!(value["in_sync"], false);
    assert_eq!(value["blocked"], false);
    assert_eq!(value["changes"][0]["kind"], "create_table");
    assert_eq!(value["statements"][0]["change"], 0);
    assert_eq!(value["plan_hash"].as_str().unwrap().len(), 16);
    assert!(!value["database"].as_str().unwrap().contains("postgres:postgres@"), "no password in output");

    let markdown = driftless(&["plan", "--url", db.url(), "--file", &file, "--format", "markdown"]);
    assert!(markdown.stdout.starts_with("### Driftless plan `"), "{}", markdown.stdout);
    assert!(markdown.stdout.contains("```sql\nCREATE TABLE"), "{}", markdown.stdout);
}

#[tokio::test]
async fn statements_accepted_without_effect_are_counted_in_every_format() {
    let db = TestDb::postgres().await;
    let dir = tempfile::tempdir().unwrap();
    let dump = "CREATE TABLE public.t (id integer);\nALTER TABLE public.t OWNER TO postgres;\n\
        CREATE SEQUENCE public.s;\nALTER SEQUENCE public.s OWNER TO postgres;\n\
        SELECT pg_catalog.setval('public.s', 42, true);\n";
    let file = write(dir.path(), "dump.sql", dump);
    let line = "3 statements accepted and not managed: 2 OWNER TO, 1 setval";

    let plan = driftless(&["plan", "--url", db.url(), "--file", &file]);
    assert!(plan.stdout.contains(line), "{}", plan.stdout);
    let markdown = driftless(&["plan", "--url", db.url(), "--file", &file, "--format", "markdown"]);
    assert!(markdown.stdout.contains(line), "{}", markdown.stdout);
    let json: Value =
        serde_json::from_str(&driftless(&["plan", "--url", db.url(), "--file", &file, "--format", "json"]).stdout)
            .expect("valid JSON");
    assert_eq!(json["not_managed"]["ownership"], 2);
    assert_eq!(json["not_managed"]["sequence_values"], 1);

    assert_eq!(driftless(&["apply", "--url", db.url(), "--file", &file, "--auto-approve"]).code, 0);
    let replan = driftless(&["plan", "--url", db.url(), "--file", &file]);
    assert!(replan.stdout.starts_with("In sync"), "{}", replan.stdout);
    assert!(replan.stdout.contains(line), "in sync says it too: {}", replan.stdout);
}

#[tokio::test]
async fn destructive_changes_exit_3_until_allowed() {
    let db = TestDb::postgres().await;
    let mut conn = db.connect().await;
    conn.execute(sqlx::raw_sql("create table users (id int); create table legacy (id int);")).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "schema.sql", "create table users (id int);");

    let blocked = driftless(&["apply", "--url", db.url(), "--file", &file, "--auto-approve"]);
    assert_eq!(blocked.code, 3, "{}{}", blocked.stdout, blocked.stderr);
    assert!(blocked.stdout.contains("DS102"), "{}", blocked.stdout);
    let markdown = driftless(&["plan", "--url", db.url(), "--file", &file, "--format", "markdown"]);
    assert_eq!(markdown.code, 3);
    assert!(markdown.stdout.contains("| ❌ error | `DS102` | drop_table |"), "{}", markdown.stdout);

    let allowed = driftless(&["apply", "--url", db.url(), "--file", &file, "--auto-approve", "--allow-destructive"]);
    assert_eq!(allowed.code, 0, "{}", allowed.stderr);
    assert_eq!(driftless(&["plan", "--url", db.url(), "--file", &file, "--detailed-exitcode"]).code, 0);
}

#[tokio::test]
async fn a_nolint_drop_is_not_blocked_and_stays_visible() {
    let db = TestDb::postgres().await;
    let mut conn = db.connect().await;
    conn.execute(sqlx::raw_sql("create table users (id int, legacy text); insert into users values (1, 'x');"))
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let plain = write(dir.path(), "plain.sql", "create table users (id int);");
    let blocked = driftless(&["apply", "--url", db.url(), "--file", &plain, "--auto-approve"]);
    assert_eq!(blocked.code, 3, "{}{}", blocked.stdout, blocked.stderr);

    let file = write(dir.path(), "schema.sql", "create table users (id int); -- driftless:nolint DS103\n");
    let plan = driftless(&["plan", "--url", db.url(), "--file", &file, "--format", "json"]);
    assert_eq!(plan.code, 0, "{}{}", plan.stdout, plan.stderr);
    let json: Value = serde_json::from_str(&plan.stdout).unwrap();
    assert_eq!(json["blocked"], false);
    assert_eq!(json["findings"][0]["code"], "DS103");
    assert_eq!(json["findings"][0]["suppressed"]["line"], 1);
    let text = driftless(&["plan", "--url", db.url(), "--file", &file]);
    assert!(text.stdout.contains("suppressed DS103 column legacy of public.users is dropped"), "{}", text.stdout);
    assert!(text.stdout.contains("Findings: 0 errors, 0 warnings, 1 suppressed"), "{}", text.stdout);

    let applied = driftless(&["apply", "--url", db.url(), "--file", &file, "--auto-approve"]);
    assert_eq!(applied.code, 0, "{}{}", applied.stdout, applied.stderr);
    assert_eq!(driftless(&["plan", "--url", db.url(), "--file", &file, "--detailed-exitcode"]).code, 0);
}

#[tokio::test]
async fn an_atlas_schema_manifest_is_read_as_it_is() {
    let db = TestDb::postgres().await;
    let dir = tempfile::tempdir().unwrap();
    let manifest = write(
        dir.path(),
        "schema.yaml",
        "apiVersion: db.atlasgo.io/v1alpha1\nkind: AtlasSchema\nmetadata:\n  name: app\nspec:\n  \
         urlFrom:\n    secretKeyRef: {name: db, key: url}\n  devURL: postgres://dev\n  schema:\n    sql: |\n      \
         create table t (id serial primary key);\n",
    );
    let apply = driftless(&["apply", "--url", db.url(), "-f", &manifest, "--auto-approve"]);
    assert_eq!(apply.code, 0, "{}{}", apply.stdout, apply.stderr);
    assert_eq!(driftless(&["plan", "--url", db.url(), "-f", &manifest, "--detailed-exitcode"]).code, 0);
}

#[tokio::test]
async fn inspect_output_plans_empty_against_its_own_database() {
    let db = TestDb::postgres().await;
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "schema.sql", SCHEMA);
    assert_eq!(driftless(&["apply", "--url", db.url(), "--file", &file, "--auto-approve"]).code, 0);

    let dump = driftless(&["inspect", "--url", db.url()]);
    assert_eq!(dump.code, 0, "{}", dump.stderr);
    let dumped = write(dir.path(), "dump.sql", &dump.stdout);
    let replan = driftless(&["plan", "--url", db.url(), "--file", &dumped, "--detailed-exitcode"]);
    assert_eq!(replan.code, 0, "inspect output:\n{}\nplan:\n{}", dump.stdout, replan.stdout);

    let json = driftless(&["inspect", "--url", db.url(), "--format", "json"]);
    let model: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(model["schemas"]["public"]["tables"]["users"]["columns"][1]["data_type"], "character varying(255)");
}

#[tokio::test]
async fn non_ddl_is_rejected_with_its_line_and_nothing_runs() {
    let db = TestDb::postgres().await;
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "schema.sql", "create table t (id int);\n\ninsert into t values (1);\n");
    let run = driftless(&["apply", "--url", db.url(), "--file", &file, "--auto-approve"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("schema.sql: line 3"), "{}", run.stderr);
    let tables: i64 = sqlx::query_scalar("select count(*) from pg_tables where schemaname = 'public'")
        .fetch_one(&mut db.connect().await)
        .await
        .unwrap();
    assert_eq!(tables, 0);
}

#[test]
fn usage_errors_exit_64_and_never_print_passwords() {
    assert_eq!(driftless(&["plan"]).code, 64);
    assert_eq!(driftless(&["frobnicate"]).code, 64);
    assert_eq!(driftless(&["--help"]).code, 0);
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "schema.sql", "create table t (id int);");
    let no_url = driftless(&["plan", "--file", &file]);
    assert_eq!(no_url.code, 64);
    assert!(no_url.stderr.contains("pass --url or set DATABASE_URL"), "{}", no_url.stderr);

    // Nothing listens on port 1: the connection error names the database without its password.
    let refused =
        driftless(&["plan", "--url", "postgres://app:hunter2@127.0.0.1:1/app?password=hunter2", "--file", &file]);
    assert_eq!(refused.code, 1);
    assert!(refused.stderr.contains("connecting to postgres://app@127.0.0.1:1/app"), "{}", refused.stderr);
    assert!(!refused.stderr.contains("hunter2"), "{}", refused.stderr);
}

#[tokio::test]
async fn apply_without_a_terminal_needs_auto_approve() {
    let db = TestDb::postgres().await;
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "schema.sql", "create table t (id int);");
    let run = driftless(&["apply", "--url", db.url(), "--file", &file]);
    assert_eq!(run.code, 64, "{}", run.stderr);
    assert!(run.stderr.contains("--auto-approve"), "{}", run.stderr);
    assert!(run.stdout.contains("CREATE TABLE"), "the plan is still shown: {}", run.stdout);
}

#[tokio::test]
async fn skip_lint_and_online_flags() {
    let db = TestDb::postgres().await;
    let mut conn = db.connect().await;
    conn.execute(sqlx::raw_sql(
        "create table users (id int, email text); create table legacy (id int);
         insert into users values (1, 'a@x'), (2, 'a@x');",
    ))
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "schema.sql",
        "create table users (id int, email text);\ncreate index users_email_idx on users (email);\n",
    );
    let plan = |extra: &[&str]| {
        let mut args = vec!["plan", "--url", db.url(), "--file", file.as_str()];
        args.extend_from_slice(extra);
        driftless(&args)
    };

    let blocked = plan(&[]);
    assert_eq!(blocked.code, 3, "the drop of legacy blocks: {}", blocked.stdout);

    let json = plan(&["--skip", "drop_table", "--format", "json"]);
    assert_eq!(json.code, 0, "{}{}", json.stdout, json.stderr);
    let value: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(value["skipped"][0]["kind"], "drop_table");
    assert!(value["changes"].as_array().unwrap().iter().all(|c| c["kind"] != "drop_table"));
    let finding = &value["findings"][0];
    assert_eq!((finding["code"].as_str(), finding["severity"].as_str()), (Some("PG101"), Some("warning")));
    assert_eq!(finding["analyzer"], "lock_hazard");
    assert_eq!(finding["statement"], 0);

    let strict = plan(&["--skip", "drop_table", "--lint", "lock_hazard=error"]);
    assert_eq!(strict.code, 3, "{}", strict.stdout);
    assert!(
        strict.stdout.contains("error PG101 index users_email_idx is built without CONCURRENTLY"),
        "{}",
        strict.stdout
    );
    assert!(strict.stdout.contains("1 change skipped by policy.diff.skip: drop_table"), "{}", strict.stdout);
    let quiet = plan(&["--skip", "drop_table", "--lint", "lock_hazard=off", "--format", "json"]);
    assert_eq!(serde_json::from_str::<Value>(&quiet.stdout).unwrap()["findings"], Value::Array(vec![]));

    let markdown = plan(&["--skip", "drop_table", "--concurrent-index", "--format", "markdown"]);
    assert_eq!(markdown.code, 0, "{}", markdown.stdout);
    assert!(
        markdown.stdout.contains("-- runs alone, outside a transaction\nCREATE INDEX CONCURRENTLY users_email_idx"),
        "{}",
        markdown.stdout
    );

    let apply = driftless(&[
        "apply",
        "--url",
        db.url(),
        "--file",
        &file,
        "--auto-approve",
        "--skip",
        "drop_table",
        "--concurrent-index",
    ]);
    assert_eq!(apply.code, 0, "{}{}", apply.stdout, apply.stderr);
    let legacy: bool =
        sqlx::query_scalar("select to_regclass('legacy') is not null").fetch_one(&mut conn).await.unwrap();
    assert!(legacy, "a skipped drop leaves the table in place");
    assert_eq!(plan(&["--skip", "drop_table", "--detailed-exitcode"]).code, 0);

    let unique = write(
        dir.path(),
        "unique.sql",
        "create table users (id int, email text unique);\ncreate index users_email_idx on users (email);\n",
    );
    let data = driftless(&[
        "plan",
        "--url",
        db.url(),
        "--file",
        &unique,
        "--skip",
        "drop_table",
        "--lint",
        "data_dependent=error",
        "--format",
        "markdown",
    ]);
    assert_eq!(data.code, 3, "{}", data.stdout);
    assert!(data.stdout.contains("| ❌ error | `MF101` | add_unique |"), "{}", data.stdout);
    assert!(data.stdout.contains("(2 rows in the way now)"), "{}", data.stdout);

    assert_eq!(plan(&["--skip", "drop_everything"]).code, 64);
    assert_eq!(plan(&["--lint", "destructive=maybe"]).code, 64);
}

#[tokio::test]
async fn tls_is_used_when_the_url_asks_for_it_and_certificates_are_verified() {
    // Debian's PostgreSQL serves TLS with a self-signed ("snakeoil") certificate.
    let db = TestDb::postgres().await;
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "schema.sql", "create table t (id int);\n");
    let with_mode = |mode: &str| format!("{}?sslmode={mode}", db.url());

    let encrypted = driftless(&["apply", "--url", &with_mode("require"), "--file", &file, "--auto-approve"]);
    assert_eq!(encrypted.code, 0, "sslmode=require encrypts without checking the certificate: {}", encrypted.stderr);

    let verified = driftless(&["plan", "--url", &with_mode("verify-full"), "--file", &file]);
    assert_eq!(verified.code, 1, "a self-signed certificate is not trusted: {}", verified.stdout);
    assert!(verified.stderr.contains("certificate") || verified.stderr.contains("Certificate"), "{}", verified.stderr);
    assert!(!verified.stderr.contains(":postgres@"), "no password in errors: {}", verified.stderr);
}
