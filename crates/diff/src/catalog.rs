//! Flat, name-keyed views of a model, so that both sides can be walked object kind by object kind. Which kind
//! is walked where is decided per [`ObjectKind`]: a new kind does not compile until it is placed.

use driftless_model::{Database, Domain, EnumType, Function, ObjectKind, QualifiedName, Sequence, Table, View};
use std::collections::BTreeMap;

/// A function's identity among overloads: its schema and `name(argtype, ...)` signature.
pub(crate) type FunctionKey = (String, String);

pub(crate) struct Catalog<'a> {
    /// The schema whose objects the model names unqualified (`Database::server`).
    pub default_schema: &'a str,
    pub tables: BTreeMap<QualifiedName, &'a Table>,
    pub views: BTreeMap<QualifiedName, &'a View>,
    pub sequences: BTreeMap<QualifiedName, &'a Sequence>,
    pub enums: BTreeMap<QualifiedName, &'a EnumType>,
    pub domains: BTreeMap<QualifiedName, &'a Domain>,
    pub functions: BTreeMap<FunctionKey, &'a Function>,
}

impl<'a> Catalog<'a> {
    pub fn new(db: &'a Database) -> Self {
        let mut catalog = Catalog {
            default_schema: &db.server.default_schema,
            tables: BTreeMap::new(),
            views: BTreeMap::new(),
            sequences: BTreeMap::new(),
            enums: BTreeMap::new(),
            domains: BTreeMap::new(),
            functions: BTreeMap::new(),
        };
        for schema in db.schemas.values() {
            let qualify = |name: &String| QualifiedName::new(&schema.name, name);
            for &kind in ObjectKind::ALL {
                match kind {
                    ObjectKind::Table => {
                        catalog.tables.extend(schema.tables.iter().map(|(name, t)| (qualify(name), t)))
                    }
                    ObjectKind::View => catalog.views.extend(schema.views.iter().map(|(name, v)| (qualify(name), v))),
                    ObjectKind::Sequence => {
                        catalog.sequences.extend(schema.sequences.iter().map(|(name, s)| (qualify(name), s)))
                    }
                    ObjectKind::Enum => catalog.enums.extend(schema.enums.iter().map(|(name, e)| (qualify(name), e))),
                    ObjectKind::Domain => {
                        catalog.domains.extend(schema.domains.iter().map(|(name, d)| (qualify(name), d)))
                    }
                    ObjectKind::Function => catalog.functions.extend(
                        schema.functions.iter().map(|(signature, f)| ((schema.name.clone(), signature.clone()), f)),
                    ),
                    // diffed on the whole model (`schemas`)
                    ObjectKind::Schema | ObjectKind::Extension => {}
                    // diffed with the table or view they belong to (`tables`, `views`)
                    ObjectKind::Column
                    | ObjectKind::PrimaryKey
                    | ObjectKind::Unique
                    | ObjectKind::ForeignKey
                    | ObjectKind::Check
                    | ObjectKind::Exclusion
                    | ObjectKind::Index
                    | ObjectKind::Trigger
                    | ObjectKind::Policy => {}
                }
            }
        }
        catalog
    }
}
