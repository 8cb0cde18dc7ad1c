//! The Dockerfile and the chart agree: the image's entrypoint is the binary it copies, the one the CLI crate
//! builds; the chart runs it without overriding the entrypoint, as the image's user; the runtime image is
//! distroless. (The image itself is built where a Docker engine runs: docs/chart.md#the-image.)

use driftless_chart_tests::{only, render_chart, repo_root};
use serde_json::Value;

fn dockerfile() -> String {
    std::fs::read_to_string(repo_root().join("Dockerfile")).unwrap()
}

/// The instructions of the final stage (after the last FROM), continuation lines joined.
fn final_stage(dockerfile: &str) -> Vec<String> {
    let joined = dockerfile.replace("\\\n", " ");
    let instructions: Vec<String> =
        joined.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_owned).collect();
    let last_from = instructions.iter().rposition(|l| l.starts_with("FROM ")).expect("a FROM");
    instructions[last_from..].to_vec()
}

fn instruction<'a>(stage: &'a [String], keyword: &str) -> &'a str {
    let prefix = format!("{keyword} ");
    stage
        .iter()
        .rev()
        .find_map(|l| l.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("no {keyword} in the final stage"))
}

#[test]
fn the_runtime_stage_is_distroless_and_runs_the_copied_binary_as_the_charts_user() {
    let dockerfile = dockerfile();
    let stage = final_stage(&dockerfile);
    assert_eq!(instruction(&stage, "FROM"), "gcr.io/distroless/cc-debian12:nonroot");
    let entrypoint: Vec<String> = serde_json::from_str(instruction(&stage, "ENTRYPOINT")).unwrap();
    let copy: Vec<&str> = instruction(&stage, "COPY").split_whitespace().collect();
    assert_eq!(copy.last().copied(), Some(entrypoint[0].as_str()), "ENTRYPOINT runs what COPY put there");
    assert!(copy[0].starts_with("--from="), "the binary comes from the build stage");

    let (user, group) = instruction(&stage, "USER").split_once(':').unwrap();
    let objects = render_chart("image", "driftless-system", &[]).unwrap();
    let pod = &only(&objects, "Deployment")["spec"]["template"]["spec"];
    assert_eq!(pod["securityContext"]["runAsUser"].to_string(), user);
    assert_eq!(pod["securityContext"]["runAsGroup"].to_string(), group);
    let container = &pod["containers"][0];
    assert_eq!(container["command"], Value::Null, "the chart keeps the image's ENTRYPOINT");
    assert_eq!(container["args"][0], "operator");
}

#[test]
fn the_build_stage_builds_the_cli_crates_driftless_binary() {
    let dockerfile = dockerfile();
    assert!(dockerfile.matches("\nFROM ").count() + usize::from(dockerfile.starts_with("FROM ")) >= 2, "multi-stage");
    let manifest: toml_like::Manifest = toml_like::read(&repo_root().join("crates/cli/Cargo.toml"));
    assert!(dockerfile.contains(&format!("cargo build --release --locked -p {}", manifest.package)));
    assert!(manifest.binaries.contains(&"driftless".to_owned()), "{:?}", manifest.binaries);
    assert!(dockerfile.contains("target/release/driftless /out/driftless"));
    let ignored = std::fs::read_to_string(repo_root().join(".dockerignore")).unwrap();
    for path in [".git", "target"] {
        assert!(ignored.lines().any(|l| l.trim() == path), ".dockerignore leaves {path} in the build context");
    }
}

/// Just enough of Cargo.toml: the package name and the [[bin]] names (no TOML parser in the workspace).
mod toml_like {
    use std::path::Path;

    pub struct Manifest {
        pub package: String,
        pub binaries: Vec<String>,
    }

    pub fn read(path: &Path) -> Manifest {
        let text = std::fs::read_to_string(path).unwrap();
        let mut section = String::new();
        let (mut package, mut binaries) = (String::new(), Vec::new());
        for line in text.lines().map(str::trim) {
            if line.starts_with('[') {
                section = line.to_owned();
            } else if let Some(value) = line.strip_prefix("name = ") {
                let value = value.trim_matches('"').to_owned();
                match section.as_str() {
                    "[package]" => package = value,
                    "[[bin]]" => binaries.push(value),
                    _ => {}
                }
            }
        }
        Manifest { package, binaries }
    }
}
