//! The convergence oracle every peer uses, run on a real database:
//! 1. build `current` on a fresh database; its plan against itself must be empty;
//! 2. plan `desired`, apply it; the live schema must equal a fresh database built from `desired`, compared
//!    both as inspected models and as an independent catalog dump (column order aside);
//! 3. plan `desired` again: it must be empty;
//! 4. when the case is reversible, the same back to `current`.
//!
//! A case marked `-- online` is planned with every PostgreSQL online form; one marked `-- refused: TEXT` stops
//! after step 1: planning `desired` must fail saying TEXT, and `current` must still plan empty. PostgreSQL cases run on fresh
//! databases of the local server ([`check`]); SQLite cases on files in temporary directories
//! ([`check_sqlite`]); MySQL cases on fresh databases of the local MariaDB ([`check_mysql`]). Published
//! schemas, loaded by each database's own client, go through the same comparison in [`realworld`].

mod case;
mod catalog;
mod mysql;
pub mod realworld;
mod sqlite;

pub use case::{Case, CaseFileError, read_cases};
pub use catalog::{catalog_dump, difference};
pub use mysql::MysqlDb;
pub use sqlite::SqliteFile;

use driftless_engine::{ApplyOutcome, Approval, Database, DatabaseUrl, Desired, Session, Settings, parse_desired};
use driftless_model::{OnlineOptions, QualifiedName};
use driftless_testkit::TestDb;
use sqlx::{AssertSqlSafe, Executor};

/// Why a case did not converge; the message says which step and shows the evidence.
#[derive(Debug, thiserror::Error)]
#[error("{step}: {detail}")]
pub struct Failure {
    pub step: &'static str,
    pub detail: String,
    /// The database itself rejected the case's SQL, so the case cannot judge the engine.
    pub invalid_case: bool,
}

pub(crate) fn failure(step: &'static str, detail: impl ToString) -> Failure {
    Failure { step, detail: detail.to_string(), invalid_case: false }
}

/// Where the oracle makes throwaway databases: fresh ones, filled by running SQL as a user would, and dumped
/// by a catalog reader written independently of `driftless-inspect`.
pub(crate) trait Backend: Sized {
    /// The database engine's name, for messages.
    const NAME: &'static str;
    async fn fresh() -> Self;
    /// A URL that connects to this database (it may carry the test server's credentials: never print it).
    fn url(&self) -> String;
    /// Runs SQL as written (several statements at once).
    async fn run_sql(&self, sql: &str) -> Result<(), sqlx::Error>;
    async fn dump(&self) -> Result<Vec<String>, sqlx::Error>;
}

impl Backend for TestDb {
    const NAME: &'static str = "PostgreSQL";

    async fn fresh() -> Self {
        TestDb::postgres().await
    }

    fn url(&self) -> String {
        TestDb::url(self).to_string()
    }

    async fn run_sql(&self, sql: &str) -> Result<(), sqlx::Error> {
        self.connect().await.execute(sqlx::raw_sql(AssertSqlSafe(sql.to_string()))).await.map(drop)
    }

    async fn dump(&self) -> Result<Vec<String>, sqlx::Error> {
        catalog_dump(&mut self.connect().await).await
    }
}

/// Runs the oracle on one case on the local PostgreSQL.
pub async fn check(case: &Case) -> Result<(), Failure> {
    check_on::<TestDb>(case).await
}

/// Runs the oracle on one case on SQLite files.
pub async fn check_sqlite(case: &Case) -> Result<(), Failure> {
    check_on::<SqliteFile>(case).await
}

/// Runs the oracle on one case on the local MariaDB.
pub async fn check_mysql(case: &Case) -> Result<(), Failure> {
    check_on::<MysqlDb>(case).await
}

/// The schemas under management are those either side names (as a user lists them in `spec.schemas`), so a
/// schema that one side drops is compared too.
async fn check_on<B: Backend>(case: &Case) -> Result<(), Failure> {
    let migrated = B::fresh().await;
    build(&migrated, &case.current, "building current").await?;
    let mut session = open(&migrated).await?;
    let mut settings = oracle_settings(&session, &[&case.current, &case.desired])?;
    if case.online {
        settings.online = OnlineOptions { concurrent_create: true, concurrent_drop: true, validate_separately: true };
    }
    expect_empty_plan(&mut session, &case.current, &settings, "current plans against itself").await?;
    if let Some(refusal) = &case.refused {
        let step = "current → desired is refused";
        return match session.plan(&Desired::from_sql(&case.desired, "desired"), &settings).await {
            Err(e) if e.to_string().contains(refusal.as_str()) => {
                expect_empty_plan(&mut session, &case.current, &settings, step).await
            }
            Err(e) => Err(failure(step, format!("refused, but not saying `{refusal}`: {e}"))),
            Ok(outcome) => Err(failure(step, format!("planned instead: {:?}", outcome.plan.statements))),
        };
    }

    converge(&migrated, &mut session, &case.desired, &settings, "current → desired").await?;
    if case.reversible {
        converge(&migrated, &mut session, &case.current, &settings, "desired → current").await?;
    }
    Ok(())
}

/// Settings that let every change through (the oracle tests the engine, not the lint policy), managing the
/// default schema and every schema the SQL texts name.
fn oracle_settings(session: &Session, texts: &[&str]) -> Result<Settings, Failure> {
    let mut settings = Settings::default();
    settings.lint.destructive = driftless_engine::Level::Warn;
    settings.scope.schemas = managed_schemas(session, texts)?;
    Ok(settings)
}

/// Applies `target` to the session's database, then compares it with a fresh database built from `target`.
async fn converge<B: Backend>(
    migrated: &B,
    session: &mut Session,
    target: &str,
    settings: &Settings,
    step: &'static str,
) -> Result<(), Failure> {
    apply(session, target, settings, step).await?;
    expect_empty_plan(session, target, settings, step).await?;
    let fresh = B::fresh().await;
    build(&fresh, target, step).await?;
    expect_same_schema(migrated, session, &fresh, settings, step).await
}

async fn apply(session: &mut Session, target: &str, settings: &Settings, step: &'static str) -> Result<(), Failure> {
    let desired = Desired::from_sql(target, "desired");
    match session.apply(&desired, settings, Approval::Policy).await.map_err(|e| failure(step, e))? {
        ApplyOutcome::Applied { .. } | ApplyOutcome::InSync(_) => Ok(()),
        other => Err(failure(step, format!("apply did not run: {other:?}"))),
    }
}

/// The managed schemas of `migrated` (open in `session`) equal `reference`'s, compared as inspected models and
/// as independent catalog dumps.
async fn expect_same_schema<B: Backend>(
    migrated: &B,
    session: &mut Session,
    reference: &B,
    settings: &Settings,
    step: &'static str,
) -> Result<(), Failure> {
    let mut reference_session = open(reference).await?;
    let managed = &settings.scope.schemas;
    // the reference database's default schema is the database itself on MySQL: inspect it under its own name
    let reference_managed = fresh_schemas(managed, session.default_schema(), reference_session.default_schema());
    let live_model =
        comparable(session.inspect(managed).await.map_err(|e| failure(step, e))?, session.default_schema());
    let reference_model = comparable(
        reference_session.inspect(&reference_managed).await.map_err(|e| failure(step, e))?,
        reference_session.default_schema(),
    );
    if live_model != reference_model {
        let gap = driftless_engine::compute(&live_model, &reference_model, settings).map_err(|e| failure(step, e))?;
        let statements: Vec<&str> = gap.plan.statements.iter().map(|s| s.sql.as_str()).collect();
        return Err(failure(
            step,
            format!("the migrated model differs from a fresh one; it would take:\n{}", statements.join(";\n")),
        ));
    }
    let live_dump = migrated.dump().await.map_err(|e| failure(step, e))?;
    let reference_dump = reference.dump().await.map_err(|e| failure(step, e))?;
    let gap = difference(&live_dump, &reference_dump);
    if !gap.is_empty() {
        return Err(failure(step, format!("catalog differs from a fresh database:\n{}", gap.join("\n"))));
    }
    Ok(())
}

async fn expect_empty_plan(
    session: &mut Session,
    sql: &str,
    settings: &Settings,
    step: &'static str,
) -> Result<(), Failure> {
    let outcome = session.plan(&Desired::from_sql(sql, "desired"), settings).await.map_err(|e| failure(step, e))?;
    if outcome.in_sync() {
        return Ok(());
    }
    let statements: Vec<&str> = outcome.plan.statements.iter().map(|s| s.sql.as_str()).collect();
    Err(failure(step, format!("the plan is not empty:\n{}", statements.join(";\n"))))
}

/// The default schema and every schema any of the SQL texts names.
fn managed_schemas(session: &Session, texts: &[&str]) -> Result<Vec<String>, Failure> {
    let mut schemas = vec![session.default_schema().to_string()];
    for text in texts {
        let model = parse_desired(&Desired::from_sql(*text, "case"), session.dialect(), session.default_schema())
            .map_err(|e| failure("parse", e))?;
        schemas.extend(model.schemas.into_keys());
    }
    schemas.sort();
    schemas.dedup();
    Ok(schemas)
}

/// The managed schemas with the migrated database's default schema replaced by the fresh one's.
fn fresh_schemas(managed: &[String], default_schema: &str, fresh_default: &str) -> Vec<String> {
    managed.iter().map(|s| if s == default_schema { fresh_default.to_string() } else { s.clone() }).collect()
}

/// The schema every model's default schema is renamed to for comparison.
const DEFAULT_SCHEMA: &str = "<default>";

/// The model with columns in name order (PostgreSQL cannot reorder columns, so order is not compared) and
/// the default schema under one name: on MySQL it is the database, whose name differs between the migrated
/// and the fresh one.
fn comparable(mut db: Database, default_schema: &str) -> Database {
    let rename = |name: &mut QualifiedName| {
        if name.schema == default_schema {
            name.schema = DEFAULT_SCHEMA.to_string();
        }
    };
    for schema in db.schemas.values_mut() {
        for table in schema.tables.values_mut() {
            table.columns.sort_by(|a, b| a.name.cmp(&b.name));
            rename(&mut table.name);
            table.foreign_keys.values_mut().for_each(|fk| rename(&mut fk.ref_table));
        }
        for view in schema.views.values_mut() {
            rename(&mut view.name);
        }
    }
    if let Some(mut schema) = db.schemas.remove(default_schema) {
        schema.name = DEFAULT_SCHEMA.to_string();
        db.schemas.insert(DEFAULT_SCHEMA.to_string(), schema);
    }
    db
}

/// Builds a database from a case's SQL the way a user would.
async fn build<B: Backend>(db: &B, sql: &str, step: &'static str) -> Result<(), Failure> {
    db.run_sql(sql).await.map_err(|e| Failure {
        invalid_case: true,
        ..failure(step, format!("{} rejected the SQL itself: {e}", B::NAME))
    })
}

async fn open<B: Backend>(db: &B) -> Result<Session, Failure> {
    let url = DatabaseUrl::parse(&db.url()).map_err(|e| failure("connect", e))?;
    Session::connect(&url).await.map_err(|e| failure("connect", e))
}
