use crate::leftovers::take_leftovers;
use crate::violations::{count_violations, count_violations_mysql, count_violations_sqlite};
use crate::{
    DatabaseUrl, Desired, EngineError, Outcome, ParsedSchema, Settings, compute_with_repairs, parse_desired_with_hints,
};
use driftless_apply::ApplyReport;
use driftless_model::{Database, Dialect};
use sqlx::mysql::MySqlConnectOptions;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection, MySqlConnection, PgConnection, SqliteConnection};
use std::str::FromStr;

/// An open connection to the database under management.
pub struct Session {
    url: DatabaseUrl,
    conn: Conn,
    default_schema: String,
}

/// The connection, per dialect.
enum Conn {
    Postgres(PgConnection),
    Sqlite(SqliteConnection),
    /// With its options, for the second connection inspect reads large schemas with.
    Mysql(MySqlConnection, Box<MySqlConnectOptions>),
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
        let connect_error = |source| EngineError::Connect { url: url.redacted(), source };
        match url.dialect() {
            Dialect::Postgres => {
                let mut conn = PgConnection::connect(url.expose()).await.map_err(connect_error)?;
                let default_schema: Option<String> =
                    sqlx::query_scalar("SELECT current_schema()").fetch_one(&mut conn).await?;
                let default_schema = default_schema.ok_or_else(|| {
                    EngineError::Unsupported(
                        "the connection has no current schema: set search_path for the user".into(),
                    )
                })?;
                Ok(Session { url: url.clone(), conn: Conn::Postgres(conn), default_schema })
            }
            Dialect::Sqlite => {
                // a missing file is a new, empty database: the quick start needs no set-up
                let options =
                    SqliteConnectOptions::from_str(url.expose()).map_err(connect_error)?.create_if_missing(true);
                let conn = options.connect().await.map_err(connect_error)?;
                Ok(Session {
                    url: url.clone(),
                    conn: Conn::Sqlite(conn),
                    default_schema: Dialect::Sqlite.default_schema().to_string(),
                })
            }
            Dialect::Mysql => {
                // sqlx reads `mysql://` only; `mariadb://` is the same protocol
                let text = url.expose();
                let text =
                    text.strip_prefix("mariadb://").map_or_else(|| text.to_string(), |rest| format!("mysql://{rest}"));
                let options = MySqlConnectOptions::from_str(&text).map_err(connect_error)?;
                let mut conn = options.connect().await.map_err(connect_error)?;
                let default_schema: Option<String> =
                    sqlx::query_scalar("SELECT CAST(DATABASE() AS CHAR)").fetch_one(&mut conn).await?;
                let default_schema = default_schema.ok_or_else(|| {
                    EngineError::Unsupported(format!(
                        "{}: name a database in the URL (mysql://host/DATABASE)",
                        url.redacted()
                    ))
                })?;
                Ok(Session { url: url.clone(), conn: Conn::Mysql(conn, Box::new(options)), default_schema })
            }
        }
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
        match &mut self.conn {
            Conn::Postgres(conn) => {
                let schemas = if schemas.is_empty() { vec![self.default_schema.clone()] } else { schemas.to_vec() };
                Ok(driftless_inspect::inspect_postgres(conn, &schemas, &self.default_schema).await?)
            }
            // SQLite has one schema
            Conn::Sqlite(conn) => Ok(driftless_inspect::inspect_sqlite(conn).await?),
            Conn::Mysql(conn, options) => {
                let schemas = if schemas.is_empty() { vec![self.default_schema.clone()] } else { schemas.to_vec() };
                Ok(driftless_inspect::inspect_mysql(conn, Some(options), &schemas).await?)
            }
        }
    }

    /// Computes the plan that brings the database to the desired schema, and lints it, counting the rows
    /// that data-dependent findings are about. Changes nothing.
    pub async fn plan(&mut self, desired: &Desired, settings: &Settings) -> Result<Outcome, EngineError> {
        let parsed = self.parse(desired)?;
        self.plan_parsed(parsed, settings).await
    }

    /// The desired schema in this database's dialect, resolved against its default schema.
    pub fn parse(&self, desired: &Desired) -> Result<ParsedSchema, EngineError> {
        let parsed = parse_desired_with_hints(desired, self.dialect(), &self.default_schema)?;
        let default_schema = Some(self.default_schema.as_str());
        crate::system::refuse_system_schemas(
            &parsed.database,
            self.dialect(),
            default_schema,
            &desired.sql,
            &desired.origin,
        )?;
        Ok(parsed)
    }

    /// [`Session::plan`] of a schema already parsed, so that a caller can let go of its SQL text before the
    /// live schema is read (4 MiB at 5,000 tables).
    pub async fn plan_parsed(&mut self, parsed: ParsedSchema, settings: &Settings) -> Result<Outcome, EngineError> {
        let ParsedSchema { database: mut desired_model, hints } = parsed;
        crate::system::refuse_system_scope(self.dialect(), &settings.scope.schemas)?;
        let managed = settings.scope.managed_schemas(&self.default_schema, &desired_model);
        crate::system::refuse_system_scope(self.dialect(), &managed)?;
        let mut current = self.inspect(&managed).await?;
        settings.scope.apply(&mut desired_model, &managed);
        settings.scope.apply(&mut current, &managed);
        match &mut self.conn {
            Conn::Postgres(conn) => {
                let leftovers = driftless_inspect::leftovers_postgres(conn, &managed).await?;
                let repairs = take_leftovers(&mut current, &leftovers);
                let mut outcome = compute_with_repairs(&current, &desired_model, &hints, repairs, settings)?;
                count_violations(conn, &mut outcome.findings).await;
                Ok(outcome)
            }
            // no online plans leave anything behind on SQLite
            Conn::Sqlite(conn) => {
                let mut outcome = compute_with_repairs(&current, &desired_model, &hints, Vec::new(), settings)?;
                count_violations_sqlite(conn, &mut outcome.findings).await;
                Ok(outcome)
            }
            // tables the desired SQL gives no character set take the database's
            Conn::Mysql(conn, _) => {
                let collation = driftless_inspect::mysql_database_collation(conn, &self.default_schema).await?;
                driftless_model::mysql::resolve_inherited(&mut desired_model, collation.as_deref().unwrap_or_default());
                let unplanned = driftless_model::mysql::unplanned_option_changes(&current, &desired_model);
                if !unplanned.is_empty() {
                    return Err(EngineError::Unsupported(format!(
                        "changing the engine or default collation of an existing MySQL table is not planned yet; \
                         change it by hand or keep the declared options as they are:\n  {}",
                        unplanned.join("\n  ")
                    )));
                }
                let mut outcome = compute_with_repairs(&current, &desired_model, &hints, Vec::new(), settings)?;
                count_violations_mysql(conn, &mut outcome.findings).await;
                Ok(outcome)
            }
        }
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
        let wait = settings.apply.schema_lock_wait;
        match &mut self.conn {
            Conn::Postgres(conn) => {
                driftless_apply::acquire_schema_lock(conn, wait).await?;
                let result = self.apply_locked(desired, settings, approval).await;
                if let Conn::Postgres(conn) = &mut self.conn {
                    driftless_apply::release_schema_lock(conn).await;
                }
                result
            }
            Conn::Sqlite(conn) => {
                let lock = driftless_apply::begin_sqlite(conn, wait).await?;
                let result = self.apply_locked(desired, settings, approval).await;
                let commit = matches!(result, Ok(ApplyOutcome::Applied { .. }));
                if let Conn::Sqlite(conn) = &mut self.conn {
                    driftless_apply::end_sqlite(conn, lock, commit).await?;
                }
                result
            }
            Conn::Mysql(conn, _) => {
                driftless_apply::acquire_mysql_lock(conn, wait).await?;
                let result = self.apply_locked(desired, settings, approval).await;
                if let Conn::Mysql(conn, _) = &mut self.conn {
                    driftless_apply::release_mysql_lock(conn).await;
                }
                result
            }
        }
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
        let report = match &mut self.conn {
            Conn::Postgres(conn) => driftless_apply::execute_postgres(conn, &outcome.plan, &settings.apply).await?,
            Conn::Sqlite(conn) => driftless_apply::execute_sqlite(conn, &outcome.plan).await?,
            Conn::Mysql(conn, _) => driftless_apply::execute_mysql(conn, &outcome.plan, &settings.apply).await?,
        };
        Ok(ApplyOutcome::Applied { outcome, report })
    }
}
