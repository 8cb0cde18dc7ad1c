//! Schemas Driftless never manages: the server's own catalogs. Bringing one under management would plan the
//! drop of every system view in it (81 in `information_schema`, thousands in `pg_catalog`), so a desired
//! schema that names one, or a scope that lists one, is refused before anything is inspected.

use crate::EngineError;
use crate::dialect::Rules;
use driftless_model::Database;
use driftless_parse::ParseError;

/// Refuses explicitly listed schemas (`--schema`, `spec.schemas`) that belong to the server.
pub(crate) fn refuse_system_scope(dialect: &dyn Rules, schemas: &[String]) -> Result<(), EngineError> {
    match schemas.iter().find(|schema| dialect.is_system_schema(schema)) {
        Some(schema) => Err(EngineError::Unsupported(format!(
            "schema `{schema}` is a system schema and is never managed; remove it from the schemas under management"
        ))),
        None => Ok(()),
    }
}

/// Refuses a desired model that creates or names a system schema, or, on MySQL, any database but the one
/// connected to (`default_schema`, when known): a qualified name must not bring a second database under
/// management. The error names the first line of `sql` that mentions the schema.
pub(crate) fn refuse_system_schemas(
    desired: &Database,
    dialect: &dyn Rules,
    default_schema: Option<&str>,
    sql: &str,
    origin: &str,
) -> Result<(), EngineError> {
    for schema in desired.schemas.keys() {
        let message = if dialect.is_system_schema(schema) {
            format!("`{schema}` is a system schema; Driftless never creates, changes or drops objects in it")
        } else if dialect.one_schema_per_connection() && default_schema.is_some_and(|default| default != schema) {
            format!(
                "`{schema}` names another database than the one connected to (`{}`); a desired schema manages \
                 one MySQL database: connect to `{schema}` separately, or leave the name unqualified",
                default_schema.unwrap_or_default()
            )
        } else {
            continue;
        };
        let (line, excerpt) = line_naming(sql, schema).unwrap_or((1, String::new()));
        return Err(EngineError::Parse {
            origin: origin.to_string(),
            source: ParseError::Invalid { line, excerpt, message },
        });
    }
    Ok(())
}

/// The first line (1-based) that mentions `schema` as a whole identifier, quoted or not, and its text.
fn line_naming(sql: &str, schema: &str) -> Option<(usize, String)> {
    let wanted = schema.to_ascii_lowercase();
    sql.lines().enumerate().find_map(|(index, line)| {
        let lower = line.to_ascii_lowercase();
        let named = lower.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$')).any(|word| word == wanted);
        named.then(|| {
            let excerpt: String = line.trim().chars().take(80).collect();
            (index + 1, excerpt)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::rules;
    use driftless_model::Dialect;

    #[test]
    fn system_schemas_by_dialect() {
        let is_system_schema = |dialect, schema| rules(dialect).is_system_schema(schema);
        for schema in ["pg_catalog", "information_schema", "pg_toast", "pg_temp_3", "pg_toast_temp_3", "pg_temp"] {
            assert!(is_system_schema(Dialect::Postgres, schema), "{schema}");
        }
        for schema in ["public", "app", "information", "pgx"] {
            assert!(!is_system_schema(Dialect::Postgres, schema), "{schema}");
        }
        for schema in ["mysql", "SYS", "performance_schema", "information_schema"] {
            assert!(is_system_schema(Dialect::Mysql, schema), "{schema}");
        }
        assert!(!is_system_schema(Dialect::Mysql, "app"));
    }

    #[test]
    fn the_line_naming_a_schema() {
        let sql = "create table a (id int);\ncreate table \"information_schema\".t (id int);";
        assert_eq!(line_naming(sql, "information_schema").unwrap().0, 2);
        assert_eq!(line_naming("create table mysqlx.t (id int);", "mysql"), None);
    }
}
