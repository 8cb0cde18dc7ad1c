//! The realworld corpus (`../shared/corpus/realworld/`): schemas as their projects publish them, one folder
//! each, named after its engine (`pg-…`, `mysql-…`, `sqlite-…`). Each is judged by the corpus README's
//! two-step oracle:
//! 1. loaded by the database's own client (`psql`, `mysql`, `sqlite3`) into a fresh database, the desired file
//!    plans empty against it;
//! 2. applied by Driftless to an empty database, it leaves the same schema as the client's load (inspected
//!    models and the independent catalog dump, as in the sqldef oracle) and then plans empty.

use crate::oracle_settings;
use crate::{Backend, Failure, MysqlDb, SqliteFile, apply, expect_empty_plan, expect_same_schema, failure, open};
use driftless_testkit::TestDb;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// A schema's whole run, both steps, never takes longer than this (they take seconds).
const SCHEMA_TIMEOUT: Duration = Duration::from_secs(120);

/// The files a folder may hold, from the published one to the one with everything a fresh database cannot
/// load removed (the README's table); each step uses the most prepared file there is.
const LOAD_FILES: [&str; 3] = ["schema-loadable.sql", "schema-ddl-only.sql", "schema.sql"];
const DESIRED_FILES: [&str; 4] = ["schema-desired.sql", "schema-loadable.sql", "schema-ddl-only.sql", "schema.sql"];

/// The corpus next to the project (`../shared/corpus/realworld`).
pub fn default_corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/realworld")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Postgres,
    Mysql,
    Sqlite,
}

impl Engine {
    /// The engine a folder's name prefix names.
    fn of_folder(name: &str) -> Option<Engine> {
        let (prefix, _) = name.split_once('-')?;
        match prefix {
            "pg" => Some(Engine::Postgres),
            "mysql" => Some(Engine::Mysql),
            "sqlite" => Some(Engine::Sqlite),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Engine::Postgres => TestDb::NAME,
            Engine::Mysql => MysqlDb::NAME,
            Engine::Sqlite => SqliteFile::NAME,
        }
    }
}

/// The two steps of the oracle, by the names the expectation list uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    PlansEmptyOnLoad,
    BuildsFromEmpty,
}

impl Step {
    pub const ALL: [Step; 2] = [Step::PlansEmptyOnLoad, Step::BuildsFromEmpty];

    pub fn name(self) -> &'static str {
        match self {
            Step::PlansEmptyOnLoad => "plans-empty-on-load",
            Step::BuildsFromEmpty => "builds-from-empty",
        }
    }

    pub fn from_name(name: &str) -> Option<Step> {
        Step::ALL.into_iter().find(|step| step.name() == name)
    }
}

/// One published schema of the corpus.
#[derive(Debug, Clone)]
pub struct Schema {
    /// The folder's name, e.g. `pg-pagila-2022`.
    pub name: String,
    pub engine: Engine,
    /// What the client loads.
    pub load_file: PathBuf,
    /// What Driftless is given.
    pub desired_file: PathBuf,
}

/// The verdict of each step for one schema.
#[derive(Debug)]
pub struct SchemaReport {
    pub schema: Schema,
    pub plans_empty_on_load: Result<(), Failure>,
    pub builds_from_empty: Result<(), Failure>,
}

impl SchemaReport {
    pub fn result(&self, step: Step) -> &Result<(), Failure> {
        match step {
            Step::PlansEmptyOnLoad => &self.plans_empty_on_load,
            Step::BuildsFromEmpty => &self.builds_from_empty,
        }
    }
}

/// Every schema folder of the corpus, sorted by name. Folders whose name names no engine, or that hold none of
/// the schema files, are not schemas.
pub fn schemas(dir: &Path) -> Result<Vec<Schema>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("reading {}: {e}", dir.display()))?;
    let mut schemas = Vec::new();
    for entry in entries {
        let folder = entry.map_err(|e| format!("reading {}: {e}", dir.display()))?.path();
        let name = folder.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let first_present = |files: &[&str]| files.iter().map(|f| folder.join(f)).find(|path| path.is_file());
        let (Some(engine), Some(load_file), Some(desired_file)) =
            (Engine::of_folder(&name), first_present(&LOAD_FILES), first_present(&DESIRED_FILES))
        else {
            continue;
        };
        schemas.push(Schema { name, engine, load_file, desired_file });
    }
    schemas.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(schemas)
}

/// Runs both steps on every schema of the corpus, one schema at a time, each on a runtime of its own (as the
/// sqldef runner does: a test database's drop blocks its thread).
pub fn run_corpus(dir: &Path) -> Result<Vec<SchemaReport>, String> {
    let reports = schemas(dir)?
        .into_iter()
        .map(|schema| {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("tokio runtime");
            runtime.block_on(async {
                match tokio::time::timeout(SCHEMA_TIMEOUT, check_schema(&schema)).await {
                    Ok(report) => report,
                    Err(_) => {
                        let timed_out = || Err(failure("timeout", format!("no verdict after {SCHEMA_TIMEOUT:?}")));
                        SchemaReport { schema, plans_empty_on_load: timed_out(), builds_from_empty: timed_out() }
                    }
                }
            })
        })
        .collect();
    Ok(reports)
}

/// Runs both steps on one schema, on its engine.
pub async fn check_schema(schema: &Schema) -> SchemaReport {
    let (plans_empty_on_load, builds_from_empty) = match schema.engine {
        Engine::Postgres => check_on::<TestDb>(schema).await,
        Engine::Mysql => check_on::<MysqlDb>(schema).await,
        Engine::Sqlite => check_on::<SqliteFile>(schema).await,
    };
    SchemaReport { schema: schema.clone(), plans_empty_on_load, builds_from_empty }
}

async fn check_on<B: LoadsWithClient>(schema: &Schema) -> (Result<(), Failure>, Result<(), Failure>) {
    let desired = match std::fs::read_to_string(&schema.desired_file) {
        Ok(text) => text,
        Err(e) => {
            let unreadable = || Err(failure("read", format!("{}: {e}", schema.desired_file.display())));
            return (unreadable(), unreadable());
        }
    };
    let loaded = B::fresh().await;
    if let Err(load_failure) = load_with_client(&loaded, &schema.load_file).await {
        // without the client's load neither step has anything to compare with
        let failed = || Err(failure("load", &load_failure));
        return (failed(), failed());
    }
    (plans_empty_on_load(&loaded, &desired).await, builds_from_empty(&loaded, &desired).await)
}

/// Step 1: the desired file plans empty against the client's load.
async fn plans_empty_on_load<B: Backend>(loaded: &B, desired: &str) -> Result<(), Failure> {
    let mut session = open(loaded).await?;
    let settings = oracle_settings(&session, &[desired])?;
    expect_empty_plan(&mut session, desired, &settings, "plan against the client's load").await
}

/// Step 2: applied to an empty database, the desired file leaves the client's load's schema, then plans empty.
async fn builds_from_empty<B: Backend>(loaded: &B, desired: &str) -> Result<(), Failure> {
    let built = B::fresh().await;
    let mut session = open(&built).await?;
    let settings = oracle_settings(&session, &[desired])?;
    apply(&mut session, desired, &settings, "apply to an empty database").await?;
    expect_same_schema(&built, &mut session, loaded, &settings, "compare with the client's load").await?;
    expect_empty_plan(&mut session, desired, &settings, "re-plan after the apply").await
}

/// A database that the engine's own command-line client can load a file into.
trait LoadsWithClient: Backend {
    /// The client, set up to run the SQL on its standard input against this database and stop at the first
    /// error.
    fn client(&self) -> Result<Command, String>;
}

// Each client gets the password in its environment, where other users' `ps` does not show it.

impl LoadsWithClient for TestDb {
    fn client(&self) -> Result<Command, String> {
        let server = Server::of(TestDb::url(self), 5432)?;
        let mut psql = Command::new("psql");
        psql.args(["-X", "-q", "-w", "-v", "ON_ERROR_STOP=1"]);
        psql.args(["-h", &server.host, "-p", &server.port, "-U", &server.user, "-d", &server.database]);
        psql.env("PGPASSWORD", server.password);
        Ok(psql)
    }
}

impl LoadsWithClient for MysqlDb {
    fn client(&self) -> Result<Command, String> {
        let server = Server::of(&Backend::url(self), 3306)?;
        let mut mysql = Command::new("mysql");
        mysql.args(["--protocol=tcp", "-h", &server.host, "-P", &server.port, "-u", &server.user, &server.database]);
        mysql.env("MYSQL_PWD", server.password);
        Ok(mysql)
    }
}

impl LoadsWithClient for SqliteFile {
    fn client(&self) -> Result<Command, String> {
        let mut sqlite3 = Command::new("sqlite3");
        sqlite3.arg("-bail").arg(self.path());
        Ok(sqlite3)
    }
}

/// A database URL taken apart for a client's options.
#[derive(Debug, PartialEq, Eq)]
struct Server {
    host: String,
    port: String,
    user: String,
    password: String,
    database: String,
}

impl Server {
    fn of(url: &str, default_port: u16) -> Result<Server, String> {
        // the URL carries the password: errors never show it
        let url = url::Url::parse(url).map_err(|e| format!("the test database URL is not valid: {e}"))?;
        let decoded = |text: &str| percent_encoding::percent_decode_str(text).decode_utf8_lossy().into_owned();
        Ok(Server {
            host: url.host_str().unwrap_or("localhost").to_string(),
            port: url.port().unwrap_or(default_port).to_string(),
            user: decoded(url.username()),
            password: decoded(url.password().unwrap_or_default()),
            database: decoded(url.path().trim_start_matches('/')),
        })
    }
}

/// Runs the file through the client, off the async runtime (the client blocks until it is done).
async fn load_with_client<B: LoadsWithClient>(db: &B, file: &Path) -> Result<(), String> {
    let mut command = db.client()?;
    let program = command.get_program().to_string_lossy().into_owned();
    let input = std::fs::File::open(file).map_err(|e| format!("{}: {e}", file.display()))?;
    command.stdin(input).stdout(Stdio::null()).stderr(Stdio::piped());
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .map_err(|e| format!("{program} did not finish: {e}"))?
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => {
                format!("the {program} client is not installed (Debian: postgresql-client, mariadb-client, sqlite3)")
            }
            _ => format!("running {program}: {e}"),
        })?;
    if output.status.success() {
        return Ok(());
    }
    Err(format!(
        "{program} rejected {} ({}): {}",
        file.display(),
        output.status,
        String::from_utf8_lossy(&output.stderr).trim()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_prefix_names_the_engine() {
        assert_eq!(Engine::of_folder("pg-pagila-2022"), Some(Engine::Postgres));
        assert_eq!(Engine::of_folder("mysql-mediawiki"), Some(Engine::Mysql));
        assert_eq!(Engine::of_folder("sqlite-calibre"), Some(Engine::Sqlite));
        assert_eq!(Engine::of_folder("mssql-northwind"), None);
        assert_eq!(Engine::of_folder("README"), None);
    }

    #[test]
    fn a_url_becomes_client_options() {
        let server = Server::of("mysql://root:p%40ss@127.0.0.1/driftless_test_1", 3306).unwrap();
        let expected = Server {
            host: "127.0.0.1".into(),
            port: "3306".into(),
            user: "root".into(),
            password: "p@ss".into(),
            database: "driftless_test_1".into(),
        };
        assert_eq!(server, expected);
    }

    #[test]
    fn step_names_read_back() {
        for step in Step::ALL {
            assert_eq!(Step::from_name(step.name()), Some(step));
        }
        assert_eq!(Step::from_name("step-3"), None);
    }
}
