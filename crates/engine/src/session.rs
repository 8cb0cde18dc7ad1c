use crate::dialect::{self, Live};
use crate::{
    DatabaseUrl, Desired, EngineError, Outcome, ParsedSchema, Settings, compute_with_repairs, parse_desired_with_hints,
};
use driftless_apply::ApplyReport;
use driftless_model::{Database, Dialect};

/// An open connection to the database under management.
pub struct Session {
    live: Box<dyn Live>,
}

/// Which plans `apply` may run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Approval<'a> {
    /// Any plan the lint policy allows.
    Policy,
    /// Only the plan of this hash, which a person approved: it runs even when lint findings would block it.
    Exactly(&'a str),
    /// Any plan the lint policy allows, and a blocked plan when it has this hash (approved by a person).
    PolicyOrExactly(&'a str),
}

/// What `apply` did.
#[derive(Debug)]
pub enum ApplyOutcome {
    /// Nothing to do.
    InSync(Outcome),
    /// The policy forbids the plan; nothing ran.
    Blocked(Outcome),
    /// The plan differs from the one that was approved (the database or the SQL changed since); nothing ran.
    Stale {
        outcome: Outcome,
        approved: String,
    },
    Applied {
        outcome: Outcome,
        report: ApplyReport,
    },
}

impl Session {
    pub async fn connect(url: &DatabaseUrl) -> Result<Session, EngineError> {
        Ok(Session { live: dialect::connect(url).await? })
    }

    pub fn dialect(&self) -> Dialect {
        self.live.rules().dialect()
    }

    /// The schema unqualified names land in.
    pub fn default_schema(&self) -> &str {
        self.live.default_schema()
    }

    /// The live schema of the given schemas (all of them when empty: the default schema only).
    pub async fn inspect(&mut self, schemas: &[String]) -> Result<Database, EngineError> {
        self.live.inspect(schemas).await
    }

    /// Computes the plan that brings the database to the desired schema, and lints it, counting the rows
    /// that data-dependent findings are about. Changes nothing.
    pub async fn plan(&mut self, desired: &Desired, settings: &Settings) -> Result<Outcome, EngineError> {
        let parsed = self.parse(desired)?;
        self.plan_parsed(parsed, settings).await
    }

    /// The desired schema in this database's dialect, resolved against its default schema.
    pub fn parse(&self, desired: &Desired) -> Result<ParsedSchema, EngineError> {
        let parse_error = |source| EngineError::Parse { origin: desired.origin.clone(), source };
        self.live.rules().refuse_unprintable(&desired.sql).map_err(parse_error)?;
        let parsed = parse_desired_with_hints(desired, self.dialect(), self.default_schema())?;
        let default_schema = Some(self.default_schema());
        crate::system::refuse_system_schemas(
            &parsed.database,
            self.live.rules(),
            default_schema,
            &desired.sql,
            &desired.origin,
        )?;
        Ok(parsed)
    }

    /// [`Session::plan`] of a schema already parsed, so that a caller can let go of its SQL text before the
    /// live schema is read (4 MiB at 5,000 tables).
    pub async fn plan_parsed(&mut self, parsed: ParsedSchema, settings: &Settings) -> Result<Outcome, EngineError> {
        let ParsedSchema { database: mut desired_model, hints, not_managed } = parsed;
        let rules = self.live.rules();
        crate::system::refuse_system_scope(rules, &settings.scope.schemas)?;
        let managed = settings.scope.managed_schemas(self.default_schema(), &desired_model);
        crate::system::refuse_system_scope(rules, &managed)?;
        let mut current = self.inspect(&managed).await?;
        settings.scope.apply(&mut current, &mut desired_model, &managed);
        let repairs = self.live.prepare(&mut current, &mut desired_model, &managed).await?;
        let mut outcome = compute_with_repairs(&current, &desired_model, &hints, repairs, settings)?;
        outcome.not_managed = not_managed;
        self.live.count(&mut outcome.findings).await;
        Ok(outcome)
    }

    /// Plans and applies under the schema lock, so the plan cannot go stale between inspect and apply, as far
    /// as `approval` allows.
    ///
    /// PostgreSQL: an advisory lock held around the plan and its transactions. SQLite: one `BEGIN IMMEDIATE`
    /// transaction around everything (SQLite's write lock), committed only when the plan ran in full. MySQL:
    /// `GET_LOCK` held around the plan and its statements, each of which commits on its own.
    pub async fn apply(
        &mut self,
        desired: &Desired,
        settings: &Settings,
        approval: Approval<'_>,
    ) -> Result<ApplyOutcome, EngineError> {
        self.live.lock(settings.apply.schema_lock_wait).await?;
        let result = self.apply_locked(desired, settings, approval).await;
        let commit = matches!(result, Ok(ApplyOutcome::Applied { .. }));
        let unlocked = self.live.unlock(commit).await;
        let outcome = result?;
        unlocked?;
        Ok(outcome)
    }

    async fn apply_locked(
        &mut self,
        desired: &Desired,
        settings: &Settings,
        approval: Approval<'_>,
    ) -> Result<ApplyOutcome, EngineError> {
        let outcome = self.plan(desired, settings).await?;
        if outcome.in_sync() {
            return Ok(ApplyOutcome::InSync(outcome));
        }
        let hash = outcome.plan.hash();
        match approval {
            Approval::Exactly(approved) if approved != hash => {
                return Ok(ApplyOutcome::Stale { outcome, approved: approved.to_string() });
            }
            Approval::Exactly(_) => {}
            Approval::PolicyOrExactly(approved) if approved == hash => {}
            Approval::Policy | Approval::PolicyOrExactly(_) if outcome.blocked() => {
                return Ok(ApplyOutcome::Blocked(outcome));
            }
            Approval::Policy | Approval::PolicyOrExactly(_) => {}
        }
        if let Some(rows) = outcome.will_fail()
            && !settings.force
        {
            let findings =
                outcome.failing_findings().map(|finding| format!("{}: {}", finding.code, finding.message)).collect();
            return Err(EngineError::WillFail { rows, findings, outcome: Box::new(outcome) });
        }
        let report = self.live.execute(&outcome.plan, &settings.apply).await?;
        Ok(ApplyOutcome::Applied { outcome, report })
    }
}
