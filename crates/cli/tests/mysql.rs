//! The seed's AtlasSchema example on a real MariaDB, through the `driftless` binary: create `users` (MySQL
//! syntax, auto_increment), add `age`, a drop of `email` blocked by `policy.lint.destructive.error: true`
//! (exit 3, table untouched), then allowed; after each apply the live schema is checked and a re-plan is
//! empty.

mod support;

use driftless_testkit::TestDb;
use sqlx::MySqlConnection;
use std::path::PathBuf;
use support::{Run, driftless};

fn manifest(step: &str) -> String {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "../../testdata/atlas/mysql", step].iter().collect();
    path.display().to_string()
}

/// `name type nullable` of every column of `users`, in order.
async fn columns(conn: &mut MySqlConnection, database: &str) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT CAST(CONCAT(COLUMN_NAME, ' ', COLUMN_TYPE, ' ', IS_NULLABLE, ' ', EXTRA) AS CHAR) \
         FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'users' ORDER BY ORDINAL_POSITION",
    )
    .bind(database)
    .fetch_all(conn)
    .await
    .unwrap()
    .into_iter()
    .map(|line: String| line.trim_end().to_string())
    .collect()
}

async fn unique_keys(conn: &mut MySqlConnection, database: &str) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT CAST(CONCAT(INDEX_NAME, ' ', COLUMN_NAME) AS CHAR) FROM information_schema.STATISTICS \
         WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'users' AND NON_UNIQUE = 0 ORDER BY INDEX_NAME, SEQ_IN_INDEX",
    )
    .bind(database)
    .fetch_all(conn)
    .await
    .unwrap()
}

fn apply(url: &str, step: &str) -> Run {
    driftless(&["apply", "-f", &manifest(step), "--url", url, "--auto-approve"])
}

fn assert_in_sync(url: &str, step: &str) {
    let replan = driftless(&["plan", "-f", &manifest(step), "--url", url, "--detailed-exitcode"]);
    assert_eq!(replan.code, 0, "re-plan after {step} is not empty:\n{}{}", replan.stdout, replan.stderr);
}

#[tokio::test]
async fn the_atlas_schema_sequence_on_mariadb() {
    let db = TestDb::mysql().await;
    let url = db.url();
    let mut conn = db.connect_mysql().await;

    let step1 = apply(url, "01-create-users.yaml");
    assert_eq!(step1.code, 0, "{}{}", step1.stdout, step1.stderr);
    assert!(step1.stdout.contains("CREATE TABLE"), "{}", step1.stdout);
    assert!(!step1.stdout.contains("root:root"), "no password in output");
    assert_eq!(
        columns(&mut conn, db.name()).await,
        ["id int(11) NO auto_increment", "name varchar(255) NO", "email varchar(255) NO", "short_bio varchar(255) NO"]
    );
    assert_eq!(unique_keys(&mut conn, db.name()).await, ["email email", "PRIMARY id"]);
    assert_in_sync(url, "01-create-users.yaml");

    let step2 = apply(url, "02-add-age.yaml");
    assert_eq!(step2.code, 0, "{}{}", step2.stdout, step2.stderr);
    assert!(step2.stdout.contains("ADD COLUMN age int(11) NOT NULL"), "{}", step2.stdout);
    assert_eq!(columns(&mut conn, db.name()).await.last().unwrap(), "age int(11) NO");
    assert_in_sync(url, "02-add-age.yaml");

    let before = columns(&mut conn, db.name()).await;
    let step3 = apply(url, "03-drop-email-blocked.yaml");
    assert_eq!(step3.code, 3, "blocked by the lint policy:\n{}{}", step3.stdout, step3.stderr);
    assert!(format!("{}{}", step3.stdout, step3.stderr).contains("DS103"), "{}{}", step3.stdout, step3.stderr);
    assert_eq!(columns(&mut conn, db.name()).await, before, "the table is untouched");
    assert_eq!(unique_keys(&mut conn, db.name()).await, ["email email", "PRIMARY id"]);

    let step4 = apply(url, "04-drop-email-allowed.yaml");
    assert_eq!(step4.code, 0, "{}{}", step4.stdout, step4.stderr);
    assert_eq!(
        columns(&mut conn, db.name()).await,
        ["id int(11) NO auto_increment", "name varchar(255) NO", "short_bio varchar(255) NO", "age int(11) NO"]
    );
    assert_eq!(unique_keys(&mut conn, db.name()).await, ["PRIMARY id"]);
    assert_in_sync(url, "04-drop-email-allowed.yaml");
}

#[tokio::test]
async fn a_failing_statement_is_named_and_a_rerun_converges() {
    let db = TestDb::mysql().await;
    let url = db.url();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("schema.sql");
    std::fs::write(&file, "create table t (id int primary key, code varchar(10));\n").unwrap();
    let file = file.display().to_string();
    assert_eq!(driftless(&["apply", "--url", url, "--file", &file, "--auto-approve"]).code, 0);
    sqlx::raw_sql("insert into t values (1, 'a'), (2, 'a')").execute(&mut db.connect_mysql().await).await.unwrap();

    // the counted duplicates stop the plan before anything runs
    std::fs::write(&file, "create table t (id int primary key, code varchar(10) unique, note text);\n").unwrap();
    let refused = driftless(&["apply", "--url", url, "--file", &file, "--auto-approve"]);
    assert_eq!(refused.code, 1, "{}{}", refused.stdout, refused.stderr);
    assert!(refused.stderr.contains("will fail: 2 rows in the way"), "{}", refused.stderr);
    let markdown = driftless(&["plan", "--url", url, "--file", &file, "--format", "markdown"]);
    assert!(markdown.stdout.contains("**will fail: 2 rows in the way**"), "{}", markdown.stdout);

    // forced, the new column is added, then the unique key fails on the duplicate rows
    let failed = driftless(&["apply", "--url", url, "--file", &file, "--auto-approve", "--force"]);
    assert_eq!(failed.code, 1, "{}{}", failed.stdout, failed.stderr);
    assert!(failed.stderr.contains("statement 2 failed"), "{}", failed.stderr);
    assert!(failed.stderr.contains("Duplicate entry"), "the server's error: {}", failed.stderr);
    assert!(failed.stderr.contains("statement 1 had been committed"), "{}", failed.stderr);

    sqlx::raw_sql("update t set code = 'b' where id = 2").execute(&mut db.connect_mysql().await).await.unwrap();
    let rerun = driftless(&["apply", "--url", url, "--file", &file, "--auto-approve"]);
    assert_eq!(rerun.code, 0, "{}{}", rerun.stdout, rerun.stderr);
    assert!(rerun.stdout.contains("ADD UNIQUE INDEX code"), "only what is left: {}", rerun.stdout);
    assert!(!rerun.stdout.contains("ADD COLUMN"), "the column is there already: {}", rerun.stdout);
    assert_eq!(driftless(&["plan", "--url", url, "--file", &file, "--detailed-exitcode"]).code, 0);
}

#[tokio::test]
async fn inspect_output_plans_empty_against_its_own_database() {
    let db = TestDb::mysql().await;
    let dir = tempfile::tempdir().unwrap();
    let schema = dir.path().join("schema.sql");
    std::fs::write(
        &schema,
        "create table teams (id int auto_increment primary key, name varchar(50) not null unique) comment 'teams';
         create table members (id bigint unsigned not null auto_increment, team_id int, email varchar(255) \
           character set latin1, joined timestamp not null default current_timestamp on update current_timestamp, \
           primary key (id), key (email(20)), constraint members_team foreign key (team_id) references teams (id) \
           on delete cascade, check (team_id > 0));
         create view named_teams as select id, name from teams where name <> '';\n",
    )
    .unwrap();
    let schema = schema.display().to_string();
    let apply = driftless(&["apply", "--url", db.url(), "--file", &schema, "--auto-approve"]);
    assert_eq!(apply.code, 0, "{}{}", apply.stdout, apply.stderr);

    let dump = driftless(&["inspect", "--url", db.url()]);
    assert_eq!(dump.code, 0, "{}", dump.stderr);
    let dumped = dir.path().join("dump.sql");
    std::fs::write(&dumped, &dump.stdout).unwrap();
    let replan =
        driftless(&["plan", "--url", db.url(), "--file", &dumped.display().to_string(), "--detailed-exitcode"]);
    assert_eq!(replan.code, 0, "inspect output:\n{}\nplan:\n{}{}", dump.stdout, replan.stdout, replan.stderr);
}

#[tokio::test]
async fn a_generated_column_that_becomes_regular_keeps_its_values() {
    let db = TestDb::mysql().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("schema.sql");
    std::fs::write(&file, "create table t (id int primary key, price int, doubled int as (price * 2) stored);\n")
        .unwrap();
    let file = file.display().to_string();
    assert_eq!(driftless(&["apply", "--url", db.url(), "--file", &file, "--auto-approve"]).code, 0);
    let mut conn = db.connect_mysql().await;
    sqlx::raw_sql("insert into t (id, price) values (1, 10), (2, 21)").execute(&mut conn).await.unwrap();

    std::fs::write(&file, "create table t (id int primary key, price int, doubled int not null default 0);\n").unwrap();
    let apply = driftless(&["apply", "--url", db.url(), "--file", &file, "--auto-approve"]);
    assert_eq!(apply.code, 0, "{}{}", apply.stdout, apply.stderr);
    let values: Vec<(i32, i32)> =
        sqlx::query_as("select id, doubled from t order by id").fetch_all(&mut conn).await.unwrap();
    assert_eq!(values, [(1, 20), (2, 42)]);
    sqlx::raw_sql("update t set price = 100 where id = 1").execute(&mut conn).await.unwrap();
    let doubled: i32 = sqlx::query_scalar("select doubled from t where id = 1").fetch_one(&mut conn).await.unwrap();
    assert_eq!(doubled, 20, "no longer computed");
    assert_eq!(driftless(&["plan", "--url", db.url(), "--file", &file, "--detailed-exitcode"]).code, 0);
}
