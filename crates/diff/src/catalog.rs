//! Flat, name-keyed views of a model, so that both sides can be walked object kind by object kind.

use driftless_model::{Database, EnumType, Function, QualifiedName, Sequence, Table, View};
use std::collections::BTreeMap;

/// A function's identity among overloads: its schema and `name(argtype, ...)` signature.
pub(crate) type FunctionKey = (String, String);

pub(crate) struct Catalog<'a> {
    pub tables: BTreeMap<QualifiedName, &'a Table>,
    pub views: BTreeMap<QualifiedName, &'a View>,
    pub sequences: BTreeMap<QualifiedName, &'a Sequence>,
    pub enums: BTreeMap<QualifiedName, &'a EnumType>,
    pub functions: BTreeMap<FunctionKey, &'a Function>,
}

impl<'a> Catalog<'a> {
    pub fn new(db: &'a Database) -> Self {
        let mut catalog = Catalog {
            tables: BTreeMap::new(),
            views: BTreeMap::new(),
            sequences: BTreeMap::new(),
            enums: BTreeMap::new(),
            functions: BTreeMap::new(),
        };
        for schema in db.schemas.values() {
            let qualify = |name: &String| QualifiedName::new(&schema.name, name);
            catalog.tables.extend(schema.tables.iter().map(|(name, t)| (qualify(name), t)));
            catalog.views.extend(schema.views.iter().map(|(name, v)| (qualify(name), v)));
            catalog.sequences.extend(schema.sequences.iter().map(|(name, s)| (qualify(name), s)));
            catalog.enums.extend(schema.enums.iter().map(|(name, e)| (qualify(name), e)));
            catalog
                .functions
                .extend(schema.functions.iter().map(|(signature, f)| ((schema.name.clone(), signature.clone()), f)));
        }
        catalog
    }
}
