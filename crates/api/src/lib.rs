//! The `DatabaseSchema` resource (`driftless.dev/v1alpha1`): the spec shared by the CLI (`-f manifest.yaml`)
//! and the operator. The shape follows Atlas Operator's `AtlasSchema`, so its manifests are read as they are.

mod manifest;
mod policy;

pub use manifest::{Manifest, ManifestError};
pub use policy::{ConcurrentIndex, DiffPolicy, LintLevel, LintPolicy, LintRule, Policy, SkipChanges};

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const GROUP: &str = "driftless.dev";
pub const VERSION: &str = "v1alpha1";
pub const KIND: &str = "DatabaseSchema";

/// What a `DatabaseSchema` asks for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct DatabaseSchemaSpec {
    /// Database URL, e.g. `postgres://user:pass@host:5432/db`. Exactly one of url, urlFrom, credentials.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Database URL read from a Secret key (CloudNativePG's `<cluster>-app` secret, key `uri`, works as is).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url_from: Option<ValueFrom>,
    /// Connection parameters, with the password read from a Secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credentials: Option<Credentials>,
    /// The desired schema as SQL DDL.
    #[serde(default)]
    pub schema: SchemaSource,
    /// Schemas under management. Default: the connection's current schema plus every schema the desired SQL
    /// creates or names. Other schemas are never touched.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schemas: Vec<String>,
    /// Globs of objects never touched, as `name` or `schema.name` (`audit_*`, `public.legacy_*`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<Policy>,
    /// `apply` (default) executes the plan; `plan` computes, lints and reports only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<Mode>,
    /// `auto` (default) or `manual`: wait for the annotation `driftless.dev/approve-plan: <plan hash>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval: Option<Approval>,
    /// Re-inspect the live database this often even when nothing changed, e.g. `10m`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drift_check_interval: Option<String>,
    /// Per-statement lock wait before giving up, e.g. `5s`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lock_timeout: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ValueFrom {
    pub secret_key_ref: Option<KeyRef>,
}

/// A key of a Secret or ConfigMap in the resource's namespace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct KeyRef {
    pub name: String,
    pub key: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Credentials {
    /// `postgres`, `mysql`, `mariadb` or `sqlite`.
    pub scheme: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// A literal password; prefer `passwordFrom`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_from: Option<ValueFrom>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database: Option<String>,
    /// Extra URL query parameters, e.g. `sslmode: disable`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub parameters: BTreeMap<String, String>,
}

/// Where the desired SQL comes from: exactly one of `sql` and `configMapKeyRef`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct SchemaSource {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sql: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_map_key_ref: Option<KeyRef>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    #[default]
    Apply,
    Plan,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Approval {
    #[default]
    Auto,
    Manual,
}
