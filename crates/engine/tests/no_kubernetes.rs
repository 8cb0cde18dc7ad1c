//! The engine and every crate under it build without Kubernetes: reading resources belongs to the CLI and
//! operator edges (`driftless-api`), so that a library user or a new dialect never compiles kube.

use std::process::Command;

/// Packages that mean Kubernetes.
fn is_kubernetes(package: &str) -> bool {
    package.starts_with("kube") || package.starts_with("k8s-") || package == "driftless-api"
}

#[test]
fn the_engine_depends_on_no_kubernetes_crate() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    // `cargo tree` reads Cargo.lock and the manifests only; --offline --locked keep it from the network and
    // from rewriting the lock. It walks the host's platform: other platforms' crates are not downloaded.
    let output = Command::new(cargo)
        .args(["tree", "--offline", "--locked", "--edges", "normal,build", "--prefix", "none"])
        .args(["--format", "{p}", "--package", "driftless-engine", "--manifest-path"])
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .output()
        .expect("cargo runs");
    assert!(output.status.success(), "cargo tree failed: {}", String::from_utf8_lossy(&output.stderr));
    let tree = String::from_utf8(output.stdout).expect("cargo tree prints UTF-8");
    let packages: Vec<&str> = tree.lines().filter_map(|line| line.split_whitespace().next()).collect();
    // the walk reached the crates under the engine, so an empty or truncated tree does not pass
    for below in ["driftless-model", "driftless-parse", "driftless-inspect", "driftless-plan", "driftless-apply"] {
        assert!(packages.contains(&below), "{below} is missing from the engine's tree:\n{tree}");
    }
    let kubernetes: Vec<&str> = packages.into_iter().filter(|package| is_kubernetes(package)).collect();
    assert!(kubernetes.is_empty(), "the engine depends on {kubernetes:?}; `cargo tree -i <crate>` shows the path");
}
