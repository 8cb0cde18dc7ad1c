use crate::leftovers::take_leftovers;
use crate::violations::count_violations;
use crate::{DatabaseUrl, Desired, EngineError, Outcome, Settings, compute_with_repairs, parse_desired};
use driftless_apply::ApplyReport;
use driftless_model::{Database, Dialect};
use sqlx::{Connection, PgConnection};

/// An open connection to the database under management.
pub struct Session {
    url: DatabaseUrl,
    conn: PgConnection,
    default_schema: String,
}

/// What `apply` did.
#[derive(Debug)]
pub enum ApplyOutcome {
    /// Nothing to do.
    InSync(Outcome),
    /// The policy forbids the plan; nothing ran.
    Blocked(Outcome),
    /// The plan differs from the one that was approved (the database or the SQL changed since); nothing ran.
    Stale { outcome: Outcome, approved: String },
    Applied { outcome: Outcome, report: ApplyReport },
}

impl Session {
    pub async fn connect(url: &DatabaseUrl) -> Result<Session, EngineError> {
        if url.dialect() != Dialect::Postgres {
            return Err(EngineError::Unsupported(format!(
                "{}: only PostgreSQL is supported by this build",
                url.redacted()
            )));
        }
        let mut conn = PgConnection::connect(url.expose())
            .await
            .map_err(|source| EngineError::Connect { url: url.redacted(), source })?;
        let default_schema: Option<String> = sqlx::query_scalar("SELECT current_schema()").fetch_one(&mut conn).await?;
        let default_schema = default_schema.ok_or_else(|| {
            EngineError::Unsupported("the connection has no current schema: set search_path for the user".into())
        })?;
        Ok(Session { url: url.clone(), conn, default_schema })
    }

    pub fn dialect(&self) -> Dialect {
        self.url.dialect()
    }

    /// The schema unqualified names land in.
    pub fn default_schema(&self) -> &str {
        &self.default_schema
    }

    /// The live schema of the given schemas (all of them when empty: the default schema only).
    pub async fn inspect(&mut self, schemas: &[String]) -> Result<Database, EngineError> {
        let schemas = if schemas.is_empty() { vec![self.default_schema.clone()] } else { schemas.to_vec() };
        Ok(driftless_inspect::inspect_postgres(&mut self.conn, &schemas, &self.default_schema).await?)
    }

    /// Computes the plan that brings the database to the desired schema, and lints it, counting the rows
    /// that data-dependent findings are about. Changes nothing.
    pub async fn plan(&mut self, desired: &Desired, settings: &Settings) -> Result<Outcome, EngineError> {
        let mut desired_model = parse_desired(desired, self.dialect(), &self.default_schema)?;
        let managed = settings.scope.managed_schemas(&self.default_schema, &desired_model);
        let mut current = self.inspect(&managed).await?;
        let leftovers = driftless_inspect::leftovers_postgres(&mut self.conn, &managed).await?;
        settings.scope.apply(&mut desired_model, &managed);
        settings.scope.apply(&mut current, &managed);
        let repairs = take_leftovers(&mut current, &leftovers);
        let mut outcome = compute_with_repairs(&current, &desired_model, repairs, settings);
        count_violations(&mut self.conn, &mut outcome.findings).await;
        Ok(outcome)
    }

    /// Plans and applies under the schema lock, so the plan cannot go stale between inspect and apply. With
    /// `approved`, applies only a plan of that hash.
    pub async fn apply(
        &mut self,
        desired: &Desired,
        settings: &Settings,
        approved: Option<&str>,
    ) -> Result<ApplyOutcome, EngineError> {
        driftless_apply::acquire_schema_lock(&mut self.conn, settings.apply.schema_lock_wait).await?;
        let result = self.apply_locked(desired, settings, approved).await;
        driftless_apply::release_schema_lock(&mut self.conn).await;
        result
    }

    async fn apply_locked(
        &mut self,
        desired: &Desired,
        settings: &Settings,
        approved: Option<&str>,
    ) -> Result<ApplyOutcome, EngineError> {
        let outcome = self.plan(desired, settings).await?;
        if outcome.in_sync() {
            return Ok(ApplyOutcome::InSync(outcome));
        }
        if outcome.blocked() {
            return Ok(ApplyOutcome::Blocked(outcome));
        }
        if let Some(approved) = approved {
            if approved != outcome.plan.hash() {
                return Ok(ApplyOutcome::Stale { outcome, approved: approved.to_string() });
            }
        }
        let report = driftless_apply::execute_postgres(&mut self.conn, &outcome.plan, &settings.apply).await?;
        Ok(ApplyOutcome::Applied { outcome, report })
    }
}
