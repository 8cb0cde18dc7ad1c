//! Every kind of object the model holds, in one list, and the two walks over a model's objects that phases
//! build on: visiting them and removing some. Both walks, and every phase that treats kinds differently (the
//! scope filter, the diff catalog), match on [`ObjectKind`] without a catch-all arm, so a new kind does not
//! compile until each of them says what it does with it.

use crate::{Database, Extension, Schema, Table};
use std::collections::BTreeMap;

/// Declares [`ObjectKind`] and [`ObjectKind::ALL`] from one list, so no kind can be left out of `ALL`.
macro_rules! object_kinds {
    ($($(#[$doc:meta])* $kind:ident,)*) => {
        /// A kind of object. Declared in containment order: a kind comes after the kinds its objects live in.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum ObjectKind {
            $($(#[$doc])* $kind,)*
        }

        impl ObjectKind {
            /// Every kind, in declaration order.
            pub const ALL: &'static [ObjectKind] = &[$(ObjectKind::$kind,)*];
        }
    };
}

object_kinds! {
    Schema,
    /// A PostgreSQL extension: database-wide, its objects in one schema.
    Extension,
    Table,
    /// A view or a materialized view.
    View,
    Sequence,
    /// A PostgreSQL enum type (MySQL's enums are column types).
    Enum,
    /// A PostgreSQL domain, with its default, NOT NULL and checks.
    Domain,
    /// A function, a procedure or an aggregate.
    Function,
    Column,
    PrimaryKey,
    Unique,
    ForeignKey,
    Check,
    /// A PostgreSQL exclusion constraint.
    Exclusion,
    /// An index of a table or a materialized view.
    Index,
    Trigger,
    /// A row-level security policy of a table.
    Policy,
}

/// One object of a model, as the walks hand it over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Object<'a> {
    pub kind: ObjectKind,
    /// The schema it lives in: a schema's own name; for an extension, the schema that holds its objects.
    pub schema: &'a str,
    /// The table or view it belongs to: a column's, constraint's, index's or trigger's, and the table of the
    /// column that owns a sequence (a serial column's).
    pub owner: Option<&'a str>,
    /// Its own name; for a function, without its arguments (overloads share it).
    pub name: &'a str,
}

impl<'a> Object<'a> {
    fn new(kind: ObjectKind, schema: &'a str, owner: Option<&'a str>, name: &'a str) -> Self {
        Object { kind, schema, owner, name }
    }
}

impl Database {
    /// Calls `visit` with every object, kind by kind in [`ObjectKind::ALL`] order.
    pub fn for_each_object<'a>(&'a self, mut visit: impl FnMut(Object<'a>)) {
        for &kind in ObjectKind::ALL {
            for_each_of_kind(kind, self.schemas.values(), self.extensions.values(), &mut visit);
        }
    }

    /// Keeps the objects `keep` accepts and removes the others with everything inside them (a schema's
    /// objects, a table's columns, constraints, indexes and triggers). Kinds go in [`ObjectKind::ALL`] order,
    /// so what lived inside a removed object is never offered.
    pub fn retain_objects(&mut self, mut keep: impl FnMut(Object<'_>) -> bool) {
        for &kind in ObjectKind::ALL {
            retain_of_kind(kind, &mut self.schemas, &mut self.extensions, &mut keep);
        }
    }

    /// Number of objects of every kind.
    pub fn object_count(&self) -> usize {
        let mut count = 0;
        self.for_each_object(|_| count += 1);
        count
    }
}

impl Schema {
    /// Calls `visit` with this schema and every object in it, kind by kind in [`ObjectKind::ALL`] order.
    pub fn for_each_object<'a>(&'a self, mut visit: impl FnMut(Object<'a>)) {
        for &kind in ObjectKind::ALL {
            for_each_of_kind(kind, std::iter::once(self), std::iter::empty(), &mut visit);
        }
    }

    /// Number of objects of every kind in this schema, the schema itself included.
    pub fn object_count(&self) -> usize {
        let mut count = 0;
        self.for_each_object(|_| count += 1);
        count
    }
}

/// `(owner, name)` of some objects of one schema.
type Names<'a> = Box<dyn Iterator<Item = (Option<&'a str>, &'a str)> + 'a>;

fn for_each_of_kind<'a>(
    kind: ObjectKind,
    schemas: impl Iterator<Item = &'a Schema>,
    extensions: impl Iterator<Item = &'a Extension>,
    visit: &mut impl FnMut(Object<'a>),
) {
    let in_schemas = |names: &dyn Fn(&'a Schema) -> Names<'a>| {
        for schema in schemas {
            names(schema).for_each(|(owner, name)| visit(Object::new(kind, &schema.name, owner, name)));
        }
    };
    match kind {
        ObjectKind::Schema => in_schemas(&|schema| Box::new(std::iter::once((None, schema.name.as_str())))),
        ObjectKind::Extension => {
            extensions.for_each(|extension| visit(Object::new(kind, &extension.schema, None, &extension.name)))
        }
        ObjectKind::Table => in_schemas(&|schema| unowned(schema.tables.keys())),
        ObjectKind::View => in_schemas(&|schema| unowned(schema.views.keys())),
        ObjectKind::Sequence => {
            in_schemas(&|schema| {
                Box::new(schema.sequences.iter().map(|(name, sequence)| {
                    (sequence.owned_by.as_ref().map(|(table, _)| table.as_str()), name.as_str())
                }))
            })
        }
        ObjectKind::Enum => in_schemas(&|schema| unowned(schema.enums.keys())),
        ObjectKind::Domain => in_schemas(&|schema| unowned(schema.domains.keys())),
        ObjectKind::Function => in_schemas(&|schema| {
            Box::new(schema.functions.values().map(|function| (None, function.name.name.as_str())))
        }),
        ObjectKind::Column => in_schemas(&|schema| {
            in_tables(schema, |table| Box::new(table.columns.iter().map(|column| column.name.as_str())))
        }),
        ObjectKind::PrimaryKey => in_schemas(&|schema| {
            in_tables(schema, |table| Box::new(table.primary_key.iter().map(|key| key.name.as_str())))
        }),
        ObjectKind::Unique => {
            in_schemas(&|schema| in_tables(schema, |table| Box::new(table.uniques.keys().map(String::as_str))))
        }
        ObjectKind::ForeignKey => {
            in_schemas(&|schema| in_tables(schema, |table| Box::new(table.foreign_keys.keys().map(String::as_str))))
        }
        ObjectKind::Check => {
            in_schemas(&|schema| in_tables(schema, |table| Box::new(table.checks.keys().map(String::as_str))))
        }
        ObjectKind::Exclusion => {
            in_schemas(&|schema| in_tables(schema, |table| Box::new(table.exclusions.keys().map(String::as_str))))
        }
        ObjectKind::Index => in_schemas(&|schema| {
            let of_views = schema.views.iter().flat_map(|(view_name, view)| {
                view.indexes.keys().map(move |name| (Some(view_name.as_str()), name.as_str()))
            });
            Box::new(in_tables(schema, |table| Box::new(table.indexes.keys().map(String::as_str))).chain(of_views))
        }),
        ObjectKind::Trigger => in_schemas(&|schema| {
            let of_views = schema.views.iter().flat_map(|(view_name, view)| {
                view.triggers.keys().map(move |name| (Some(view_name.as_str()), name.as_str()))
            });
            Box::new(in_tables(schema, |table| Box::new(table.triggers.keys().map(String::as_str))).chain(of_views))
        }),
        ObjectKind::Policy => {
            in_schemas(&|schema| in_tables(schema, |table| Box::new(table.policies.keys().map(String::as_str))))
        }
    }
}

fn unowned<'a>(names: impl Iterator<Item = &'a String> + 'a) -> Names<'a> {
    Box::new(names.map(|name| (None, name.as_str())))
}

/// `names(table)` of every table of the schema, owned by their table.
fn in_tables<'a>(schema: &'a Schema, names: fn(&'a Table) -> Box<dyn Iterator<Item = &'a str> + 'a>) -> Names<'a> {
    Box::new(
        schema
            .tables
            .iter()
            .flat_map(move |(table_name, table)| names(table).map(move |name| (Some(table_name.as_str()), name))),
    )
}

/// Offers `(owner, name)` of an object to `keep`; true keeps it.
type Keep<'k> = dyn FnMut(Option<&str>, &str) -> bool + 'k;

fn retain_of_kind(
    kind: ObjectKind,
    schemas: &mut BTreeMap<String, Schema>,
    extensions: &mut BTreeMap<String, Extension>,
    keep: &mut impl FnMut(Object<'_>) -> bool,
) {
    // the schema's name is its key, apart from the schema the retain changes
    let mut in_schemas = |retain: &mut dyn FnMut(&mut Schema, &mut Keep<'_>)| {
        for (schema_name, schema) in schemas.iter_mut() {
            retain(schema, &mut |owner, name| keep(Object::new(kind, schema_name, owner, name)));
        }
    };
    let in_tables = |schema: &mut Schema, keep: &mut Keep<'_>, retain: fn(&mut Table, &mut dyn FnMut(&str) -> bool)| {
        for (table_name, table) in schema.tables.iter_mut() {
            retain(table, &mut |name| keep(Some(table_name), name));
        }
    };
    match kind {
        ObjectKind::Schema => schemas.retain(|name, _| keep(Object::new(kind, name, None, name))),
        ObjectKind::Extension => {
            extensions.retain(|name, extension| keep(Object::new(kind, &extension.schema, None, name)))
        }
        ObjectKind::Table => in_schemas(&mut |schema, keep| schema.tables.retain(|name, _| keep(None, name))),
        ObjectKind::View => in_schemas(&mut |schema, keep| schema.views.retain(|name, _| keep(None, name))),
        ObjectKind::Sequence => in_schemas(&mut |schema, keep| {
            schema
                .sequences
                .retain(|name, sequence| keep(sequence.owned_by.as_ref().map(|(table, _)| table.as_str()), name))
        }),
        ObjectKind::Enum => in_schemas(&mut |schema, keep| schema.enums.retain(|name, _| keep(None, name))),
        ObjectKind::Domain => in_schemas(&mut |schema, keep| schema.domains.retain(|name, _| keep(None, name))),
        ObjectKind::Function => {
            in_schemas(&mut |schema, keep| schema.functions.retain(|_, function| keep(None, &function.name.name)))
        }
        ObjectKind::Column => in_schemas(&mut |schema, keep| {
            in_tables(schema, keep, |table, keep| table.columns.retain(|column| keep(&column.name)))
        }),
        ObjectKind::PrimaryKey => in_schemas(&mut |schema, keep| {
            in_tables(schema, keep, |table, keep| {
                if table.primary_key.as_ref().is_some_and(|key| !keep(&key.name)) {
                    table.primary_key = None;
                }
            })
        }),
        ObjectKind::Unique => in_schemas(&mut |schema, keep| {
            in_tables(schema, keep, |table, keep| table.uniques.retain(|unique| keep(&unique.name)))
        }),
        ObjectKind::ForeignKey => in_schemas(&mut |schema, keep| {
            in_tables(schema, keep, |table, keep| table.foreign_keys.retain(|key| keep(&key.name)))
        }),
        ObjectKind::Check => in_schemas(&mut |schema, keep| {
            in_tables(schema, keep, |table, keep| table.checks.retain(|check| keep(&check.name)))
        }),
        ObjectKind::Exclusion => in_schemas(&mut |schema, keep| {
            in_tables(schema, keep, |table, keep| table.exclusions.retain(|exclusion| keep(&exclusion.name)))
        }),
        ObjectKind::Index => in_schemas(&mut |schema, keep| {
            in_tables(schema, keep, |table, keep| table.indexes.retain(|index| keep(&index.name)));
            for (view_name, view) in schema.views.iter_mut() {
                view.indexes.retain(|index| keep(Some(view_name), &index.name));
            }
        }),
        ObjectKind::Trigger => in_schemas(&mut |schema, keep| {
            in_tables(schema, keep, |table, keep| table.triggers.retain(|trigger| keep(&trigger.name)));
            for (view_name, view) in schema.views.iter_mut() {
                view.triggers.retain(|trigger| keep(Some(view_name), &trigger.name));
            }
        }),
        ObjectKind::Policy => in_schemas(&mut |schema, keep| {
            in_tables(schema, keep, |table, keep| table.policies.retain(|policy| keep(&policy.name)))
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builders::{
        add_domain, add_enum, add_function, add_sequence, add_table, add_view, column, domain, enum_type, expr,
        foreign_key, function, index, name, not_null, table, trigger, view,
    };
    use crate::*;

    /// One object of every kind: `app.t` holds the table-level ones, `app.mv` a materialized view's index.
    fn one_of_each() -> Database {
        let mut db = Database::new(Dialect::Postgres);
        db.extensions.insert("citext".into(), Extension { name: "citext".into(), schema: "app".into() });
        let mut table = table("app.t", [not_null(column("c", "integer"))]);
        table.primary_key = Some(PrimaryKey { comment: None, name: "t_pkey".into(), columns: vec!["c".into()] });
        table.uniques.insert(UniqueConstraint {
            comment: None,
            name: "t_c_key".into(),
            columns: vec!["c".into()],
            nulls_not_distinct: false,
            deferrable: Deferrable::NotDeferrable,
        });
        table.foreign_keys.insert(foreign_key("t_c_fkey", &["c"], "app.t", &["c"]));
        table.checks.insert(Check {
            not_valid: false,
            comment: None,
            name: "t_c_check".into(),
            expr: expr("c > 0"),
            no_inherit: false,
        });
        table.exclusions.insert(Exclusion {
            comment: None,
            name: "t_c_excl".into(),
            method: "btree".into(),
            elements: vec![ExclusionElement { part: IndexPart::column("c"), operator: "=".into() }],
            include: Vec::new(),
            predicate: None,
            deferrable: Deferrable::NotDeferrable,
        });
        table.indexes.insert(index("t_idx", &["c"]));
        table.triggers.insert(Trigger { events: vec![TriggerEvent::Insert], ..trigger("t_trg", "app.f") });
        table.policies.insert(Policy {
            name: "t_pol".into(),
            permissive: true,
            command: PolicyCommand::All,
            roles: vec!["public".into()],
            using: Some(expr("c > 0")),
            with_check: None,
            comment: None,
        });
        add_table(&mut db, table);
        let mut materialized = View { materialized: true, ..view("app.mv", "SELECT 1") };
        materialized.indexes.insert(index("mv_idx", &["c"]));
        add_view(&mut db, materialized);
        let mut plain = view("app.v", "SELECT 1");
        let body = TriggerAction::Body { body: expr("SELECT 1;") };
        plain.triggers.insert(Trigger { timing: TriggerTiming::InsteadOf, action: body, ..trigger("v_trg", "app.f") });
        add_view(&mut db, plain);
        add_sequence(
            &mut db,
            Sequence {
                name: name("app.t_c_seq"),
                options: SequenceOptions::postgres_defaults("integer", 1),
                owned_by: Some(("t".into(), "c".into())),
                comment: None,
            },
        );
        add_enum(&mut db, enum_type("app.mood", &["ok"]));
        add_domain(&mut db, domain("app.positive", "integer"));
        add_function(&mut db, function("app.f", "trigger", "begin return new; end"));
        db
    }

    fn objects(db: &Database) -> Vec<(ObjectKind, String)> {
        let mut objects = Vec::new();
        db.for_each_object(|object| {
            let owner = object.owner.map(|owner| format!("{owner}.")).unwrap_or_default();
            objects.push((object.kind, format!("{}.{owner}{}", object.schema, object.name)))
        });
        objects
    }

    #[test]
    fn every_kind_is_visited_in_list_order() {
        let db = one_of_each();
        let visited = objects(&db);
        let kinds: Vec<ObjectKind> = visited.iter().map(|(kind, _)| *kind).collect();
        let mut distinct = kinds.clone();
        distinct.dedup();
        assert_eq!(distinct, ObjectKind::ALL, "one_of_each holds every kind: add the new one");
        assert_eq!(db.object_count(), 20);
        assert_eq!(db.schemas["app"].object_count(), 19, "all but the extension");
        assert!(visited.contains(&(ObjectKind::Trigger, "app.v.v_trg".into())), "a view's, owned by it");
        assert!(visited.contains(&(ObjectKind::Sequence, "app.t.t_c_seq".into())), "owned by its column's table");
        assert!(visited.contains(&(ObjectKind::Index, "app.mv.mv_idx".into())));
        assert!(visited.contains(&(ObjectKind::Function, "app.f".into())), "by name, without the arguments");
    }

    #[test]
    fn each_kind_can_be_removed_alone() {
        for &kind in ObjectKind::ALL {
            let mut db = one_of_each();
            let before = objects(&db);
            db.retain_objects(|object| object.kind != kind);
            let left = objects(&db);
            let expected: Vec<_> = match kind {
                // everything lives in the schema
                ObjectKind::Schema => before.iter().filter(|(k, _)| *k == ObjectKind::Extension).cloned().collect(),
                // with the table go its columns, constraints, index and trigger
                ObjectKind::Table => before
                    .iter()
                    .filter(|(k, name)| *k == ObjectKind::Sequence || !name.starts_with("app.t."))
                    .filter(|(k, _)| *k != ObjectKind::Table)
                    .cloned()
                    .collect(),
                // with the materialized view goes its index, with the view its trigger
                ObjectKind::View => before
                    .iter()
                    .filter(|(_, name)| !name.starts_with("app.mv") && !name.starts_with("app.v."))
                    .filter(|(k, _)| *k != ObjectKind::View)
                    .cloned()
                    .collect(),
                _ => before.iter().filter(|(k, _)| *k != kind).cloned().collect(),
            };
            assert_eq!(left, expected, "{kind:?}");
        }
    }

    #[test]
    fn the_server_is_neither_compared_nor_serialized() {
        let desired = one_of_each();
        let mut live = one_of_each();
        live.server = Server { default_schema: "app".into(), version: Some("150004".into()) };
        assert_eq!(desired, live);
        assert_eq!(serde_json::to_string(&desired).unwrap(), serde_json::to_string(&live).unwrap());
    }
}
