use driftless_model::{Database, Object, ObjectKind};
use wildmatch::WildMatch;

/// What a run manages: the schemas it inspects and diffs, and the objects it never touches.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// Explicit schemas; empty means the default schema plus every schema the desired SQL names.
    pub schemas: Vec<String>,
    /// Globs over `name` or `schema.name` of objects of every kind but columns (see `excludes`).
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

    /// Removes excluded objects and schemas outside management, so the diff never sees them: neither
    /// creates, changes nor drops them, nor anything inside them.
    pub fn apply(&self, db: &mut Database, managed: &[String]) {
        let patterns: Vec<WildMatch> = self.exclude.iter().map(|p| WildMatch::new(p)).collect();
        db.retain_objects(|object| {
            let outside = object.kind == ObjectKind::Schema && !managed.iter().any(|s| s == object.name);
            !outside && !excludes(&patterns, &object)
        });
    }
}

/// True when a pattern matches the object's `name` or `schema.name`; and for a sequence owned by a column,
/// when one matches that column's table (a serial column's sequence is part of its table). Constraints,
/// indexes and triggers match by their own names; those of an excluded table go with it.
fn excludes(patterns: &[WildMatch], object: &Object<'_>) -> bool {
    let matches =
        |name: &str| patterns.iter().any(|p| p.matches(name) || p.matches(&format!("{}.{name}", object.schema)));
    match object.kind {
        ObjectKind::Schema | ObjectKind::Extension => patterns.iter().any(|p| p.matches(object.name)),
        ObjectKind::Sequence => matches(object.name) || object.owner.is_some_and(matches),
        ObjectKind::Table
        | ObjectKind::View
        | ObjectKind::Enum
        | ObjectKind::Function
        | ObjectKind::PrimaryKey
        | ObjectKind::Unique
        | ObjectKind::ForeignKey
        | ObjectKind::Check
        | ObjectKind::Index
        | ObjectKind::Trigger => matches(object.name),
        // Never on their own: the desired and the live table would differ in their rows' shape, and a
        // table rebuilt (SQLite) would lose the column's data.
        ObjectKind::Column => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use driftless_model::builders::{add_sequence, add_table, column, name, table};
    use driftless_model::{Dialect, Sequence, SequenceOptions};

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

    #[test]
    fn an_excluded_table_takes_its_serial_sequence_and_a_column_is_never_excluded() {
        let mut db = database(&[("public", "legacy_orders"), ("legacy_archive", "x")]);
        add_table(&mut db, table("users", [column("legacy_flag", "boolean")]));
        for owner in ["legacy_orders", "users"] {
            add_sequence(
                &mut db,
                Sequence {
                    name: name(&format!("{owner}_id_seq")),
                    options: SequenceOptions::postgres_defaults("integer", 1),
                    owned_by: Some((owner.into(), "id".into())),
                    comment: None,
                },
            );
        }
        let scope = Scope { schemas: vec![], exclude: vec!["legacy_*".into()] };
        scope.apply(&mut db, &["public".into(), "legacy_archive".into()]);
        assert_eq!(db.schemas.keys().collect::<Vec<_>>(), ["public"], "a schema matches by its name");
        let public = &db.schemas["public"];
        assert_eq!(public.tables.keys().collect::<Vec<_>>(), ["users"]);
        assert_eq!(public.sequences.keys().collect::<Vec<_>>(), ["users_id_seq"]);
        assert_eq!(public.tables["users"].columns[0].name, "legacy_flag");
    }
}
