//! Every case in testdata/convergence/<dialect>/*.sql is one test, run through the convergence oracle: on the
//! local PostgreSQL and MariaDB (see scripts/test-env) and on SQLite files (no server needed). A PostgreSQL case
//! that requires a newer major than the server's (`-- requires: postgres N`) is ignored, and listed on stderr.

use driftless_conformance::{Case, check, check_mysql, check_sqlite, read_cases};
use libtest_mimic::{Arguments, Failed, Trial};
use std::path::Path;

#[derive(Clone, Copy)]
enum Dialect {
    Postgres,
    Sqlite,
    Mysql,
}

fn main() {
    let args = Arguments::from_args();
    let postgres_major = postgres_server_major();
    let mut all = trials("postgres", Dialect::Postgres, postgres_major);
    all.extend(trials("sqlite", Dialect::Sqlite, postgres_major));
    all.extend(trials("mysql", Dialect::Mysql, postgres_major));
    libtest_mimic::run(&args, all).exit();
}

/// The test server's major; `None` when it cannot be reached, so that every case runs (and the PostgreSQL ones
/// fail saying how to start the server) and the SQLite and MySQL cases need no PostgreSQL server.
fn postgres_server_major() -> Option<u32> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("tokio runtime");
    runtime.block_on(driftless_testkit::postgres_server_major()).ok()
}

/// One trial per case of every file in testdata/convergence/`folder`, named `folder/file:line case`.
fn trials(folder: &str, dialect: Dialect, postgres_major: Option<u32>) -> Vec<Trial> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/convergence").join(folder);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "sql"))
        .collect();
    files.sort();
    let mut trials = Vec::new();
    for file in files {
        for case in read_cases(&file).unwrap_or_else(|e| panic!("{e}")) {
            let name = format!("{folder}/{}", case.name);
            let not_for_server = match (dialect, postgres_major) {
                (Dialect::Postgres, Some(server)) => {
                    if let Some(required) = case.min_postgres_major.filter(|&required| server < required) {
                        eprintln!(
                            "convergence: {name} requires PostgreSQL {required}, the server runs {server}: ignored"
                        );
                        true
                    } else if let Some(newest) = case.max_postgres_major.filter(|&newest| server > newest) {
                        eprintln!(
                            "convergence: {name} holds until PostgreSQL {newest}, the server runs {server}: ignored"
                        );
                        true
                    } else {
                        false
                    }
                }
                _ => false,
            };
            trials.push(Trial::test(name, move || run(&case, dialect)).with_ignored_flag(not_for_server));
        }
    }
    trials
}

fn run(case: &Case, dialect: Dialect) -> Result<(), Failed> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("tokio runtime");
    let outcome = match dialect {
        Dialect::Postgres => runtime.block_on(check(case)),
        Dialect::Sqlite => runtime.block_on(check_sqlite(case)),
        Dialect::Mysql => runtime.block_on(check_mysql(case)),
    };
    outcome.map_err(|failure| Failed::from(failure.to_string()))
}
