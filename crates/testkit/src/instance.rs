//! PostgreSQL instances a test starts, restarts and stops itself (for faults such as a server restart, or
//! server settings the shared test server must not get), through `scripts/pg-instance`: the same starter
//! `scripts/test-env` uses, so each runs as an unprivileged user with its own data directory and port.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The environment variable naming the directory with `initdb`, `pg_ctl` and `postgres` (`scripts/test-env`
/// sets it).
pub const PG_BIN_VAR: &str = "DRIFTLESS_TEST_PG_BIN";

/// Where Debian's PostgreSQL 15 keeps them, used when the variable is unset.
pub const DEFAULT_PG_BIN: &str = "/usr/lib/postgresql/15/bin";

/// The environment variable naming the directory the instances' data directories go in (`scripts/test-env`
/// sets it to one the unprivileged server user can reach).
pub const DB_DIR_VAR: &str = "DRIFTLESS_TEST_DB_DIR";

/// How a server is stopped: `Fast` ends sessions cleanly, `Immediate` is a crash (recovery on next start).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopMode {
    Fast,
    Immediate,
}

impl StopMode {
    fn as_arg(self) -> &'static str {
        match self {
            StopMode::Fast => "fast",
            StopMode::Immediate => "immediate",
        }
    }
}

/// A running private PostgreSQL instance; stopped and its data directory removed when dropped.
#[derive(Debug)]
pub struct PgInstance {
    bin: PathBuf,
    data: PathBuf,
    port: u16,
    /// `name=value` server settings, given again on every start (the starter rewrites them each time).
    settings: Vec<String>,
    url: String,
}

impl PgInstance {
    /// Starts a fresh instance with the given server settings (`("max_locks_per_transaction", "10")`).
    /// Returns `None`, having printed why, when there are no PostgreSQL binaries to run (the test is then
    /// skipped; `scripts/test` always provides them).
    ///
    /// # Panics
    /// When the binaries are there but the instance does not start.
    pub fn start(name: &str, settings: &[(&str, &str)]) -> Option<PgInstance> {
        let bin = match std::env::var_os(PG_BIN_VAR) {
            Some(bin) => PathBuf::from(bin),
            None if Path::new(DEFAULT_PG_BIN).join("postgres").exists() => PathBuf::from(DEFAULT_PG_BIN),
            None => {
                eprintln!(
                    "skipped: no PostgreSQL binaries to start a private instance with (${PG_BIN_VAR} is unset and \
                     {DEFAULT_PG_BIN} is absent; `eval \"$(scripts/test-env)\"` provides them)"
                );
                return None;
            }
        };
        let data = db_dir().join(format!("test-{name}-{}", std::process::id()));
        // a leftover of a killed run of the same process id
        let _ = std::fs::remove_dir_all(&data);
        let port = free_port();
        let settings = settings.iter().map(|(name, value)| format!("{name}={value}")).collect();
        let mut instance = PgInstance { bin, data, port, settings, url: String::new() };
        instance.url = instance.run_start();
        Some(instance)
    }

    /// A URL of the instance's `postgres` database (it carries the password: never print it).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Stops the server; the running sessions end (with `Immediate`, as in a crash).
    pub fn stop(&self, mode: StopMode) {
        run_starter(&["stop".into(), path_arg(&self.bin), path_arg(&self.data), mode.as_arg().into()]);
    }

    /// Starts the server again after [`PgInstance::stop`], on the same port, data and settings.
    pub fn start_again(&self) {
        self.run_start();
    }

    fn run_start(&self) -> String {
        let mut args = vec!["start".to_string(), path_arg(&self.bin), path_arg(&self.data), self.port.to_string()];
        args.extend(self.settings.iter().cloned());
        run_starter(&args).trim().to_string()
    }
}

impl Drop for PgInstance {
    fn drop(&mut self) {
        let stopped =
            Command::new(starter()).args(["stop", &path_arg(&self.bin), &path_arg(&self.data), "immediate"]).status();
        if !matches!(stopped, Ok(status) if status.success()) {
            eprintln!("warning: could not stop the instance in {}", self.data.display());
            return;
        }
        if let Err(error) = std::fs::remove_dir_all(&self.data) {
            eprintln!("warning: could not remove {}: {error}", self.data.display());
        }
    }
}

fn starter() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/pg-instance")
}

fn db_dir() -> PathBuf {
    std::env::var_os(DB_DIR_VAR)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/db"))
}

fn path_arg(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// Runs `scripts/pg-instance` and returns its stdout; its progress goes to the test's stderr.
fn run_starter(args: &[String]) -> String {
    let output = Command::new(starter())
        .args(args)
        .stderr(std::process::Stdio::inherit())
        .output()
        .unwrap_or_else(|error| panic!("running {}: {error}", starter().display()));
    assert!(output.status.success(), "scripts/pg-instance {} failed ({})", args[0], output.status);
    String::from_utf8(output.stdout).expect("scripts/pg-instance prints UTF-8")
}

/// A port nothing listens on now. Another process could take it before the server binds it; the server then
/// fails to start and the test says so.
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binding a free port");
    listener.local_addr().expect("the bound address").port()
}
