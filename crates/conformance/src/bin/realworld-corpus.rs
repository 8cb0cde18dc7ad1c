//! Runs the realworld corpus (schemas as projects publish them) through the two-step oracle and prints, per
//! schema, whether it plans empty against its client's load (step 1) and whether Driftless builds it from an
//! empty database to the same schema and then plans empty (step 2), with the first lines of each failure.
//!
//! Usage: `realworld-corpus [DIR] [--verbose]`; DIR defaults to `../shared/corpus/realworld` next to the
//! project. When the corpus is absent it says so and exits 0.

use driftless_conformance::realworld::{SchemaReport, Step, default_corpus_dir, run_corpus};
use std::path::PathBuf;
use std::process::ExitCode;

/// Lines of a failure shown without `--verbose`: enough for the error or the first planned statements.
const FAILURE_LINES: usize = 4;

fn main() -> ExitCode {
    let (mut dir, mut verbose) = (default_corpus_dir(), false);
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--verbose" => verbose = true,
            _ => dir = PathBuf::from(arg),
        }
    }
    if !dir.is_dir() {
        println!("realworld corpus not found at {}: skipped", dir.display());
        return ExitCode::SUCCESS;
    }
    match run_corpus(&dir) {
        Ok(reports) => {
            print_reports(&reports, verbose);
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn print_reports(reports: &[SchemaReport], verbose: bool) {
    println!("{:<30} {:<11} {:<7} {:<7}", "schema", "engine", "step 1", "step 2");
    for report in reports {
        let verdict = |step| if report.result(step).is_ok() { "yes" } else { "no" };
        println!(
            "{:<30} {:<11} {:<7} {:<7}",
            report.schema.name,
            report.schema.engine.name(),
            verdict(Step::PlansEmptyOnLoad),
            verdict(Step::BuildsFromEmpty)
        );
        for (number, step) in Step::ALL.into_iter().enumerate() {
            if let Err(failure) = report.result(step) {
                let text = failure.to_string();
                let shown = if verbose { usize::MAX } else { FAILURE_LINES };
                let mut lines = text.lines();
                println!("    step {}: {}", number + 1, lines.next().unwrap_or_default());
                lines.by_ref().take(shown.saturating_sub(1)).for_each(|line| println!("        {line}"));
                let hidden = lines.count();
                if hidden > 0 {
                    println!("        … {hidden} more lines (--verbose)");
                }
            }
        }
    }
    let passing = |step| reports.iter().filter(|r| r.result(step).is_ok()).count();
    let both = reports.iter().filter(|r| Step::ALL.into_iter().all(|step| r.result(step).is_ok())).count();
    println!(
        "\nof {} schemas: step 1 (plans empty against the client's load) {}, step 2 (builds from empty to the \
         same schema, re-plans empty) {}, both {both}",
        reports.len(),
        passing(Step::PlansEmptyOnLoad),
        passing(Step::BuildsFromEmpty)
    );
}
