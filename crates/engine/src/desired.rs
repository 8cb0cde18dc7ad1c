use crate::EngineError;
use driftless_api::{DatabaseSchemaSpec, Manifest};
use std::path::Path;

/// The desired schema's SQL, where it came from, and the resource spec when it came from a manifest.
#[derive(Debug, Clone)]
pub struct Desired {
    pub sql: String,
    /// A file name or `DatabaseSchema/<name>`, for error messages.
    pub origin: String,
    pub spec: Option<DatabaseSchemaSpec>,
}

impl Desired {
    pub fn from_sql(sql: impl Into<String>, origin: impl Into<String>) -> Desired {
        Desired { sql: sql.into(), origin: origin.into(), spec: None }
    }

    /// Reads a `.sql` file.
    pub fn from_sql_file(path: &Path) -> Result<Desired, EngineError> {
        Ok(Desired::from_sql(read(path)?, path.display().to_string()))
    }

    /// Reads a `DatabaseSchema` or `AtlasSchema` manifest. The schema must be inline (`spec.schema.sql`):
    /// a ConfigMap reference needs a cluster.
    pub fn from_manifest_file(path: &Path) -> Result<Desired, EngineError> {
        let manifest =
            Manifest::from_yaml(&read(path)?).map_err(|e| EngineError::Manifest(format!("{}: {e}", path.display())))?;
        Desired::from_manifest(manifest, &path.display().to_string())
    }

    pub fn from_manifest(manifest: Manifest, file: &str) -> Result<Desired, EngineError> {
        let Some(sql) = manifest.spec.schema.sql.clone() else {
            return Err(EngineError::Manifest(format!(
                "{file}: {}/{} takes its SQL from a ConfigMap (spec.schema.configMapKeyRef); pass the SQL file with --file",
                manifest.kind, manifest.name
            )));
        };
        Ok(Desired { sql, origin: format!("{file} ({}/{})", manifest.kind, manifest.name), spec: Some(manifest.spec) })
    }
}

fn read(path: &Path) -> Result<String, EngineError> {
    std::fs::read_to_string(path).map_err(|e| EngineError::Io(format!("reading {}: {e}", path.display())))
}
