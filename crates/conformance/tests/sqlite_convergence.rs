//! Every case in testdata/convergence/sqlite/*.sql is one test, run through the convergence oracle on SQLite
//! files (no server needed).

use driftless_conformance::{check_sqlite, read_cases};
use libtest_mimic::{Arguments, Failed, Trial};
use std::path::Path;

fn main() {
    let args = Arguments::from_args();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/convergence/sqlite");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "sql"))
        .collect();
    files.sort();
    let mut trials = Vec::new();
    for file in files {
        for case in read_cases(&file).unwrap_or_else(|e| panic!("{e}")) {
            trials.push(Trial::test(case.name.clone(), move || run(&case)));
        }
    }
    libtest_mimic::run(&args, trials).exit();
}

fn run(case: &driftless_conformance::Case) -> Result<(), Failed> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("tokio runtime");
    runtime.block_on(check_sqlite(case)).map_err(|failure| Failed::from(failure.to_string()))
}
