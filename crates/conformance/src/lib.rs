//! The convergence oracle every peer uses, run on a real database:
//! 1. build `current` on a fresh database; its plan against itself must be empty;
//! 2. plan `desired`, apply it; the live schema must equal a fresh database built from `desired`, compared
//!    both as inspected models and as an independent catalog dump (column order aside);
//! 3. plan `desired` again: it must be empty;
//! 4. when the case is reversible, the same back to `current`.
//!
//! A case marked `-- online` is planned with every PostgreSQL online form. PostgreSQL cases run on fresh
//! databases of the local server ([`check`]); SQLite cases on files in temporary directories
//! ([`check_sqlite`]).

mod case;
mod catalog;
mod sqlite;

pub use case::{Case, CaseFileError, read_cases};
pub use catalog::{catalog_dump, difference};
pub use sqlite::{SqliteFile, check_sqlite};

use driftless_engine::{ApplyOutcome, Database, DatabaseUrl, Desired, Session, Settings, parse_desired};
use driftless_model::OnlineOptions;
use driftless_testkit::TestDb;
use sqlx::{AssertSqlSafe, Executor};

/// Why a case did not converge; the message says which step and shows the evidence.
#[derive(Debug, thiserror::Error)]
#[error("{step}: {detail}")]
pub struct Failure {
    pub step: &'static str,
    pub detail: String,
    /// PostgreSQL itself rejected the case's SQL, so the case cannot judge the engine.
    pub invalid_case: bool,
}

pub(crate) fn failure(step: &'static str, detail: impl ToString) -> Failure {
    Failure { step, detail: detail.to_string(), invalid_case: false }
}

/// Runs the oracle on one case. The schemas under management are those either side names (as a user lists
/// them in `spec.schemas`), so a schema that one side drops is compared too.
pub async fn check(case: &Case) -> Result<(), Failure> {
    let migrated = TestDb::postgres().await;
    build(&migrated, &case.current, "building current").await?;
    let mut session = open(&migrated).await?;
    let mut settings = Settings::default();
    settings.lint.destructive = driftless_engine::Level::Warn;
    if case.online {
        settings.online = OnlineOptions { concurrent_create: true, concurrent_drop: true, validate_separately: true };
    }
    settings.scope.schemas = managed_schemas(&session, &[&case.current, &case.desired])?;
    expect_empty_plan(&mut session, &case.current, &settings, "current plans against itself").await?;

    converge(&migrated, &mut session, &case.desired, &settings, "current → desired").await?;
    if case.reversible {
        converge(&migrated, &mut session, &case.current, &settings, "desired → current").await?;
    }
    Ok(())
}

/// Applies `target` to the session's database, then compares it with a fresh database built from `target`.
async fn converge(
    migrated: &TestDb,
    session: &mut Session,
    target: &str,
    settings: &Settings,
    step: &'static str,
) -> Result<(), Failure> {
    let desired = Desired::from_sql(target, "desired");
    match session.apply(&desired, settings, None).await.map_err(|e| failure(step, e))? {
        ApplyOutcome::Applied { .. } | ApplyOutcome::InSync(_) => {}
        other => return Err(failure(step, format!("apply did not run: {other:?}"))),
    }
    expect_empty_plan(session, target, settings, step).await?;

    let fresh = TestDb::postgres().await;
    build(&fresh, target, step).await?;
    let mut fresh_session = open(&fresh).await?;
    let managed = &settings.scope.schemas;
    let live_model = comparable(session.inspect(managed).await.map_err(|e| failure(step, e))?);
    let fresh_model = comparable(fresh_session.inspect(managed).await.map_err(|e| failure(step, e))?);
    if live_model != fresh_model {
        let gap = driftless_engine::compute(&live_model, &fresh_model, settings);
        let statements: Vec<&str> = gap.plan.statements.iter().map(|s| s.sql.as_str()).collect();
        return Err(failure(
            step,
            format!("the migrated model differs from a fresh one; it would take:\n{}", statements.join(";\n")),
        ));
    }
    let live_dump = catalog_dump(&mut migrated.connect().await).await.map_err(|e| failure(step, e))?;
    let fresh_dump = catalog_dump(&mut fresh.connect().await).await.map_err(|e| failure(step, e))?;
    let gap = difference(&live_dump, &fresh_dump);
    if !gap.is_empty() {
        return Err(failure(step, format!("catalog differs from a fresh database:\n{}", gap.join("\n"))));
    }
    Ok(())
}

pub(crate) async fn expect_empty_plan(
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
    Err(failure(step, format!("re-plan is not empty:\n{}", statements.join(";\n"))))
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

/// The model with columns in name order: PostgreSQL cannot reorder columns, so order is not compared.
pub(crate) fn comparable(mut db: Database) -> Database {
    for schema in db.schemas.values_mut() {
        for table in schema.tables.values_mut() {
            table.columns.sort_by(|a, b| a.name.cmp(&b.name));
        }
    }
    db
}

/// Runs SQL as written (several statements at once) to build a database the way a user would.
async fn build(db: &TestDb, sql: &str, step: &'static str) -> Result<(), Failure> {
    let mut conn = db.connect().await;
    conn.execute(sqlx::raw_sql(AssertSqlSafe(sql.to_string())))
        .await
        .map_err(|e| Failure { invalid_case: true, ..failure(step, format!("PostgreSQL rejected the SQL itself: {e}")) })?;
    Ok(())
}

async fn open(db: &TestDb) -> Result<Session, Failure> {
    let url = DatabaseUrl::parse(db.url()).map_err(|e| failure("connect", e))?;
    Session::connect(&url).await.map_err(|e| failure("connect", e))
}
