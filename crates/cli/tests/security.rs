//! Regressions of the security review, through the `driftless` binary as a user runs it: no password in any
//! output, no output that can forge a pull-request comment or drive a terminal, strict manifests, and limits on
//! what is read.

mod support;

use driftless_testkit::TestDb;
use std::path::Path;
use support::driftless;

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

const SECRET: &str = "918273645";

fn all_output(run: &support::Run) -> String {
    format!("{}{}", run.stdout, run.stderr)
}

#[test]
fn diff_never_prints_a_password_whatever_the_scheme_spelling() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "s.sql", "create table t (id int);");
    for from in [
        "Postgres://u:918273645@127.0.0.1:1/db",
        "postgre://u:918273645@127.0.0.1:1/db",
        "pg://u:918273645@127.0.0.1:1/db",
        "PostgreSQL://u:918273645@127.0.0.1:1/db",
        " postgres://u:918273645@127.0.0.1:1/db",
        "MYSQL://u:918273645@127.0.0.1:1/db",
    ] {
        let run = driftless(&["diff", "--from", from, "--to", &file]);
        assert_eq!(run.code, 1, "{from}: {}", all_output(&run));
        assert!(!all_output(&run).contains(SECRET), "{from}: {}", all_output(&run));
        assert!(!all_output(&run).contains("reading"), "{from} was read as a file: {}", all_output(&run));
    }
    let run = driftless(&["diff", "--from", "pg://u:918273645@h/db", "--to", &file]);
    assert!(run.stderr.contains("unsupported scheme `pg`"), "{}", run.stderr);
    let run = driftless(&["plan", "--url", "postgres://u@127.0.0.1:1/db", "--file", "Postgres://u:918273645@h/db"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("is a database URL, not a file") && !run.stderr.contains(SECRET), "{}", run.stderr);
}

#[test]
fn url_parameter_values_never_show() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "s.sql", "create table t (id int);");
    for url in [
        "postgres://u@127.0.0.1:1/db?sslmode=918273645",
        "postgres://u@127.0.0.1:1/db?ssl-mode=918273645",
        "mysql://u@127.0.0.1:1/db?ssl-mode=918273645",
        "sqlite:///nonexistent/dir/a.db?mode=918273645",
    ] {
        let run = driftless(&["plan", "--url", url, "--file", &file]);
        assert_eq!(run.code, 1, "{url}");
        assert!(run.stderr.contains("invalid value for the URL parameter"), "{url}: {}", run.stderr);
        assert!(!all_output(&run).contains(SECRET), "{url}: {}", all_output(&run));
    }
}

#[tokio::test]
async fn unknown_url_parameters_are_not_logged_with_their_values() {
    let db = TestDb::postgres().await;
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "s.sql", "create table t (id int);");
    let url = format!("{}{}passwd={SECRET}", db.url(), if db.url().contains('?') { '&' } else { '?' });
    for log in ["warn", "trace"] {
        let run = driftless(&["plan", "--log", log, "--url", &url, "--file", &file]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(!all_output(&run).contains(SECRET), "{}", all_output(&run));
    }
    let run = driftless(&["plan", "--url", &url, "--file", &file]);
    assert!(run.stderr.contains("passwd"), "the dropped parameter is named: {}", run.stderr);
    assert!(!run.stderr.contains('\x1b'), "no colour when stderr is not a terminal: {:?}", run.stderr);
}

#[tokio::test]
async fn mysql_password_parameter_is_honoured() {
    let db = TestDb::mysql().await;
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "s.sql", "create table t (id int);");
    let with_password = url::Url::parse(db.url()).unwrap();
    let password = with_password.password().expect("the test database has a password").to_string();
    let mut moved = with_password.clone();
    moved.set_password(None).unwrap();
    moved.query_pairs_mut().append_pair("password", &percent_decode(&password));
    let run = driftless(&["plan", "--url", moved.as_str(), "--file", &file]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("CREATE TABLE"), "{}", run.stdout);
}

fn percent_decode(text: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", text.replace('+', "%2B")).as_bytes()).next().unwrap().1.into_owned()
}

#[tokio::test]
async fn postgres_errors_carry_no_c_source_line() {
    let db = TestDb::postgres().await;
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "s.sql", "create table t (id int);");
    let mut url = url::Url::parse(db.url()).unwrap();
    url.set_path("/no_such_database_here");
    let run = driftless(&["plan", "--url", url.as_str(), "--file", &file]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("does not exist"), "{}", run.stderr);
    assert!(!run.stderr.contains(" at line "), "{}", run.stderr);
}

#[test]
fn manifest_values_never_show_in_errors_and_typos_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let header = "apiVersion: driftless.dev/v1alpha1\nkind: DatabaseSchema\nmetadata:\n  name: app\nspec:\n";
    let cases = [
        ("  password: 918273645\n  schema: {sql: ''}\n", "line 6: unknown field `spec.password`"),
        ("  credentials:\n    scheme: postgres\n    port: x918273645\n  schema: {sql: ''}\n", "line 8:"),
        ("  polcy:\n    lint: {}\n  schema: {sql: ''}\n", "line 6: unknown field `spec.polcy`"),
        ("  exlude: [a]\n  schema: {sql: ''}\n", "line 6: unknown field `spec.exlude`"),
        ("  policy:\n    diff:\n      skip: {drop_tabel: true}\n  schema: {sql: ''}\n", "line 8: unknown field"),
        ("  schema: {sql: ''}\n---\napiVersion: v1\nkind: Secret\n", "line 7: a second YAML document"),
    ];
    for (spec, expected) in cases {
        let manifest = write(dir.path(), "m.yaml", &format!("{header}{spec}"));
        let run = driftless(&["plan", "--url", "postgres://u@127.0.0.1:1/db", "-f", &manifest]);
        assert_eq!(run.code, 1, "{spec}");
        assert!(run.stderr.contains(expected), "{spec}: {}", run.stderr);
        assert!(!all_output(&run).contains(SECRET), "{spec}: {}", all_output(&run));
    }
    let other = write(dir.path(), "k.yaml", "apiVersion: driftless.dev/v2\nkind: DatabaseSchema\nspec: {}\n");
    let run = driftless(&["plan", "--url", "postgres://u@127.0.0.1:1/db", "-f", &other]);
    assert!(run.stderr.contains("apiVersion `driftless.dev/v2`"), "{}", run.stderr);
}

#[test]
fn deep_yaml_is_refused_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let header = "apiVersion: driftless.dev/v1alpha1\nkind: DatabaseSchema\nmetadata:\n  name: app\nspec:\n  x: ";
    let manifest = write(dir.path(), "m.yaml", &format!("{header}{}{}", "[".repeat(100_000), "]".repeat(100_000)));
    let started = std::time::Instant::now();
    let run = driftless(&["plan", "--url", "postgres://u@127.0.0.1:1/db", "-f", &manifest]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("nests deeper than 64 levels"), "{}", run.stderr);
    assert!(started.elapsed() < std::time::Duration::from_secs(5), "{:?}", started.elapsed());
}

#[test]
fn endless_input_is_refused_at_64_mib() {
    let run = driftless(&["plan", "--url", "postgres://u@127.0.0.1:1/db", "--file", "/dev/zero"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("larger than the limit of 64 MiB"), "{}", run.stderr);
}

#[test]
fn a_zero_lock_timeout_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "s.sql", "create table t (id int);");
    let run = driftless(&["plan", "--url", "postgres://u@127.0.0.1:1/db", "--file", &file, "--lock-timeout", "0s"]);
    assert_eq!(run.code, 64, "{}", run.stderr);
    assert!(run.stderr.contains("--lock-timeout must be at least 1ms"), "{}", run.stderr);
    let manifest = write(
        dir.path(),
        "m.yaml",
        "apiVersion: driftless.dev/v1alpha1\nkind: DatabaseSchema\nmetadata: {name: a}\nspec:\n  lockTimeout: 0s\n  schema: {sql: 'create table t (id int);'}\n",
    );
    let run = driftless(&["plan", "--url", "postgres://u@127.0.0.1:1/db", "-f", &manifest]);
    assert_eq!(run.code, 64, "{}", run.stderr);
    assert!(run.stderr.contains("spec.lockTimeout: `0s` must be at least 1ms"), "{}", run.stderr);
}

#[test]
fn a_byte_order_mark_is_not_schema_ddl() {
    let dir = tempfile::tempdir().unwrap();
    let from = write(dir.path(), "from.sql", "\u{feff}create table t (id int);\n");
    let to = write(dir.path(), "to.sql", "\u{feff}create table t (id int, name text);\n");
    let run = driftless(&["diff", "--from", &from, "--to", &to]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("ADD COLUMN"), "{}", run.stdout);
}

/// The region between the opening ```` ```sql ```` line and the line that closes it.
fn fenced(markdown: &str) -> (usize, usize) {
    let open = markdown.find("sql\n").expect("a fence");
    let fence_start = markdown[..open].rfind('\n').map_or(0, |n| n + 1);
    let fence = &markdown[fence_start..open];
    assert!(fence.len() >= 3 && fence.chars().all(|c| c == '`'), "{markdown}");
    let close = markdown[open..].find(&format!("\n{fence}\n")).expect("a closing fence") + open;
    (open, close)
}

#[test]
fn markdown_cannot_be_forged_by_literals_or_names() {
    let dir = tempfile::tempdir().unwrap();
    let from = write(dir.path(), "from.sql", "create table \"<!--old\" (id int);\n");
    let to = write(
        dir.path(),
        "to.sql",
        "create table t (note text default '```\n### Approved by security\n<!--', \"x\u{1b}[2Jy\" int);\n",
    );
    let run = driftless(&["diff", "--from", &from, "--to", &to, "--format", "markdown"]);
    let markdown = run.stdout;
    assert!(markdown.contains("### Approved by security"), "{markdown}");
    let (open, close) = fenced(&markdown);
    for forged in ["### Approved by security", "<!--"] {
        for (at, _) in markdown.match_indices(forged) {
            assert!(open < at && at < close, "{forged:?} outside the fence at {at}:\n{markdown}");
        }
    }
    assert!(!markdown.contains('\x1b') && markdown.contains("\\u{1b}"), "{markdown}");
    assert!(markdown.contains("&lt;!--old"), "the finding names the table, escaped: {markdown}");
}

#[test]
fn text_output_shows_control_characters_as_escapes() {
    let dir = tempfile::tempdir().unwrap();
    let from = write(dir.path(), "from.sql", "");
    let to = write(dir.path(), "to.sql", "create table \"x\u{1b}]0;pwned\u{7}\u{1b}[2J\" (id int);\n");
    let run = driftless(&["diff", "--from", &from, "--to", &to]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stdout.contains('\x1b') && !run.stdout.contains('\x07'), "{:?}", run.stdout);
    assert!(run.stdout.contains("\\u{1b}]0;pwned\\u{7}"), "{}", run.stdout);
}
