use crate::{DatabaseSchema, DatabaseSchemaSpec};
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
    /// The YAML does not read; the message never holds a value of the manifest (it may be a password).
    #[error("{0}")]
    Yaml(String),
    /// A mistake at a line of the manifest: an unknown field, a second document, too deep a nesting.
    #[error("line {line}: {message}")]
    At { line: usize, message: String },
    #[error("no DatabaseSchema or AtlasSchema resource in the manifest (found: {found})")]
    NoResource { found: String },
    #[error("{name}: {message}")]
    Invalid { name: String, message: String },
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Document {
    #[serde(default)]
    metadata: Metadata,
    spec: DatabaseSchemaSpec,
}

#[derive(Deserialize, Default)]
struct Metadata {
    #[serde(default)]
    name: String,
    #[serde(default)]
    namespace: Option<String>,
}

/// The resources read: `(apiVersion, kind)`.
const ACCEPTED: [(&str, &str); 2] =
    [("driftless.dev/v1alpha1", "DatabaseSchema"), ("db.atlasgo.io/v1alpha1", "AtlasSchema")];

/// Top-level fields of a resource; `metadata` and `status` are not checked further.
const TOP_LEVEL: [&str; 5] = ["apiVersion", "kind", "metadata", "spec", "status"];

/// Fields of Atlas's `AtlasSchema` spec that Driftless has no use for and ignores, so that an Atlas manifest
/// reads as it is.
const ATLAS_ONLY: [&str; 7] = ["devURL", "devURLFrom", "cloud", "vars", "envName", "txMode", "format"];

/// The deepest nesting of mappings and sequences a manifest may have. A manifest needs about ten levels; the
/// limit is checked on the text before the YAML parser (which is slow on deep nesting) sees it.
pub const MAX_DEPTH: usize = 64;

impl Manifest {
    /// Reads a manifest holding one `DatabaseSchema` (`driftless.dev/v1alpha1`) or `AtlasSchema`
    /// (`db.atlasgo.io/v1alpha1`). Unknown fields, a second document and other resources are errors naming
    /// the line; Atlas's fields that Driftless does not use (`devURL`, `cloud`, ...) are ignored.
    pub fn from_yaml(text: &str) -> Result<Manifest, ManifestError> {
        check_depth(text)?;
        let mut documents = Vec::new();
        for deserializer in serde_yaml_ng::Deserializer::from_str(text) {
            let value = serde_yaml_ng::Value::deserialize(deserializer).map_err(yaml_error)?;
            documents.push(value);
        }
        let markers = document_markers(text);
        let start_line = |index: usize| {
            let offset = documents.len().saturating_sub(markers.len());
            index.checked_sub(offset).and_then(|i| markers.get(i).copied()).unwrap_or(1)
        };
        let mut present = documents.iter().enumerate().filter(|(_, doc)| !doc.is_null());
        let Some((first_index, doc)) = present.next() else {
            return Err(ManifestError::NoResource { found: "nothing".into() });
        };
        if let Some((index, _)) = present.next() {
            return Err(ManifestError::At {
                line: start_line(index),
                message: "a second YAML document: a manifest holds one DatabaseSchema or AtlasSchema, nothing else"
                    .into(),
            });
        }
        let doc_start = start_line(first_index);
        let lines: Vec<&str> = text.lines().collect();
        let line_of = |path: &[&str]| find_line(&lines, doc_start.saturating_sub(1), path);
        let Some(mapping) = doc.as_mapping() else {
            return Err(ManifestError::At { line: doc_start, message: "the manifest is not a YAML mapping".into() });
        };
        for key in mapping.keys() {
            let key = key_text(key);
            if !TOP_LEVEL.contains(&key.as_str()) {
                return Err(unknown_field(line_of(&[&key]), &key, &TOP_LEVEL));
            }
        }
        let field = |name: &str| doc.get(name).and_then(|v| v.as_str()).unwrap_or_default().to_string();
        let (api_version, kind) = (field("apiVersion"), field("kind"));
        if !ACCEPTED.iter().any(|(v, k)| api_version == *v && kind == *k) {
            let line = line_of(&["kind"]).or_else(|| line_of(&["apiVersion"])).unwrap_or(doc_start);
            return Err(ManifestError::At {
                line,
                message: format!(
                    "apiVersion `{}` kind `{}` is not a DatabaseSchema (driftless.dev/v1alpha1) or an AtlasSchema \
                     (db.atlasgo.io/v1alpha1)",
                    visible(&api_version),
                    visible(&kind)
                ),
            });
        }
        let Some(spec) = doc.get("spec") else {
            let name = doc.get("metadata").and_then(|m| m.get("name")).and_then(|n| n.as_str()).unwrap_or_default();
            return Err(ManifestError::Invalid { name: visible(name), message: "spec: missing field `schema`".into() });
        };
        let ignored: &[&str] = if kind == "AtlasSchema" { &ATLAS_ONLY } else { &[] };
        check_fields(spec, &spec_schema(), &mut vec!["spec".to_string()], ignored, &line_of)?;

        let typed = serde_yaml_ng::Deserializer::from_str(text).nth(first_index).expect("the document is there");
        let typed = Document::deserialize(typed).map_err(yaml_error)?;
        let manifest =
            Manifest { kind, name: typed.metadata.name, namespace: typed.metadata.namespace, spec: typed.spec };
        manifest.validate()?;
        Ok(manifest)
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

/// The `spec` schema of the CRD, which lists every field the resource has.
fn spec_schema() -> serde_json::Value {
    use kube::CustomResourceExt;
    let crd = serde_json::to_value(DatabaseSchema::crd()).expect("the CRD serializes");
    crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"].clone()
}

/// Every mapping key of `value` is a property of `schema`, recursively.
fn check_fields(
    value: &serde_yaml_ng::Value,
    schema: &serde_json::Value,
    path: &mut Vec<String>,
    ignored: &[&str],
    line_of: &dyn Fn(&[&str]) -> Option<usize>,
) -> Result<(), ManifestError> {
    match value {
        serde_yaml_ng::Value::Mapping(mapping) => {
            let properties = schema.get("properties").and_then(|p| p.as_object());
            let additional = schema.get("additionalProperties").filter(|a| a.is_object());
            for (key, child) in mapping {
                let key = key_text(key);
                let child_schema = match (properties, additional) {
                    (Some(properties), _) => match properties.get(&key) {
                        Some(child_schema) => child_schema,
                        None if path.len() == 1 && ignored.contains(&key.as_str()) => continue,
                        None => {
                            let mut full: Vec<&str> = path.iter().map(String::as_str).collect();
                            full.push(&key);
                            let known: Vec<&str> = properties.keys().map(String::as_str).collect();
                            return Err(unknown_field(line_of(&full), &full.join("."), &known));
                        }
                    },
                    (None, Some(additional)) => additional,
                    (None, None) => continue,
                };
                path.push(key);
                check_fields(child, child_schema, path, &[], line_of)?;
                path.pop();
            }
            Ok(())
        }
        serde_yaml_ng::Value::Sequence(items) => match schema.get("items") {
            Some(item_schema) => items.iter().try_for_each(|item| check_fields(item, item_schema, path, &[], line_of)),
            None => Ok(()),
        },
        serde_yaml_ng::Value::Tagged(tagged) => check_fields(&tagged.value, schema, path, ignored, line_of),
        _ => Ok(()),
    }
}

fn unknown_field(line: Option<usize>, field: &str, known: &[&str]) -> ManifestError {
    let message = format!("unknown field `{}`; expected one of {}", visible(field), known.join(", "));
    match line {
        Some(line) => ManifestError::At { line, message },
        None => ManifestError::Yaml(message),
    }
}

fn key_text(key: &serde_yaml_ng::Value) -> String {
    match key {
        serde_yaml_ng::Value::String(text) => text.clone(),
        other => serde_yaml_ng::to_string(other).unwrap_or_default().trim().to_string(),
    }
}

/// The 1-based line where the mapping key at `path` is written, searched from `from` (0-based): each key of
/// the path on the line of its parent (flow style) or after it.
fn find_line(lines: &[&str], from: usize, path: &[&str]) -> Option<usize> {
    let mut cursor = from;
    for key in path {
        let found = (cursor..lines.len()).find(|&index| is_key_on(lines[index], key))?;
        cursor = found;
    }
    Some(cursor + 1)
}

fn is_key_on(line: &str, key: &str) -> bool {
    let code = line.split(" #").next().unwrap_or(line);
    [format!("{key}:"), format!("\"{key}\":"), format!("'{key}':")].iter().any(|written| {
        code.match_indices(written.as_str()).any(|(at, _)| {
            let before = code[..at].trim_end();
            before.is_empty() || before.ends_with(['{', ',', '-']) || before.ends_with(": {")
        })
    })
}

/// 1-based lines of the `---` document markers.
fn document_markers(text: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| line.starts_with("---") && line[3..].chars().next().is_none_or(char::is_whitespace))
        .map(|(index, _)| index + 1)
        .collect()
}

/// Refuses nesting deeper than [`MAX_DEPTH`], counted on the text: flow brackets, block indentation and
/// `- ` entries, outside quoted strings, comments and block scalars.
fn check_depth(text: &str) -> Result<(), ManifestError> {
    let too_deep = |line: usize| ManifestError::At {
        line,
        message: format!("the YAML nests deeper than {MAX_DEPTH} levels, more than a manifest ever needs"),
    };
    let mut flow = 0usize;
    let mut indents: Vec<usize> = Vec::new();
    let mut block_scalar: Option<usize> = None;
    for (index, line) in text.lines().enumerate() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let content = line.trim_start_matches(' ');
        if let Some(parent) = block_scalar {
            if content.is_empty() || indent > parent {
                continue;
            }
            block_scalar = None;
        }
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        if flow == 0 {
            while indents.last().is_some_and(|&last| last >= indent) {
                indents.pop();
            }
            indents.push(indent);
        }
        let mut dashes = 0;
        let mut rest = content;
        while flow == 0 && (rest.starts_with("- ") || rest == "-") {
            dashes += 1;
            rest = rest[1..].trim_start_matches(' ');
        }
        let mut quote: Option<char> = None;
        let mut last = ' ';
        for c in rest.chars() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') if last == ' ' || last == ':' || last == '[' || last == '{' || last == ',' => {
                    quote = Some(c)
                }
                (None, '#') if last == ' ' => break,
                (None, '[' | '{') => flow += 1,
                (None, ']' | '}') => flow = flow.saturating_sub(1),
                _ => {}
            }
            if indents.len() + dashes + flow > MAX_DEPTH {
                return Err(too_deep(index + 1));
            }
            last = c;
        }
        if indents.len() + dashes + flow > MAX_DEPTH {
            return Err(too_deep(index + 1));
        }
        let trimmed = rest.split(" #").next().unwrap_or(rest).trim_end();
        if flow == 0 && trimmed.rsplit(' ').next().is_some_and(|last| last.starts_with(['|', '>'])) {
            block_scalar = Some(indent + 2 * dashes);
        }
    }
    Ok(())
}

/// A serde message without the value it quotes: `invalid type: integer `918273645`, expected a string` says
/// `invalid type: integer, expected a string`. A manifest value may be a password.
fn redact_serde_message(message: &str) -> String {
    let mut out = message.to_string();
    for marker in ["invalid type: ", "invalid value: ", "invalid length "] {
        let Some(start) = out.find(marker) else { continue };
        let value_start = start + marker.len();
        let end = out[value_start..].find(", expected").map_or(out.len(), |end| value_start + end);
        let shown = out[value_start..end].split([' ', '`', '"']).next().unwrap_or_default().to_string();
        out.replace_range(value_start..end, &shown);
    }
    if let Some(start) = out.find("unknown variant `") {
        let value_start = start + "unknown variant ".len();
        if let Some(end) = out[value_start + 1..].find('`') {
            out.replace_range(value_start..value_start + end + 2, "value");
        }
    }
    visible(&out)
}

/// Control characters as visible `\u{..}` escapes.
fn visible(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() && c != '\n' { format!("\\u{{{:x}}}", c as u32) } else { c.to_string() })
        .collect()
}

fn yaml_error(error: serde_yaml_ng::Error) -> ManifestError {
    let mut message = error.to_string();
    match error.location() {
        Some(location) => {
            if let Some(at) = message.rfind(" at line ") {
                message.truncate(at);
            }
            ManifestError::At { line: location.line(), message: redact_serde_message(&message) }
        }
        None => ManifestError::Yaml(redact_serde_message(&message)),
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
    fn a_second_document_is_an_error_naming_its_line() {
        let text = "apiVersion: driftless.dev/v1alpha1\nkind: DatabaseSchema\nmetadata: {name: app, namespace: shop}\n\
            spec: {url: 'postgres://db/app', schema: {sql: 'create table t (id int);'}}\n---\n\
            apiVersion: v1\nkind: Secret\nmetadata: {name: creds}\n";
        let err = Manifest::from_yaml(text).unwrap_err().to_string();
        assert!(err.starts_with("line 5: a second YAML document"), "{err}");
        let one = "---\napiVersion: driftless.dev/v1alpha1\nkind: DatabaseSchema\nmetadata: {name: app, namespace: shop}\n\
            spec: {url: 'postgres://db/app', schema: {sql: 'create table t (id int);'}}\n---\n";
        let manifest = Manifest::from_yaml(one).unwrap();
        assert_eq!(manifest.name, "app");
        assert_eq!(manifest.namespace.as_deref(), Some("shop"));
        assert_eq!(manifest.spec.url.as_deref(), Some("postgres://db/app"));
    }

    const HEADER: &str = "apiVersion: driftless.dev/v1alpha1\nkind: DatabaseSchema\nmetadata:\n  name: x\n";

    #[test]
    fn unknown_fields_anywhere_are_errors_naming_field_and_line() {
        let cases = [
            ("spec:\n  url: postgres://db/app\n  polcy:\n    lint: {}\n  schema: {sql: ''}\n", "line 7:", "spec.polcy"),
            ("spec:\n  url: postgres://db/app\n  exlude: [a]\n  schema: {sql: ''}\n", "line 7:", "spec.exlude"),
            (
                "spec:\n  url: postgres://db/app\n  policy:\n    diff:\n      skip:\n        drop_tabel: true\n  schema: {sql: ''}\n",
                "line 10:",
                "spec.policy.diff.skip.drop_tabel",
            ),
            (
                "spec:\n  url: postgres://db/app\n  schema: {sql: '', configmap: {}}\n",
                "line 7:",
                "spec.schema.configmap",
            ),
            ("spce:\n  url: postgres://db/app\n", "line 5:", "`spce`"),
        ];
        for (spec, line, field) in cases {
            let err = Manifest::from_yaml(&format!("{HEADER}{spec}")).unwrap_err().to_string();
            assert!(err.starts_with(line) && err.contains("unknown field") && err.contains(field), "{spec}: {err}");
        }
    }

    #[test]
    fn unknown_api_versions_and_kinds_are_errors() {
        for text in [
            "apiVersion: driftless.dev/v2\nkind: DatabaseSchema\nmetadata: {name: x}\nspec: {schema: {sql: ''}}\n",
            "apiVersion: driftless.dev/v1alpha1\nkind: DatabaseSchemas\nmetadata: {name: x}\nspec: {schema: {sql: ''}}\n",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
        ] {
            let err = Manifest::from_yaml(text).unwrap_err().to_string();
            assert!(err.starts_with("line 2: apiVersion") && err.contains("is not a DatabaseSchema"), "{err}");
        }
    }

    #[test]
    fn values_never_show_in_yaml_errors() {
        let text = format!(
            "{HEADER}spec:\n  credentials:\n    scheme: postgres\n    port: pw918273645\n  schema: {{sql: ''}}\n"
        );
        let err = Manifest::from_yaml(&text).unwrap_err().to_string();
        assert!(!err.contains("918273645") && err.contains("invalid type"), "{err}");
        let text = format!("{HEADER}spec:\n  url: postgres://db/app\n  schemas: 918273645\n  schema: {{sql: ''}}\n");
        let err = Manifest::from_yaml(&text).unwrap_err().to_string();
        assert!(!err.contains("918273645") && err.starts_with("line 7: spec.schemas: invalid type"), "{err}");
        let text = format!("{HEADER}spec:\n  url: postgres://db/app\n  mode: '918273645'\n  schema: {{sql: ''}}\n");
        let err = Manifest::from_yaml(&text).unwrap_err().to_string();
        assert!(!err.contains("918273645") && err.contains("unknown variant"), "{err}");
    }

    #[test]
    fn deep_nesting_is_refused_quickly() {
        let started = std::time::Instant::now();
        for text in [
            format!("{HEADER}spec: {}{}", "[".repeat(100_000), "]".repeat(100_000)),
            format!("{HEADER}spec:\n  {}x", "- ".repeat(100_000)),
            format!("{HEADER}spec: {}1{}", "{a: ".repeat(100_000), "}".repeat(100_000)),
        ] {
            let err = Manifest::from_yaml(&text).unwrap_err().to_string();
            assert!(err.contains("nests deeper than 64 levels"), "{err}");
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(2), "{:?}", started.elapsed());
        let sql = format!(
            "{HEADER}spec:\n  url: postgres://db/app\n  schema:\n    sql: |\n{}",
            "      ((((((((((( [[[[ {{{{\n".repeat(20)
        );
        assert!(Manifest::from_yaml(&sql).is_ok());
    }

    #[test]
    fn the_example_manifests_read() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata");
        for dir in ["atlas/postgres", "atlas/mysql", "quickstart", "gitops/apps/shop/base"] {
            for entry in std::fs::read_dir(format!("{root}/{dir}")).unwrap() {
                let path = entry.unwrap().path();
                let text = std::fs::read_to_string(&path).unwrap();
                let resource = text.lines().any(|l| l == "kind: DatabaseSchema" || l == "kind: AtlasSchema");
                if path.extension().is_some_and(|e| e == "yaml") && resource {
                    Manifest::from_yaml(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                }
            }
        }
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
        assert!(err.contains("missing field `schema`"), "{err}");
        let empty = "apiVersion: driftless.dev/v1alpha1\nkind: DatabaseSchema\nmetadata: {name: x}\nspec: {schema: {}}";
        let err = Manifest::from_yaml(empty).unwrap_err().to_string();
        assert!(err.contains("set one of sql and configMapKeyRef"), "{err}");
    }
}
