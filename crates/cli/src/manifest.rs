//! `-f manifest.yaml`: the desired schema and the spec of a `DatabaseSchema` or `AtlasSchema` manifest.

use anyhow::{Result, anyhow, bail};
use driftless_api::{DatabaseSchemaSpec, Manifest};
use driftless_engine::{DatabaseUrl, Desired, read_input};
use std::path::Path;

/// Reads a manifest. Its schema must be inline (`spec.schema.sql`): a ConfigMap reference needs a cluster.
pub fn read(path: &Path) -> Result<(Desired, DatabaseSchemaSpec)> {
    let file = DatabaseUrl::redact_location(&path.to_string_lossy());
    let manifest = Manifest::from_yaml(&read_input(path)?).map_err(|e| anyhow!("{file}: {e}"))?;
    let Some(sql) = manifest.spec.schema.sql.clone() else {
        bail!(
            "{file}: {}/{} takes its SQL from a ConfigMap (spec.schema.configMapKeyRef); pass the SQL file with --file",
            manifest.kind,
            manifest.name
        );
    };
    let origin = format!("{file} ({}/{})", manifest.kind, manifest.name);
    Ok((Desired::from_sql(sql, origin), manifest.spec))
}
