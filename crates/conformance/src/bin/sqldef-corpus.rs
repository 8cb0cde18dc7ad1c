//! Runs sqldef's psqldef, mysqldef or sqlite3def test cases through the convergence oracle and prints passed /
//! failed / skipped (with reasons) per file. Cases are judged on results, never on sqldef's output text.
//!
//! Usage: `sqldef-corpus [DIR] [--filter TEXT] [--verbose]`; DIR defaults to
//! `../shared/corpus/sqldef/cmd/psqldef` next to the project; a directory named `sqlite3def` runs on SQLite
//! files, one named `mysqldef` on the local MariaDB, instead of the local PostgreSQL. When the corpus is
//! absent it says so and exits 0.

use driftless_conformance::{Case, check, check_mysql, check_sqlite};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// The PostgreSQL major version the local test server runs (scripts/test-env installs Debian's).
const SERVER_MAJOR: f64 = 15.0;
/// The MariaDB version the local test server runs (Debian 12's), as sqldef's `min_version` compares it.
const MARIADB_VERSION: f64 = 10.11;
const CASE_TIMEOUT: Duration = Duration::from_secs(60);
const PARALLEL_CASES: usize = 4;

/// Whole files whose subject is outside the engine's declared scope.
const OUT_OF_SCOPE_FILES: [(&str, &str); 5] = [
    ("tests_aurora_dsql.yml", "Aurora DSQL dialect"),
    ("tests_manage_privilege.yml", "privileges are not managed"),
    ("tests_managed_roles.yml", "roles are not managed"),
    ("tests_pgvector.yml", "pgvector is not installed on the test server"),
    ("tests_events.yml", "MySQL events (scheduled jobs) are not managed"),
];

/// Which of sqldef's tools the cases are written for, and so which database runs them.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Flavor {
    Psqldef,
    Sqlite3def,
    Mysqldef,
}

impl Flavor {
    fn of(dir: &Path) -> Flavor {
        match dir.file_name().and_then(|name| name.to_str()) {
            Some("sqlite3def") => Flavor::Sqlite3def,
            Some("mysqldef") => Flavor::Mysqldef,
            _ => Flavor::Psqldef,
        }
    }

    fn database(self) -> &'static str {
        match self {
            Flavor::Psqldef => "PostgreSQL",
            Flavor::Sqlite3def => "SQLite",
            Flavor::Mysqldef => "MariaDB",
        }
    }

    /// The server version `min_version`/`max_version` compare with, `None` when they do not apply.
    fn server_version(self) -> Option<f64> {
        match self {
            Flavor::Psqldef => Some(SERVER_MAJOR),
            Flavor::Sqlite3def => None,
            Flavor::Mysqldef => Some(MARIADB_VERSION),
        }
    }

    async fn check(self, case: &Case) -> Result<(), driftless_conformance::Failure> {
        match self {
            Flavor::Psqldef => check(case).await,
            Flavor::Sqlite3def => check_sqlite(case).await,
            Flavor::Mysqldef => check_mysql(case).await,
        }
    }
}

/// Whether a mysqldef case's `flavor` (`mariadb`, `mysql`, `tidb`, or negated with `!`) includes MariaDB.
fn runs_on_mariadb(flavor: &str) -> bool {
    match flavor.strip_prefix('!') {
        Some(excluded) => excluded != "mariadb",
        None => flavor == "mariadb",
    }
}

#[derive(Deserialize)]
struct SqldefCase {
    #[serde(default)]
    current: Option<String>,
    desired: Option<String>,
    #[serde(default)]
    down: Option<String>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    min_version: Option<String>,
    #[serde(default)]
    max_version: Option<String>,
    #[serde(default)]
    flavor: Option<String>,
    #[serde(default)]
    enable_drop: Option<bool>,
    #[serde(default)]
    user: Option<serde_yaml_ng::Value>,
    #[serde(default)]
    managed_roles: Option<serde_yaml_ng::Value>,
    #[serde(default)]
    manage: Option<serde_yaml_ng::Value>,
    #[serde(default)]
    config: Option<serde_yaml_ng::Value>,
    #[serde(default)]
    offline: Option<serde_yaml_ng::Value>,
}

impl SqldefCase {
    /// Why the case is outside the engine's declared scope, if it is.
    fn skip_reason(&self, flavor: Flavor) -> Option<String> {
        if self.error.is_some() {
            return Some("expects sqldef's own error".into());
        }
        match (&self.flavor, flavor) {
            (Some(case_flavor), Flavor::Mysqldef) if !runs_on_mariadb(case_flavor) => {
                return Some(format!("flavor {case_flavor} (the server is MariaDB)"));
            }
            (Some(_), Flavor::Mysqldef) | (None, _) => {}
            (Some(_), _) => return Some("flavor-specific".into()),
        }
        if self.user.is_some() || self.managed_roles.is_some() || self.manage.is_some() {
            return Some("role, privilege or function-management option".into());
        }
        if self.config.is_some() || self.offline.is_some() {
            return Some("sqldef generator option".into());
        }
        if self.enable_drop == Some(false) {
            return Some("enable_drop: false (sqldef skips drops silently)".into());
        }
        let server = flavor.server_version()?;
        let version = |v: &Option<String>| v.as_deref().and_then(version_number);
        if version(&self.min_version).is_some_and(|min| min > server) {
            return Some(format!("needs {} {}", flavor.database(), self.min_version.as_deref().unwrap_or_default()));
        }
        if version(&self.max_version).is_some_and(|max| max < server) {
            return Some(format!(
                "only up to {} {}",
                flavor.database(),
                self.max_version.as_deref().unwrap_or_default()
            ));
        }
        None
    }
}

/// `10.11` → 10.11, `8.0.13` → 8.0 (major.minor, the minor read as hundredths so that 10.11 > 10.5).
fn version_number(text: &str) -> Option<f64> {
    let mut parts = text.split('.');
    let major: f64 = parts.next()?.trim().parse().ok()?;
    let minor: f64 = parts.next().map_or(Some(0.0), |m| m.trim().parse().ok())?;
    Some(major + minor / 100.0)
}

#[derive(Clone)]
enum Verdict {
    Passed,
    Failed(String),
    InvalidCase,
}

#[derive(Default)]
struct Tally {
    passed: usize,
    failed: Vec<(String, String)>,
    skipped: BTreeMap<String, usize>,
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/sqldef/cmd/psqldef");
    let (mut filter, mut verbose) = (None, false);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--filter" => filter = args.next(),
            "--verbose" => verbose = true,
            _ => dir = PathBuf::from(arg),
        }
    }
    if !dir.is_dir() {
        println!("sqldef corpus not found at {}: skipped", dir.display());
        return ExitCode::SUCCESS;
    }
    match run(&dir, filter.as_deref(), verbose) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(dir: &Path, filter: Option<&str>, verbose: bool) -> Result<(), String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("reading {}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yml"))
        .collect();
    files.sort();
    let flavor = Flavor::of(dir);
    let mut totals = Tally::default();
    println!("{:<36} {:>6} {:>6} {:>7}", "file", "passed", "failed", "skipped");
    for file in files {
        let tally = run_file(&file, filter, flavor)?;
        let name = file.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let skipped: usize = tally.skipped.values().sum();
        println!("{name:<36} {:>6} {:>6} {:>7}", tally.passed, tally.failed.len(), skipped);
        for (case, reason) in &tally.failed {
            let reason = if verbose { reason.clone() } else { reason.lines().next().unwrap_or_default().to_string() };
            println!("    FAIL {case}: {reason}");
        }
        totals.passed += tally.passed;
        totals.failed.extend(tally.failed);
        for (reason, count) in tally.skipped {
            *totals.skipped.entry(reason).or_default() += count;
        }
    }
    let in_scope = totals.passed + totals.failed.len();
    let skipped: usize = totals.skipped.values().sum();
    println!(
        "\nin scope: {in_scope}, passed: {} ({:.1}%), failed: {}, skipped: {skipped}",
        totals.passed,
        100.0 * totals.passed as f64 / in_scope.max(1) as f64,
        totals.failed.len()
    );
    for (reason, count) in &totals.skipped {
        println!("  skipped {count:>4}: {reason}");
    }
    Ok(())
}

fn run_file(file: &Path, filter: Option<&str>, flavor: Flavor) -> Result<Tally, String> {
    let name = file.file_name().unwrap_or_default().to_string_lossy().into_owned();
    let text = std::fs::read_to_string(file).map_err(|e| format!("reading {}: {e}", file.display()))?;
    let cases: serde_yaml_ng::Mapping = serde_yaml_ng::from_str(&text).map_err(|e| format!("{name}: {e}"))?;
    let mut tally = Tally::default();
    let file_reason = OUT_OF_SCOPE_FILES.iter().find(|(f, _)| *f == name).map(|(_, reason)| *reason);
    let mut runnable = Vec::new();
    for (key, value) in cases {
        let case_name = key.as_str().unwrap_or_default().to_string();
        if filter.is_some_and(|f| !case_name.contains(f)) {
            continue;
        }
        let case: SqldefCase = serde_yaml_ng::from_value(value).map_err(|e| format!("{name}: {case_name}: {e}"))?;
        let reason = file_reason.map(str::to_string).or_else(|| case.skip_reason(flavor));
        match (reason, case.desired) {
            (Some(reason), _) => *tally.skipped.entry(reason).or_default() += 1,
            (None, None) => *tally.skipped.entry("no desired schema".into()).or_default() += 1,
            (None, Some(desired)) => runnable.push(Case {
                name: case_name,
                current: case.current.unwrap_or_default(),
                desired,
                reversible: case.down.is_some(),
                online: false,
                min_postgres_major: None,
                max_postgres_major: None,
                refused: None,
            }),
        }
    }
    for (name, verdict) in run_in_parallel(runnable, flavor) {
        match verdict {
            Verdict::Passed => tally.passed += 1,
            Verdict::Failed(reason) => tally.failed.push((name, reason)),
            Verdict::InvalidCase => {
                let reason = format!("its SQL does not run on {} as written", flavor.database());
                *tally.skipped.entry(reason).or_default() += 1
            }
        }
    }
    Ok(tally)
}

/// Runs cases on worker threads, each with a runtime of its own: a test database's drop blocks its thread,
/// and on a shared runtime it could stall another case's connection that `DROP DATABASE` waits for.
/// Returns each case's name and verdict, in the cases' order.
fn run_in_parallel(cases: Vec<Case>, flavor: Flavor) -> Vec<(String, Verdict)> {
    let next = AtomicUsize::new(0);
    let verdicts = Mutex::new(vec![None; cases.len()]);
    std::thread::scope(|scope| {
        for _ in 0..PARALLEL_CASES {
            scope.spawn(|| {
                let runtime =
                    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("tokio runtime");
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(case) = cases.get(index) else { break };
                    let verdict = std::panic::catch_unwind(AssertUnwindSafe(|| {
                        runtime.block_on(async { tokio::time::timeout(CASE_TIMEOUT, flavor.check(case)).await })
                    }));
                    let verdict = match verdict {
                        Ok(Ok(Ok(()))) => Verdict::Passed,
                        Ok(Ok(Err(failure))) if failure.invalid_case => Verdict::InvalidCase,
                        Ok(Ok(Err(failure))) => Verdict::Failed(failure.to_string()),
                        Ok(Err(_)) => Verdict::Failed(format!("timed out after {CASE_TIMEOUT:?}")),
                        Err(_) => Verdict::Failed("panicked (see stderr)".to_string()),
                    };
                    verdicts.lock().expect("verdicts")[index] = Some(verdict);
                }
            });
        }
    });
    let verdicts = verdicts.into_inner().expect("verdicts");
    cases
        .into_iter()
        .zip(verdicts)
        .map(|(case, verdict)| (case.name, verdict.unwrap_or_else(|| Verdict::Failed("did not run".to_string()))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_as_major_and_minor() {
        assert_eq!(version_number("10.11"), Some(10.11));
        assert!(version_number("10.11").unwrap() > version_number("10.5").unwrap());
        assert_eq!(version_number("8.0.17"), Some(8.0));
        assert_eq!(version_number("15"), Some(15.0));
        assert_eq!(version_number("x"), None);
    }

    #[test]
    fn mariadb_runs_its_own_and_negated_other_flavors() {
        assert!(runs_on_mariadb("mariadb"));
        assert!(runs_on_mariadb("!mysql"));
        assert!(runs_on_mariadb("!tidb"));
        assert!(!runs_on_mariadb("mysql"));
        assert!(!runs_on_mariadb("!mariadb"));
        assert!(!runs_on_mariadb("tidb"));
    }
}
