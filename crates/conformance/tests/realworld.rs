//! The realworld corpus as a ratchet: every step that testdata/realworld-expected.txt lists for a schema must
//! still pass; a step that passes but is not listed is reported, to be added to the list. Skipped, saying so,
//! when the corpus is absent (a plain clone has none).

use driftless_conformance::realworld::{Step, default_corpus_dir, run_corpus};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

const EXPECTATIONS: &str = "testdata/realworld-expected.txt";

#[test]
fn listed_steps_of_the_realworld_corpus_still_pass() {
    let dir = default_corpus_dir();
    if !dir.is_dir() {
        eprintln!("realworld corpus not found at {}: skipped", dir.display());
        return;
    }
    let expected = expected_passes();
    let reports = run_corpus(&dir).unwrap_or_else(|e| panic!("{e}"));

    let mut regressions = Vec::new();
    let mut new_passes = Vec::new();
    for report in &reports {
        for step in Step::ALL {
            let listed = expected.contains(&(report.schema.name.clone(), step.name().to_string()));
            match (listed, report.result(step)) {
                (true, Err(failure)) => regressions.push(format!("{} {}: {failure}", report.schema.name, step.name())),
                (false, Ok(())) => new_passes.push(format!("{} {}", report.schema.name, step.name())),
                _ => {}
            }
        }
    }
    let found: BTreeSet<&str> = reports.iter().map(|r| r.schema.name.as_str()).collect();
    let missing: BTreeSet<&str> =
        expected.iter().map(|(schema, _)| schema.as_str()).filter(|schema| !found.contains(schema)).collect();
    for schema in missing {
        regressions.push(format!("{schema}: listed in {EXPECTATIONS} but not in {}", dir.display()));
    }
    if !new_passes.is_empty() {
        // written past the test harness's capture, which would show it only on failure
        let _ = writeln!(
            std::io::stderr(),
            "passing but not listed in {EXPECTATIONS} (add them):\n  {}",
            new_passes.join("\n  ")
        );
    }
    assert!(regressions.is_empty(), "listed in {EXPECTATIONS} but failing now:\n{}", regressions.join("\n\n"));
}

/// Every (schema, step) the list says passes.
fn expected_passes() -> BTreeSet<(String, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(EXPECTATIONS);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let mut passes = BTreeSet::new();
    for line in text.lines().map(str::trim).filter(|line| !line.is_empty() && !line.starts_with('#')) {
        let mut words = line.split_whitespace();
        let schema = words.next().unwrap_or_default();
        for step in words {
            assert!(Step::from_name(step).is_some(), "{EXPECTATIONS}: `{step}` is not a step (line `{line}`)");
            passes.insert((schema.to_string(), step.to_string()));
        }
    }
    passes
}
