use driftless_model::{
    Check, Database, Exclusion, ForeignKey, Index, Object, ObjectKind, Policy, PrimaryKey, QualifiedName, Table,
    Trigger, UniqueConstraint,
};
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

    /// Takes excluded objects and schemas outside management out of the diff, which then neither creates,
    /// changes nor drops them, nor anything inside them. An excluded constraint, index or trigger of a managed
    /// table stays in both models as it is live, so a table that is rebuilt (SQLite) keeps it.
    pub fn apply(&self, current: &mut Database, desired: &mut Database, managed: &[String]) {
        let patterns: Vec<WildMatch> = self.exclude.iter().map(|p| WildMatch::new(p)).collect();
        let mut live_parts = Vec::new();
        current.for_each_object(|object| {
            let Some(owner) = object.owner else { return };
            let table = QualifiedName::new(object.schema, owner);
            if excludes(&patterns, &object)
                && let Some(live) = current.table(&table)
                && let Some(part) = TablePart::of(live, object.kind, object.name)
            {
                live_parts.push((table, part));
            }
        });
        let keep = |object: Object<'_>| {
            let outside = object.kind == ObjectKind::Schema && !managed.iter().any(|s| s == object.name);
            !outside && !excludes(&patterns, &object)
        };
        current.retain_objects(keep);
        desired.retain_objects(keep);
        for (table, part) in live_parts {
            for db in [&mut *current, &mut *desired] {
                if let Some(table) = db.table_mut(&table) {
                    part.clone().put_into(table);
                }
            }
        }
    }
}

/// A constraint, index, trigger or policy of a table, taken out of it.
#[derive(Clone)]
enum TablePart {
    PrimaryKey(PrimaryKey),
    Unique(UniqueConstraint),
    ForeignKey(ForeignKey),
    Check(Check),
    Exclusion(Exclusion),
    Index(Index),
    Trigger(Trigger),
    Policy(Policy),
}

impl TablePart {
    /// The table's part of that kind and name; `None` for kinds that are not parts of a table.
    fn of(table: &Table, kind: ObjectKind, name: &str) -> Option<TablePart> {
        match kind {
            ObjectKind::PrimaryKey => table.primary_key.clone().map(TablePart::PrimaryKey),
            ObjectKind::Unique => table.uniques.get(name).cloned().map(TablePart::Unique),
            ObjectKind::ForeignKey => table.foreign_keys.get(name).cloned().map(TablePart::ForeignKey),
            ObjectKind::Check => table.checks.get(name).cloned().map(TablePart::Check),
            ObjectKind::Exclusion => table.exclusions.get(name).cloned().map(TablePart::Exclusion),
            ObjectKind::Index => table.indexes.get(name).cloned().map(TablePart::Index),
            ObjectKind::Trigger => table.triggers.get(name).cloned().map(TablePart::Trigger),
            ObjectKind::Policy => table.policies.get(name).cloned().map(TablePart::Policy),
            ObjectKind::Schema
            | ObjectKind::Extension
            | ObjectKind::Table
            | ObjectKind::View
            | ObjectKind::Sequence
            | ObjectKind::Enum
            | ObjectKind::Domain
            | ObjectKind::Function
            | ObjectKind::Column => None,
        }
    }

    fn put_into(self, table: &mut Table) {
        match self {
            TablePart::PrimaryKey(key) => table.primary_key = Some(key),
            TablePart::Unique(unique) => _ = table.uniques.insert(unique),
            TablePart::ForeignKey(key) => _ = table.foreign_keys.insert(key),
            TablePart::Check(check) => _ = table.checks.insert(check),
            TablePart::Exclusion(exclusion) => _ = table.exclusions.insert(exclusion),
            TablePart::Index(index) => _ = table.indexes.insert(index),
            TablePart::Trigger(trigger) => _ = table.triggers.insert(trigger),
            TablePart::Policy(policy) => _ = table.policies.insert(policy),
        }
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
        | ObjectKind::Domain
        | ObjectKind::Function
        | ObjectKind::PrimaryKey
        | ObjectKind::Unique
        | ObjectKind::ForeignKey
        | ObjectKind::Check
        | ObjectKind::Exclusion
        | ObjectKind::Index
        | ObjectKind::Trigger
        | ObjectKind::Policy => matches(object.name),
        // Never on their own: the desired and the live table would differ in their rows' shape, and a
        // table rebuilt (SQLite) would lose the column's data.
        ObjectKind::Column => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use driftless_model::builders::{add_sequence, add_table, column, index, name, table};
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
        scope.apply(&mut db, &mut Database::new(Dialect::Postgres), &["public".into(), "other".into()]);
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
        scope.apply(&mut db, &mut Database::new(Dialect::Postgres), &["public".into(), "legacy_archive".into()]);
        assert_eq!(db.schemas.keys().collect::<Vec<_>>(), ["public"], "a schema matches by its name");
        let public = &db.schemas["public"];
        assert_eq!(public.tables.keys().collect::<Vec<_>>(), ["users"]);
        assert_eq!(public.sequences.keys().collect::<Vec<_>>(), ["users_id_seq"]);
        assert_eq!(public.tables["users"].columns[0].name, "legacy_flag");
    }

    #[test]
    fn an_excluded_part_of_a_managed_table_stays_as_it_is_live_in_both_models() {
        let mut current = database(&[("public", "users")]);
        let users = current.table_mut(&name("users")).unwrap();
        users.indexes.insert(index("legacy_idx", &["a"]));
        let mut desired = database(&[("public", "users")]);
        let users = desired.table_mut(&name("users")).unwrap();
        users.indexes.insert(index("legacy_idx", &["b"]));
        users.indexes.insert(index("legacy_new", &["b"]));
        let scope = Scope { schemas: vec![], exclude: vec!["legacy_*".into()] };
        scope.apply(&mut current, &mut desired, &["public".into()]);
        assert_eq!(current, desired, "the live index in both, the new one in neither");
        assert_eq!(desired.table(&name("users")).unwrap().indexes.keys().collect::<Vec<_>>(), ["legacy_idx"]);
    }
}
