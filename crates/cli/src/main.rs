//! The `driftless` command line: inspect, plan, apply, diff.

mod args;
mod manifest;
mod output;

use anyhow::{Context, Result, bail};
use args::{
    ApplyArgs, Cli, Command, DiffArgs, InspectArgs, LogFormat, OperatorArgs, PlanArgs, PlanFormat, SchemaFormat,
    TargetArgs,
};
use clap::Parser;
use driftless_engine::{
    ApplyOutcome, Approval, DatabaseUrl, Desired, Hints, Level, MIN_LOCK_TIMEOUT, NotManaged, Outcome, Session,
    Settings, compute_with_hints, looks_like_url, parse_desired_with_hints,
};
use output::Style;
use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

/// Exit codes, as documented in DESIGN.md and the README.
mod exit {
    pub const OK: u8 = 0;
    pub const ERROR: u8 = 1;
    pub const PENDING: u8 = 2;
    pub const BLOCKED: u8 = 3;
    pub const USAGE: u8 = 64;
}

/// A mistake in how the command was called (exit 64), as opposed to a failure while running it.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct UsageError(String);

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() { exit::USAGE } else { exit::OK });
        }
    };
    let default_filter = if matches!(cli.command, Command::Operator(_)) { "info" } else { "warn" };
    init_logging(cli.log.as_deref().unwrap_or(default_filter), cli.log_format);
    // the operator reconciles resources in parallel; a command does one thing at a time
    let log_format = cli.log_format;
    let runtime = match cli.command {
        Command::Operator(_) => tokio::runtime::Builder::new_multi_thread().enable_all().build(),
        _ => tokio::runtime::Builder::new_current_thread().enable_all().build(),
    };
    match runtime.expect("tokio runtime").block_on(run(cli.command)) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            match log_format {
                // a log collector reads every line of a JSON log, the last one too
                LogFormat::Json => tracing::error!(error = describe(&err), "exiting"),
                LogFormat::Text => eprintln!("{} {}", Style::detect().red("error:"), describe(&err)),
            }
            let usage = err.downcast_ref::<UsageError>().is_some();
            ExitCode::from(if usage { exit::USAGE } else { exit::ERROR })
        }
    }
}

/// The error and its causes, a cause left out when the message before it already says it: many errors, sqlx's
/// among them, print their source inside their own message too, which `{:#}` would then repeat. A PostgreSQL
/// error's ` at line N` (the line of PostgreSQL's C source that raised it, which reads as a line of the user's
/// SQL) is dropped, and control characters are shown as visible escapes.
fn describe(err: &anyhow::Error) -> String {
    let source_lines: Vec<String> = err
        .chain()
        .filter_map(|cause| cause.downcast_ref::<sqlx::Error>())
        .filter_map(|error| error.as_database_error())
        .filter_map(|error| error.try_downcast_ref::<sqlx::postgres::PgDatabaseError>())
        .filter_map(|error| error.line())
        .map(|line| format!(" at line {line}"))
        .collect();
    let mut text = String::new();
    for cause in err.chain() {
        let mut message = cause.to_string();
        for suffix in &source_lines {
            message = message.replace(suffix.as_str(), "");
        }
        if text.contains(&message) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&message);
    }
    output::visible(&text)
}

fn init_logging(filter: &str, format: LogFormat) {
    let filter =
        std::env::var("RUST_LOG").or_else(|_| std::env::var("DRIFTLESS_LOG")).unwrap_or_else(|_| filter.to_string());
    // sqlx logs an unknown connect parameter with its value, which may be a password: never shown (the URL's
    // unknown parameters are dropped before sqlx sees them; this is the second line of defence)
    let filter = tracing_subscriber::EnvFilter::new(filter)
        .add_directive("sqlx_postgres::options=off".parse().expect("a valid directive"));
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none())
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => logs.init(),
        LogFormat::Json => logs.json().init(),
    }
}

async fn run(command: Command) -> Result<u8> {
    match command {
        Command::Inspect(args) => inspect(args).await,
        Command::Plan(args) => plan(args).await,
        Command::Apply(args) => apply(args).await,
        Command::Diff(args) => diff(args).await,
        Command::Crd => {
            print!("{}", driftless_api::crd_yaml());
            Ok(exit::OK)
        }
        Command::Operator(args) => operator(args).await,
    }
}

async fn operator(args: OperatorArgs) -> Result<u8> {
    let client = kube::Client::try_default().await.context("connecting to the Kubernetes API")?;
    let identity = std::env::var("POD_NAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok().map(|name| name.trim().to_string()))
        .unwrap_or_else(|| format!("driftless-{}", std::process::id()));
    let leader_election = args.leader_election.then(|| driftless_operator::LeaderElection {
        lease_name: args.lease_name,
        lease_namespace: args.lease_namespace.unwrap_or_else(|| client.default_namespace().to_string()),
        lease_duration: 15,
    });
    let config = driftless_operator::OperatorConfig {
        namespaces: args.namespaces,
        metrics_addr: args.metrics_addr,
        leader_election,
        retry: driftless_operator::Retry::default(),
        identity,
    };
    driftless_operator::run(client, config, shutdown_signal()).await?;
    Ok(exit::OK)
}

/// SIGTERM (Kubernetes stopping the pod) or Ctrl-C.
async fn shutdown_signal() {
    let mut terminate =
        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("SIGTERM handler");
    tokio::select! {
        _ = terminate.recv() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
    tracing::info!("shutting down");
}

async fn inspect(args: InspectArgs) -> Result<u8> {
    let url = database_url(args.url.url.as_deref(), None)?;
    let mut session = Session::connect(&url).await?;
    let db = session.inspect(&args.schemas).await?;
    match args.format {
        SchemaFormat::Sql => {
            let ddl = driftless_plan::render_schema(&db)?;
            // DDL redirected to a file stays exact; on a terminal, names cannot send it escape sequences
            if std::io::stdout().is_terminal() { print!("{}", output::visible(&ddl)) } else { print!("{ddl}") }
        }
        SchemaFormat::Json => println!("{}", serde_json::to_string_pretty(&db)?),
    }
    Ok(exit::OK)
}

async fn plan(args: PlanArgs) -> Result<u8> {
    let (desired, settings, url) = load_target(&args.target)?;
    let mut session = Session::connect(&url).await?;
    let parsed = session.parse(&desired)?;
    drop(desired);
    let outcome = session.plan_parsed(parsed, &settings).await?;
    print_plan(&outcome, &url.redacted(), args.format, None);
    Ok(if outcome.blocked() {
        exit::BLOCKED
    } else if args.detailed_exitcode && !outcome.in_sync() {
        exit::PENDING
    } else {
        exit::OK
    })
}

async fn apply(args: ApplyArgs) -> Result<u8> {
    let (desired, mut settings, url) = load_target(&args.target)?;
    settings.force = args.force;
    let mut session = Session::connect(&url).await?;
    let database = url.redacted();
    let style = Style::detect();

    // Without --auto-approve a person approves the plan they saw; apply then runs only that exact plan.
    let approved = if args.auto_approve && !args.dry_run {
        None
    } else {
        let preview = session.plan(&desired, &settings).await?;
        print_plan(&preview, &database, args.format, None);
        if preview.blocked() {
            return Ok(exit::BLOCKED);
        }
        if args.dry_run || preview.in_sync() {
            return Ok(exit::OK);
        }
        if preview.will_fail().is_some() && !settings.force {
            bail!(
                "the plan {}: nothing was applied; fix the rows first, or pass --force to start it anyway",
                preview.verdict()
            );
        }
        if !std::io::stdin().is_terminal() {
            bail!(UsageError("apply needs --auto-approve when no terminal is attached to approve the plan".into()));
        }
        if !confirm(&format!("Apply {}?", output::counted(preview.plan.statements.len(), "statement")))? {
            eprintln!("Nothing applied.");
            return Ok(exit::OK);
        }
        Some(preview.plan.hash())
    };

    let approval = approved.as_deref().map_or(Approval::Policy, Approval::Exactly);
    let result = session.apply(&desired, &settings, approval).await;
    match result? {
        ApplyOutcome::InSync(outcome) => {
            if approved.is_none() {
                print_plan(&outcome, &database, args.format, None);
            }
            Ok(exit::OK)
        }
        ApplyOutcome::Blocked(outcome) => {
            print_plan(&outcome, &database, args.format, None);
            Ok(exit::BLOCKED)
        }
        ApplyOutcome::Stale { outcome, approved } => bail!(
            "the plan changed since it was approved ({approved} → {}): the database or the SQL changed; run apply again",
            outcome.plan.hash()
        ),
        ApplyOutcome::Applied { outcome, report } => {
            if approved.is_none() {
                print_plan(&outcome, &database, args.format, Some(report.statements_applied));
            } else if args.format == PlanFormat::Json {
                print!("{}", output::json(&outcome, &database, Some(report.statements_applied)));
            }
            if args.format != PlanFormat::Json {
                println!(
                    "{}",
                    style.green(&format!("Applied {}.", output::counted(report.statements_applied, "statement")))
                );
            }
            Ok(exit::OK)
        }
    }
}

async fn diff(args: DiffArgs) -> Result<u8> {
    // Each side is a database or a file; a file takes the default schema of the database on the other side.
    let mut sessions = Vec::new();
    for (flag, side) in [("--from", &args.from), ("--to", &args.to)] {
        sessions.push(if looks_like_url(side) {
            Some(Session::connect(&DatabaseUrl::parse(side).context(flag)?).await?)
        } else {
            None
        });
    }
    let dialect = sessions.iter().flatten().next().map_or(driftless_engine::Dialect::Postgres, |s| s.dialect());
    let default_schema = sessions
        .iter()
        .flatten()
        .next()
        .map_or(dialect.default_schema().to_string(), |s| s.default_schema().to_string());
    let mut models = Vec::new();
    // The target file's directives (renames, suppressions) apply; the source's describe nothing to do.
    let mut hints = Hints::default();
    let mut not_managed = NotManaged::default();
    for (is_target, side, session) in [(false, &args.from), (true, &args.to)]
        .into_iter()
        .zip(sessions.iter_mut())
        .map(|((is_target, side), session)| (is_target, side, session))
    {
        models.push(match session {
            Some(session) => session.inspect(&[]).await?,
            None => {
                let parsed =
                    parse_desired_with_hints(&Desired::from_sql_file(side.as_ref())?, dialect, &default_schema)?;
                if is_target {
                    hints = parsed.hints;
                    not_managed = parsed.not_managed;
                }
                parsed.database
            }
        });
    }
    let mut outcome = compute_with_hints(&models[0], &models[1], &hints, &Settings::default())?;
    outcome.not_managed = not_managed;
    print_plan(&outcome, &describe_side(&args.to), args.format, None);
    Ok(exit::OK)
}

/// A `--from`/`--to` location as shown: through the one redaction of user-supplied locations.
fn describe_side(side: &str) -> String {
    DatabaseUrl::redact_location(side)
}

fn print_plan(outcome: &Outcome, database: &str, format: PlanFormat, applied: Option<usize>) {
    match format {
        PlanFormat::Text => print!("{}", output::text(outcome, database, Style::detect())),
        PlanFormat::Json => print!("{}", output::json(outcome, database, applied)),
        PlanFormat::Markdown => print!("{}", output::markdown(outcome, database)),
    }
}

/// The desired schema, the settings (the manifest's spec, overridden by flags) and the database.
fn load_target(target: &TargetArgs) -> Result<(Desired, Settings, DatabaseUrl)> {
    let flags = &target.policy;
    let (desired, spec) = match (&target.desired.file, &target.desired.manifest) {
        (Some(file), _) => (Desired::from_sql_file(file)?, None),
        (None, Some(path)) => manifest::read(path).map(|(desired, spec)| (desired, Some(spec)))?,
        (None, None) => bail!(UsageError("give the desired schema with --file or -f".into())),
    };
    let mut settings = match &spec {
        // a setting the manifest spells wrong is the user's to fix, like a bad flag
        Some(spec) => spec.settings().map_err(|e| UsageError(format!("{}: {e}", desired.origin)))?,
        None => Settings::default(),
    };
    if flags.allow_destructive {
        settings.lint.destructive = Level::Warn;
    }
    for (analyzer, level) in &flags.lint_levels {
        settings.lint.set(*analyzer, *level);
    }
    settings.skip.extend(flags.skip.iter().copied());
    if flags.concurrent_index {
        settings.online.concurrent_create = true;
        settings.online.concurrent_drop = true;
    }
    if flags.online_constraints {
        settings.online.validate_separately = true;
    }
    if let Some(timeout) = &flags.statement_timeout {
        settings.apply.statement_timeout = Some(driftless_engine::parse_duration("--statement-timeout", timeout)?);
    }
    if !flags.schemas.is_empty() {
        settings.scope.schemas = flags.schemas.clone();
    }
    settings.scope.exclude.extend(flags.exclude.iter().cloned());
    if let Some(timeout) = &flags.lock_timeout {
        let timeout = driftless_engine::parse_duration("--lock-timeout", timeout)?;
        if timeout < MIN_LOCK_TIMEOUT {
            bail!(UsageError(format!(
                "--lock-timeout must be at least {}ms; 0 would mean waiting forever",
                MIN_LOCK_TIMEOUT.as_millis()
            )));
        }
        settings.apply.lock_timeout = timeout;
    }
    let url = database_url(target.url.url.as_deref(), spec.as_ref().and_then(|s| s.url.as_deref()))?;
    Ok((desired, settings, url))
}

/// `--url`, else `$DATABASE_URL` (clap reads it into `--url`), else the manifest's `spec.url`.
fn database_url(flag: Option<&str>, from_manifest: Option<&str>) -> Result<DatabaseUrl> {
    let text =
        flag.or(from_manifest).ok_or_else(|| UsageError("no database: pass --url or set DATABASE_URL".into()))?;
    DatabaseUrl::parse(text).context("--url")
}

fn confirm(question: &str) -> Result<bool> {
    eprint!("{question} [y/N] ");
    std::io::stderr().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An error that, like sqlx's, prints its source in its own message and also reports it as its source.
    #[derive(Debug, thiserror::Error)]
    #[error("decoding column 3: {0}")]
    struct Decode(#[source] std::fmt::Error);

    #[test]
    fn a_cause_already_in_the_message_is_not_repeated() {
        let err = anyhow::Error::new(Decode(std::fmt::Error)).context("inspecting the database");
        assert_eq!(
            describe(&err),
            "inspecting the database: decoding column 3: an error occurred when formatting an argument"
        );
    }
}
