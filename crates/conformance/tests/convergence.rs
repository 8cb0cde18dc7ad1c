//! Every case in testdata/convergence/<dialect>/*.sql is one test, run through the convergence oracle: on the
//! local PostgreSQL and MariaDB (see scripts/test-env) and on SQLite files (no server needed).

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
    let mut all = trials("postgres", Dialect::Postgres);
    all.extend(trials("sqlite", Dialect::Sqlite));
    all.extend(trials("mysql", Dialect::Mysql));
    libtest_mimic::run(&args, all).exit();
}

/// One trial per case of every file in testdata/convergence/`folder`, named `folder/file:line case`.
fn trials(folder: &str, dialect: Dialect) -> Vec<Trial> {
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
            trials.push(Trial::test(format!("{folder}/{}", case.name), move || run(&case, dialect)));
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
