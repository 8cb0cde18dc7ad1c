use clap::{Args, Parser, Subcommand, ValueEnum};
use driftless_engine::{Analyzer, Level, SkipKey};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(name = "driftless", version, about = "Keeps a database's schema equal to a declared one")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Log level filter, e.g. `info`, `driftless=debug` (also `RUST_LOG` or `DRIFTLESS_LOG`). Default: `warn`,
    /// `info` for the operator.
    #[arg(long, global = true)]
    pub log: Option<String>,
    /// Log lines as text or as JSON objects (for log collectors).
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Print the live schema as normalized DDL or JSON.
    Inspect(InspectArgs),
    /// Show the statements that would bring the database to the desired schema, and lint findings.
    Plan(PlanArgs),
    /// Plan, then apply under the schema lock.
    Apply(ApplyArgs),
    /// Diff any two schemas, each a database URL or a SQL file.
    Diff(DiffArgs),
    /// Print the DatabaseSchema CustomResourceDefinition as YAML.
    Crd,
    /// Run the Kubernetes controller (in a cluster, or outside one with the kubeconfig).
    Operator(OperatorArgs),
}

#[derive(Args, Debug)]
pub struct OperatorArgs {
    /// Address of `/metrics`, `/healthz` and `/readyz`: `HOST:PORT`, or `:PORT` for every interface.
    #[arg(long, default_value = "0.0.0.0:8080", value_parser = listen_address)]
    pub metrics_addr: std::net::SocketAddr,
    /// Run the controllers only while holding a Lease, so that one of several replicas acts at a time.
    #[arg(long)]
    pub leader_election: bool,
    #[arg(long, default_value = "driftless-operator")]
    pub lease_name: String,
    /// Namespace of the Lease. Default: `$POD_NAMESPACE`, else the kubeconfig's namespace.
    #[arg(long, env = "POD_NAMESPACE")]
    pub lease_namespace: Option<String>,
    /// Watch only this namespace (repeatable). Default: all namespaces.
    #[arg(long = "namespace", value_name = "NAMESPACE")]
    pub namespaces: Vec<String>,
}

#[derive(Args, Debug)]
pub struct InspectArgs {
    #[command(flatten)]
    pub url: UrlArg,
    /// Schemas to inspect (repeatable); default: the connection's current schema.
    #[arg(long = "schema", value_name = "SCHEMA")]
    pub schemas: Vec<String>,
    #[arg(long, value_enum, default_value_t = SchemaFormat::Sql)]
    pub format: SchemaFormat,
}

#[derive(Args, Debug)]
pub struct UrlArg {
    /// Database URL: postgres://, postgresql://, mysql://, mariadb:// or sqlite://PATH.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    pub url: Option<String>,
}

#[derive(Args, Debug)]
#[group(required = true, multiple = false)]
pub struct DesiredArgs {
    /// The desired schema as a SQL file.
    #[arg(long, value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// A DatabaseSchema (or Atlas AtlasSchema) manifest with the SQL inline.
    #[arg(short = 'f', long = "manifest", value_name = "MANIFEST")]
    pub manifest: Option<PathBuf>,
}

/// Flags that mirror the resource's policy and scope; they override the manifest.
#[derive(Args, Debug)]
pub struct PolicyArgs {
    /// Let drops of schemas, tables and columns through (policy.lint.destructive.error: false).
    #[arg(long)]
    pub allow_destructive: bool,
    /// Schemas under management (repeatable); default: the current schema plus those the SQL names.
    #[arg(long = "schema", value_name = "SCHEMA")]
    pub schemas: Vec<String>,
    /// Globs of objects never touched, `name` or `schema.name` (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Per-statement lock wait, e.g. 5s.
    #[arg(long, value_name = "DURATION")]
    pub lock_timeout: Option<String>,
    /// Per-statement run time limit, e.g. 10m (default: none).
    #[arg(long, value_name = "DURATION")]
    pub statement_timeout: Option<String>,
    /// Never plan this kind of change (repeatable), one of Atlas's policy.diff.skip keys: add_schema,
    /// drop_schema, modify_schema, add_table, drop_table, modify_table, rename_table, add_column, drop_column,
    /// modify_column, add_index, drop_index, modify_index, add_foreign_key, drop_foreign_key,
    /// modify_foreign_key, rename_constraint.
    #[arg(long, value_name = "KEY", value_parser = parse_skip_key)]
    pub skip: Vec<SkipKey>,
    /// Set an analyzer's level (repeatable): destructive, data_dependent, backward_incompatible,
    /// constraint_drop or lock_hazard, each =error, =warn or =off.
    #[arg(long = "lint", value_name = "ANALYZER=LEVEL", value_parser = parse_lint_level)]
    pub lint_levels: Vec<(Analyzer, Level)>,
    /// Build and drop indexes of existing tables CONCURRENTLY, and attach unique and primary keys to
    /// concurrently built indexes (policy.diff.concurrent_index).
    #[arg(long)]
    pub concurrent_index: bool,
    /// Add foreign keys and checks to existing tables NOT VALID and validate them separately; prove SET NOT
    /// NULL with a validated check (policy.diff.online_constraints).
    #[arg(long)]
    pub online_constraints: bool,
}

fn parse_skip_key(text: &str) -> Result<SkipKey, String> {
    SkipKey::from_name(text).ok_or_else(|| {
        let keys: Vec<&str> = SkipKey::ALL.iter().map(|key| key.name()).collect();
        format!("unknown skip key; use one of {}", keys.join(", "))
    })
}

fn parse_lint_level(text: &str) -> Result<(Analyzer, Level), String> {
    let (name, level) = text.split_once('=').ok_or("expected ANALYZER=LEVEL, e.g. data_dependent=error")?;
    let analyzer = Analyzer::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = Analyzer::ALL.iter().map(|analyzer| analyzer.name()).collect();
        format!("unknown analyzer `{name}`; use one of {}", names.join(", "))
    })?;
    let level = match level {
        "error" => Level::Error,
        "warn" => Level::Warn,
        "off" => Level::Off,
        other => return Err(format!("unknown level `{other}`; use error, warn or off")),
    };
    Ok((analyzer, level))
}

/// What `plan` and `apply` work on: a database, the desired schema, and the policy.
#[derive(Args, Debug)]
pub struct TargetArgs {
    #[command(flatten)]
    pub url: UrlArg,
    #[command(flatten)]
    pub desired: DesiredArgs,
    #[command(flatten)]
    pub policy: PolicyArgs,
}

#[derive(Args, Debug)]
pub struct PlanArgs {
    #[command(flatten)]
    pub target: TargetArgs,
    #[arg(long, value_enum, default_value_t = PlanFormat::Text)]
    pub format: PlanFormat,
    /// Exit 2 when changes are pending (0 only when in sync).
    #[arg(long)]
    pub detailed_exitcode: bool,
}

#[derive(Args, Debug)]
pub struct ApplyArgs {
    #[command(flatten)]
    pub target: TargetArgs,
    /// Apply without asking.
    #[arg(long)]
    pub auto_approve: bool,
    /// Show the plan and stop.
    #[arg(long)]
    pub dry_run: bool,
    /// Start a plan that counted rows say will fail (it then fails at that statement).
    #[arg(long)]
    pub force: bool,
    #[arg(long, value_enum, default_value_t = PlanFormat::Text)]
    pub format: PlanFormat,
}

#[derive(Args, Debug)]
pub struct DiffArgs {
    /// The current schema: a database URL or a SQL file.
    #[arg(long, value_name = "URL|FILE")]
    pub from: String,
    /// The desired schema: a database URL or a SQL file.
    #[arg(long, value_name = "URL|FILE")]
    pub to: String,
    #[arg(long, value_enum, default_value_t = PlanFormat::Text)]
    pub format: PlanFormat,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchemaFormat {
    Sql,
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlanFormat {
    Text,
    Json,
    Markdown,
}

/// `:8080` (Go's spelling, as in controller-runtime's flags) means every interface.
fn listen_address(text: &str) -> Result<std::net::SocketAddr, String> {
    let full = if text.starts_with(':') { format!("0.0.0.0{text}") } else { text.to_string() };
    full.parse().map_err(|e| format!("`{text}` is not HOST:PORT or :PORT ({e})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listen_addresses_take_go_spelling_too() {
        assert_eq!(listen_address(":8080").unwrap().to_string(), "0.0.0.0:8080");
        assert_eq!(listen_address("127.0.0.1:9090").unwrap().to_string(), "127.0.0.1:9090");
        assert!(listen_address("8080").unwrap_err().contains("`8080` is not HOST:PORT"));
    }
}
