use driftless_model::Database;
use wildmatch::WildMatch;

/// What a run manages: the schemas it inspects and diffs, and the objects it never touches.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// Explicit schemas; empty means the default schema plus every schema the desired SQL names.
    pub schemas: Vec<String>,
    /// Globs over `name` or `schema.name` of tables, views, sequences, types and functions.
    pub exclude: Vec<String>,
}

impl Scope {
    /// The schemas under management for this desired model.
    pub fn managed_schemas(&self, default_schema: &str, desired: &Database) -> Vec<String> {
        if !self.schemas.is_empty() {
            return self.schemas.clone();
        }
        let mut schemas: Vec<String> = desired.schemas.keys().cloned().collect();
        if !schemas.iter().any(|s| s == default_schema) {
            schemas.push(default_schema.to_string());
        }
        schemas.sort();
        schemas
    }

    /// Removes excluded objects and schemas outside management, so the diff never sees them.
    pub fn apply(&self, db: &mut Database, managed: &[String]) {
        db.schemas.retain(|name, _| managed.contains(name));
        if self.exclude.is_empty() {
            return;
        }
        let patterns: Vec<WildMatch> = self.exclude.iter().map(|p| WildMatch::new(p)).collect();
        let excluded = |schema: &str, name: &str| {
            let qualified = format!("{schema}.{name}");
            patterns.iter().any(|p| p.matches(name) || p.matches(&qualified))
        };
        for (schema_name, schema) in &mut db.schemas {
            schema.tables.retain(|name, _| !excluded(schema_name, name));
            schema.views.retain(|name, _| !excluded(schema_name, name));
            schema.sequences.retain(|name, _| !excluded(schema_name, name));
            schema.enums.retain(|name, _| !excluded(schema_name, name));
            schema.functions.retain(|_, f| !excluded(schema_name, &f.name.name));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use driftless_model::Dialect;
    use driftless_model::builders::{add_table, table};

    /// A PostgreSQL database holding these empty `(schema, table)`s and no other schema.
    fn database(tables: &[(&str, &str)]) -> Database {
        let mut db = Database::new(Dialect::Postgres);
        for (schema, name) in tables {
            add_table(&mut db, table(&format!("{schema}.{name}"), []));
        }
        db
    }

    #[test]
    fn default_scope_is_the_default_schema_and_every_desired_schema() {
        let desired = database(&[("billing", "invoices")]);
        assert_eq!(Scope::default().managed_schemas("public", &desired), ["billing", "public"]);
        let explicit = Scope { schemas: vec!["app".into()], ..Default::default() };
        assert_eq!(explicit.managed_schemas("public", &desired), ["app"]);
    }

    #[test]
    fn excluded_objects_and_unmanaged_schemas_disappear() {
        let mut db = database(&[
            ("public", "users"),
            ("public", "audit_log"),
            ("public", "legacy_orders"),
            ("other", "legacy_orders"),
            ("secret", "x"),
        ]);
        let scope = Scope { schemas: vec![], exclude: vec!["audit_*".into(), "public.legacy_*".into()] };
        scope.apply(&mut db, &["public".into(), "other".into()]);
        let left: Vec<String> =
            db.schemas.values().flat_map(|s| s.tables.values().map(|t| t.name.to_string())).collect();
        assert_eq!(left, ["other.legacy_orders", "public.users"]);
    }
}
