use crate::DatabaseSchemaSpec;
use serde::Deserialize;

/// A `DatabaseSchema` (or Atlas `AtlasSchema`) read from a YAML manifest.
#[derive(Debug, Clone, PartialEq)]
pub struct Manifest {
    pub kind: String,
    pub name: String,
    pub namespace: Option<String>,
    pub spec: DatabaseSchemaSpec,
}

#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error("document {document}: {source}")]
    Yaml { document: usize, source: serde_yaml_ng::Error },
    #[error("no DatabaseSchema or AtlasSchema resource in the manifest (found: {found})")]
    NoResource { found: String },
    #[error("{name}: {message}")]
    Invalid { name: String, message: String },
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Document {
    #[serde(default)]
    api_version: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    metadata: Metadata,
    #[serde(default)]
    spec: serde_yaml_ng::Value,
}

#[derive(Deserialize, Default)]
struct Metadata {
    #[serde(default)]
    name: String,
    #[serde(default)]
    namespace: Option<String>,
}

const ACCEPTED: [(&str, &str); 2] = [("driftless.dev/", "DatabaseSchema"), ("db.atlasgo.io/", "AtlasSchema")];

impl Manifest {
    /// Reads the first `DatabaseSchema` or `AtlasSchema` of a (possibly multi-document) YAML text.
    /// Fields Driftless does not use (Atlas's `devURL`, `cloud`, ...) are ignored.
    pub fn from_yaml(text: &str) -> Result<Manifest, ManifestError> {
        let mut found = Vec::new();
        for (index, deserializer) in serde_yaml_ng::Deserializer::from_str(text).enumerate() {
            let doc = Document::deserialize(deserializer)
                .map_err(|source| ManifestError::Yaml { document: index + 1, source })?;
            let accepted = ACCEPTED.iter().any(|(group, kind)| doc.api_version.starts_with(group) && doc.kind == *kind);
            if !accepted {
                if !doc.kind.is_empty() {
                    found.push(format!("{}/{}", doc.kind, doc.metadata.name));
                }
                continue;
            }
            let name = doc.metadata.name;
            let spec: DatabaseSchemaSpec = serde_yaml_ng::from_value(doc.spec)
                .map_err(|e| ManifestError::Invalid { name: name.clone(), message: format!("spec: {e}") })?;
            let manifest = Manifest { kind: doc.kind, name, namespace: doc.metadata.namespace, spec };
            manifest.validate()?;
            return Ok(manifest);
        }
        let found = if found.is_empty() { "nothing".to_string() } else { found.join(", ") };
        Err(ManifestError::NoResource { found })
    }

    /// The rules the CRD also enforces: exactly one target source and one schema source.
    pub fn validate(&self) -> Result<(), ManifestError> {
        let spec = &self.spec;
        let targets = [spec.url.is_some(), spec.url_from.is_some(), spec.credentials.is_some()];
        let invalid = |message: &str| ManifestError::Invalid { name: self.name.clone(), message: message.into() };
        if targets.iter().filter(|set| **set).count() > 1 {
            return Err(invalid("spec: set only one of url, urlFrom and credentials"));
        }
        match (&spec.schema.sql, &spec.schema.config_map_key_ref) {
            (Some(_), Some(_)) => Err(invalid("spec.schema: set only one of sql and configMapKeyRef")),
            (None, None) => Err(invalid("spec.schema: set one of sql and configMapKeyRef")),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_an_atlas_schema_manifest_as_it_is() {
        let text = r#"
apiVersion: db.atlasgo.io/v1alpha1
kind: AtlasSchema
metadata:
  name: atlasschema-mysql
spec:
  urlFrom:
    secretKeyRef:
      key: url
      name: mysql-credentials
  devURL: "docker://mysql/8/dev"
  policy:
    lint:
      destructive:
        error: true
    diff:
      skip:
        drop_column: true
  schema:
    sql: |
      create table users (
        id int not null auto_increment,
        primary key (id)
      );
"#;
        let manifest = Manifest::from_yaml(text).unwrap();
        assert_eq!(manifest.kind, "AtlasSchema");
        assert_eq!(manifest.name, "atlasschema-mysql");
        let spec = &manifest.spec;
        assert_eq!(spec.url_from.as_ref().unwrap().secret_key_ref.as_ref().unwrap().name, "mysql-credentials");
        assert!(spec.schema.sql.as_ref().unwrap().contains("auto_increment"));
        let policy = spec.policy.as_ref().unwrap();
        let destructive = policy.lint.as_ref().unwrap().destructive.as_ref().unwrap();
        assert_eq!(destructive.level(), Some(crate::LintLevel::Error));
        assert!(policy.diff.as_ref().unwrap().skip.as_ref().unwrap().drop_column);
    }

    #[test]
    fn picks_the_resource_out_of_a_multi_document_file() {
        let text = "apiVersion: v1\nkind: Secret\nmetadata: {name: creds}\n---\n\
            apiVersion: driftless.dev/v1alpha1\nkind: DatabaseSchema\nmetadata: {name: app, namespace: shop}\n\
            spec: {url: 'postgres://db/app', schema: {sql: 'create table t (id int);'}}\n";
        let manifest = Manifest::from_yaml(text).unwrap();
        assert_eq!(manifest.name, "app");
        assert_eq!(manifest.namespace.as_deref(), Some("shop"));
        assert_eq!(manifest.spec.url.as_deref(), Some("postgres://db/app"));
    }

    #[test]
    fn lint_rules_take_atlas_error_flags_or_levels() {
        let rule = |yaml: &str| serde_yaml_ng::from_str::<crate::LintRule>(yaml).unwrap().level();
        assert_eq!(rule("{error: false}"), Some(crate::LintLevel::Warn));
        assert_eq!(rule("{level: off}"), Some(crate::LintLevel::Off));
        assert_eq!(rule("{error: true, level: warn}"), Some(crate::LintLevel::Warn));
        assert_eq!(rule("{}"), None);
    }

    #[test]
    fn rejects_what_the_crd_would_reject() {
        let both = "apiVersion: driftless.dev/v1alpha1\nkind: DatabaseSchema\nmetadata: {name: x}\n\
            spec: {url: 'postgres://a', credentials: {scheme: postgres}, schema: {sql: ''}}";
        let err = Manifest::from_yaml(both).unwrap_err().to_string();
        assert!(err.contains("only one of url, urlFrom and credentials"), "{err}");
        let missing = "apiVersion: driftless.dev/v1alpha1\nkind: DatabaseSchema\nmetadata: {name: x}\nspec: {url: 'postgres://a'}";
        let err = Manifest::from_yaml(missing).unwrap_err().to_string();
        assert!(err.contains("x: spec: missing field `schema`"), "{err}");
        let empty = "apiVersion: driftless.dev/v1alpha1\nkind: DatabaseSchema\nmetadata: {name: x}\nspec: {schema: {}}";
        let err = Manifest::from_yaml(empty).unwrap_err().to_string();
        assert!(err.contains("set one of sql and configMapKeyRef"), "{err}");
        let err = Manifest::from_yaml("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}").unwrap_err();
        assert_eq!(err.to_string(), "no DatabaseSchema or AtlasSchema resource in the manifest (found: ConfigMap/c)");
    }
}
