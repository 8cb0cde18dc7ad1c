//! Renames asked for by hints in the desired SQL (`-- driftless:renamed from=old`). The diff itself never
//! guesses renames; a hint that applies becomes a `RenameTable`/`RenameColumn`/`RenameIndex`/`RenameEnum`/
//! `RenameEnumValue` change, run first, and the rest of the diff compares the current model *as renamed* with
//! the desired one, so a renamed column whose type also changes gets its rename and then its `ALTER`, and a
//! renamed index whose definition changes is dropped and created again under its new name.
//!
//! A hint applies when the old name exists now and the new one does not. Otherwise it is a no-op: after the
//! rename ran, the hint stays in the file but only the new name exists; on a fresh database neither exists.
//! A hint is an error when it is ambiguous: the old name is still declared in the desired schema, or two
//! hints rename the same object.
//!
//! PostgreSQL renames nothing else with a table or column: an implicitly named key (`user_accounts_pkey`),
//! index or serial sequence keeps its old name, while the desired SQL implies a new one. On the tables a hint
//! renames (or whose columns it renames), a constraint, index or owned sequence that the desired side holds
//! under another name, with the same definition, is renamed too, rather than dropped and built again. So is
//! a NOT NULL constraint of PostgreSQL 18 whose name follows the old table and column names.

use driftless_model::identifier::make_object_name;
use driftless_model::{
    Change, Check, CompactString, Database, Dialect, Expr, ForeignKey, Index, IndexKey, NameMap, Named, QualifiedName,
    RenameHint, Table, TriggerEvent, UniqueConstraint,
};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// The renames that apply to one current model, checked against the desired one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Renames {
    /// Enum types (old name; new name in the same schema).
    types: Vec<(QualifiedName, String)>,
    /// Enum labels (type, by its new name; old label; new label).
    labels: Vec<(QualifiedName, String, String)>,
    /// (old name, new name in the same schema).
    tables: Vec<(QualifiedName, String)>,
    /// (table, by its new name; old column name; new column name).
    columns: Vec<(QualifiedName, String, String)>,
    /// Constraints (table; old name; new name) whose name follows the table's or a column's.
    constraints: Vec<(QualifiedName, String, String)>,
    /// Indexes (table, by its new name; old name; new name) hinted, or following a table's or a column's name.
    indexes: Vec<(QualifiedName, String, String)>,
    /// Serial sequences (old name; new name) likewise.
    sequences: Vec<(QualifiedName, String)>,
    /// Defaults of the columns that own those sequences, as PostgreSQL prints them after the rename.
    defaults: Vec<(QualifiedName, String, Expr)>,
}

/// A rename hint that cannot be followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenameConflict {
    /// The line of the hint in the desired SQL.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for RenameConflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for RenameConflict {}

impl Renames {
    /// The hints that apply to `current`, table renames first (column hints name the table by its new name).
    pub fn resolve(current: &Database, desired: &Database, hints: &[RenameHint]) -> Result<Renames, RenameConflict> {
        let mut renames = Renames::default();
        for hint in hints {
            let RenameHint::Table { name, from, line } = hint else { continue };
            let old = QualifiedName::new(name.schema.clone(), from.clone());
            if current.table(name).is_some() || current.table(&old).is_none() {
                continue;
            }
            let conflict = |message: String| Err(RenameConflict { line: *line, message });
            if desired.table(&old).is_some() {
                return conflict(format!("cannot rename table {old} to {}: {old} is still declared", name.name));
            }
            if renames.tables.iter().any(|(renamed, _)| *renamed == old) {
                return conflict(format!("table {old} is renamed by two hints"));
            }
            renames.tables.push((old, name.name.clone()));
        }
        for hint in hints {
            let RenameHint::Column { table, name, from, line } = hint else { continue };
            let Some(existing) = current.table(&renames.old_table(table)) else { continue };
            if existing.column(name).is_some() || existing.column(from).is_none() {
                continue;
            }
            let conflict = |message: String| Err(RenameConflict { line: *line, message });
            if desired.table(table).is_some_and(|wanted| wanted.column(from).is_some()) {
                return conflict(format!("cannot rename column {from} of {table} to {name}: {from} is still declared"));
            }
            if renames.columns.iter().any(|(t, old, _)| t == table && old == from) {
                return conflict(format!("column {from} of {table} is renamed by two hints"));
            }
            renames.columns.push((table.clone(), from.clone(), name.clone()));
        }
        renames.follow_case_of_column_names(current, desired);
        for hint in hints {
            let RenameHint::Index { table, name, from, line } = hint else { continue };
            let Some(existing) = current.table(&renames.old_table(table)) else { continue };
            if existing.indexes.contains_key(name) || !existing.indexes.contains_key(from) {
                continue;
            }
            let conflict = |message: String| Err(RenameConflict { line: *line, message });
            if desired.table(table).is_some_and(|wanted| wanted.indexes.contains_key(from)) {
                return conflict(format!("cannot rename index {from} of {table} to {name}: {from} is still declared"));
            }
            if renames.indexes.iter().any(|(t, old, _)| t == table && old == from) {
                return conflict(format!("index {from} of {table} is renamed by two hints"));
            }
            renames.indexes.push((table.clone(), from.clone(), name.clone()));
        }
        renames.resolve_enums(current, desired, hints)?;
        if !renames.is_empty() {
            renames.follow_names(current, desired);
        }
        Ok(renames)
    }

    /// MySQL compares column names without case: a column declared `name` that is `Name` now is the same
    /// column, renamed in place so that the catalog reads as declared.
    fn follow_case_of_column_names(&mut self, current: &Database, desired: &Database) {
        if desired.dialect != Dialect::Mysql {
            return;
        }
        for wanted in desired.schemas.values().flat_map(|schema| schema.tables.values()) {
            let Some(existing) = current.table(&self.old_table(&wanted.name)) else { continue };
            for column in &wanted.columns {
                if existing.column(&column.name).is_some() {
                    continue;
                }
                let mut alike = existing
                    .columns
                    .iter()
                    .filter(|old| old.name.eq_ignore_ascii_case(&column.name) && wanted.column(&old.name).is_none());
                let (Some(old), None) = (alike.next(), alike.next()) else { continue };
                if !self.columns.iter().any(|(table, from, _)| *table == wanted.name && *from == old.name) {
                    self.columns.push((wanted.name.clone(), old.name.to_string(), column.name.to_string()));
                }
            }
        }
    }

    /// A table's current name, from its desired one.
    fn old_table(&self, table: &QualifiedName) -> QualifiedName {
        self.tables
            .iter()
            .find(|(_, new)| QualifiedName::new(table.schema.clone(), new.clone()) == *table)
            .map_or_else(|| table.clone(), |(old, _)| old.clone())
    }

    /// Enum type hints, then label hints (which name the type by its new name).
    fn resolve_enums(
        &mut self,
        current: &Database,
        desired: &Database,
        hints: &[RenameHint],
    ) -> Result<(), RenameConflict> {
        let enum_type = |db: &Database, name: &QualifiedName| {
            db.schemas.get(&name.schema).and_then(|schema| schema.enums.get(&name.name)).cloned()
        };
        for hint in hints {
            let RenameHint::Type { name, from, line } = hint else { continue };
            let old = QualifiedName::new(name.schema.clone(), from.clone());
            if enum_type(current, name).is_some() || enum_type(current, &old).is_none() {
                continue;
            }
            let conflict = |message: String| Err(RenameConflict { line: *line, message });
            if enum_type(desired, &old).is_some() {
                return conflict(format!("cannot rename type {old} to {}: {old} is still declared", name.name));
            }
            if self.types.iter().any(|(renamed, _)| *renamed == old) {
                return conflict(format!("type {old} is renamed by two hints"));
            }
            self.types.push((old, name.name.clone()));
        }
        for hint in hints {
            let RenameHint::Label { enum_type: type_name, name, from, line } = hint else { continue };
            let old_type = self
                .types
                .iter()
                .find(|(_, new)| QualifiedName::new(type_name.schema.clone(), new.clone()) == *type_name)
                .map_or_else(|| type_name.clone(), |(old, _)| old.clone());
            let Some(existing) = enum_type(current, &old_type) else { continue };
            if existing.values.contains(name) || !existing.values.contains(from) {
                continue;
            }
            let conflict = |message: String| Err(RenameConflict { line: *line, message });
            if enum_type(desired, type_name).is_some_and(|wanted| wanted.values.contains(from)) {
                return conflict(format!(
                    "cannot rename label '{from}' of {type_name} to '{name}': '{from}' is still declared"
                ));
            }
            if self.labels.iter().any(|(t, old, _)| t == type_name && old == from) {
                return conflict(format!("label '{from}' of {type_name} is renamed by two hints"));
            }
            self.labels.push((type_name.clone(), from.clone(), name.clone()));
        }
        Ok(())
    }

    /// Finds the constraints, indexes and sequences of renamed tables (or tables with renamed columns) that
    /// the desired side holds under another name with the same definition.
    fn follow_names(&mut self, current: &Database, desired: &Database) {
        let renamed = self.apply(current);
        let tables: BTreeSet<QualifiedName> = self
            .tables
            .iter()
            .map(|(old, new)| QualifiedName::new(old.schema.clone(), new.clone()))
            .chain(self.columns.iter().map(|(table, _, _)| table.clone()))
            .collect();
        for name in tables {
            let (Some(have), Some(want)) = (renamed.table(&name), desired.table(&name)) else { continue };
            self.follow_table(&name, have, want);
            self.follow_sequences(&name, &renamed, desired);
        }
    }

    fn follow_table(&mut self, name: &QualifiedName, have: &Table, want: &Table) {
        let mut constraints = Vec::new();
        if let (Some(old), Some(new)) = (&have.primary_key, &want.primary_key)
            && old.name != new.name
            && old.columns == new.columns
            && !have.relation_names().any(|n| n == new.name)
        {
            constraints.push((old.name.clone(), new.name.clone()));
        }
        let unique = |u: &UniqueConstraint| UniqueConstraint { name: String::new(), ..u.clone() };
        constraints.extend(same_but_name(&have.uniques, &want.uniques, |a, b| unique(a) == unique(b)));
        let foreign_key = |f: &ForeignKey| ForeignKey { name: String::new(), ..f.clone() };
        constraints
            .extend(same_but_name(&have.foreign_keys, &want.foreign_keys, |a, b| foreign_key(a) == foreign_key(b)));
        let check = |c: &Check| Check { name: String::new(), ..c.clone() };
        constraints.extend(same_but_name(&have.checks, &want.checks, |a, b| check(a) == check(b)));
        constraints.extend(self.implicit_not_null_names(name, have));
        self.constraints.extend(constraints.into_iter().map(|(from, to)| (name.clone(), from, to)));
        let index = |i: &Index| Index { name: String::new(), comment: None, ..i.clone() };
        let indexes = same_but_name(&have.indexes, &want.indexes, |a, b| index(a) == index(b));
        self.indexes.extend(indexes.into_iter().map(|(from, to)| (name.clone(), from, to)));
    }

    /// PostgreSQL 18's NOT NULL constraints of a renamed table or column that still carry the name implied by
    /// the old names (`<table>_<column>_not_null`), paired with the name the new ones imply. A name chosen
    /// otherwise is kept: the desired SQL cannot say another (the model declares none).
    fn implicit_not_null_names(&self, name: &QualifiedName, have: &Table) -> Vec<(String, String)> {
        let old_table = self.old_table(name);
        let old_column = |column: &str| {
            let renamed = self.columns.iter().find(|(table, _, to)| table == name && to == column);
            renamed.map_or(column, |(_, from, _)| from.as_str()).to_string()
        };
        let taken = |candidate: &str| have.not_null_names.0.values().any(|n| n == candidate);
        let mut pairs = Vec::new();
        for (column, constraint) in &have.not_null_names.0 {
            let implicit = make_object_name(&old_table.name, Some(&old_column(column)), "not_null");
            let implied = make_object_name(&name.name, Some(column), "not_null");
            if *constraint == implicit && implied != implicit && !taken(&implied) {
                pairs.push((constraint.clone(), implied));
            }
        }
        pairs
    }

    /// A serial column's sequence, and the column's default that names it.
    fn follow_sequences(&mut self, table: &QualifiedName, renamed: &Database, desired: &Database) {
        let (Some(have), Some(want)) = (renamed.schemas.get(&table.schema), desired.schemas.get(&table.schema)) else {
            return;
        };
        for (old_name, old) in &have.sequences {
            let Some((_, column)) = old.owned_by.as_ref().filter(|(owner, _)| *owner == table.name) else {
                continue;
            };
            if want.sequences.contains_key(old_name) {
                continue;
            }
            let Some((new_name, _)) = want.sequences.iter().find(|(new_name, new)| {
                new.owned_by == old.owned_by && new.options == old.options && !have.sequences.contains_key(*new_name)
            }) else {
                continue;
            };
            self.sequences.push((QualifiedName::new(table.schema.clone(), old_name.clone()), new_name.clone()));
            let old_default = renamed.table(table).and_then(|t| t.column(column)).and_then(|c| c.default.as_ref());
            let new_default = desired.table(table).and_then(|t| t.column(column)).and_then(|c| c.default.as_ref());
            if let (Some(old_default), Some(new_default)) = (old_default, new_default)
                && old_default.canonical.replace(old_name.as_str(), new_name) == new_default.canonical
            {
                self.defaults.push((table.clone(), column.clone(), (**new_default).clone()));
            }
        }
    }

    /// True when no hint applies (the follow-up renames only come with a hinted rename).
    pub fn is_empty(&self) -> bool {
        self.types.is_empty()
            && self.labels.is_empty()
            && self.tables.is_empty()
            && self.columns.is_empty()
            && self.indexes.is_empty()
    }

    /// The rename changes, types and tables first: they run before every other change of the plan.
    pub fn changes(&self) -> Vec<Change> {
        let types = self.types.iter().map(|(from, to)| Change::RenameEnum { from: from.clone(), to: to.clone() });
        let labels = self.labels.iter().map(|(name, from, to)| Change::RenameEnumValue {
            name: name.clone(),
            from: from.clone(),
            to: to.clone(),
        });
        let tables = self.tables.iter().map(|(from, to)| Change::RenameTable { from: from.clone(), to: to.clone() });
        let columns = self.columns.iter().map(|(table, from, to)| Change::RenameColumn {
            table: table.clone(),
            from: from.clone(),
            to: to.clone(),
        });
        let constraints = self.constraints.iter().map(|(table, from, to)| Change::RenameConstraint {
            table: table.clone(),
            from: from.clone(),
            to: to.clone(),
        });
        let indexes = self.indexes.iter().map(|(table, from, to)| Change::RenameIndex {
            table: table.clone(),
            from: from.clone(),
            to: to.clone(),
        });
        let sequences =
            self.sequences.iter().map(|(from, to)| Change::RenameSequence { from: from.clone(), to: to.clone() });
        types.chain(labels).chain(tables).chain(columns).chain(constraints).chain(indexes).chain(sequences).collect()
    }

    /// The current model as the database holds it once the renames ran: the objects under their new names,
    /// and every reference by name (foreign keys, key and index columns, `UPDATE OF` columns, sequence
    /// owners) following them. Expressions (checks, defaults, view queries) keep their text: PostgreSQL
    /// prints them with the new names afterwards, so where they mention a renamed object the diff re-creates
    /// them, which the desired side's text then matches.
    pub fn apply(&self, current: &Database) -> Database {
        let mut db = current.clone();
        let default_schema = db.server.default_schema.clone();
        for (old, new) in &self.types {
            let renamed = QualifiedName::new(old.schema.clone(), new.clone());
            let schema = db.schema_mut(&old.schema);
            rename_entry(&mut schema.enums, &old.name, new, |enum_type, name| enum_type.name.name = name);
            let tables = db.schemas.values_mut().flat_map(|schema| schema.tables.values_mut());
            for column in tables.flat_map(|table| table.columns.iter_mut()) {
                if column.data_type.user_type(&default_schema).as_ref() == Some(old) {
                    column.data_type = column.data_type.with_user_type(&renamed, &default_schema);
                }
            }
        }
        for (type_name, from, to) in &self.labels {
            let schema = db.schemas.get_mut(&type_name.schema);
            if let Some(enum_type) = schema.and_then(|schema| schema.enums.get_mut(&type_name.name)) {
                enum_type.values.iter_mut().filter(|value| *value == from).for_each(|value| *value = to.clone());
            }
        }
        for (old, new) in &self.tables {
            let renamed = QualifiedName::new(old.schema.clone(), new.clone());
            let schema = db.schema_mut(&old.schema);
            if let Some(mut table) = schema.tables.remove(&old.name) {
                table.name = renamed.clone();
                schema.tables.insert(new.clone(), table);
            }
            for sequence in schema.sequences.values_mut() {
                if let Some((owner, _)) = &mut sequence.owned_by
                    && *owner == old.name
                {
                    *owner = new.clone();
                }
            }
            for table in db.schemas.values_mut().flat_map(|schema| schema.tables.values_mut()) {
                for foreign_key in table.foreign_keys.values_mut().filter(|fk| fk.ref_table == *old) {
                    foreign_key.ref_table = renamed.clone();
                }
                // a partition follows its renamed parent (ALTER TABLE ... RENAME keeps it attached)
                if let Some(of) = table.partition_of.as_mut().filter(|of| of.parent == *old) {
                    of.parent = renamed.clone();
                }
            }
        }
        for (table_name, from, to) in &self.columns {
            let rename = |column: &mut CompactString| rename_column(column, from, to);
            if let Some(table) = db.table_mut(table_name) {
                if let Some(column) = table.column_mut(from) {
                    column.name = to.into();
                }
                if let Some(constraint) = table.not_null_names.0.remove(from.as_str()) {
                    table.not_null_names.0.insert(to.into(), constraint);
                }
                table.primary_key.iter_mut().flat_map(|key| key.columns.iter_mut()).for_each(rename);
                table.uniques.values_mut().flat_map(|unique| unique.columns.iter_mut()).for_each(rename);
                table.foreign_keys.values_mut().flat_map(|fk| fk.columns.iter_mut()).for_each(rename);
                for index in table.indexes.values_mut() {
                    index.include.iter_mut().for_each(rename);
                    for part in &mut index.parts {
                        if let IndexKey::Column(column) = &mut part.key {
                            rename(column);
                        }
                    }
                }
                for trigger in table.triggers.values_mut() {
                    for event in &mut trigger.events {
                        if let TriggerEvent::Update { columns } = event {
                            columns.iter_mut().for_each(rename);
                        }
                    }
                }
            }
            for table in db.schemas.values_mut().flat_map(|schema| schema.tables.values_mut()) {
                for foreign_key in table.foreign_keys.values_mut().filter(|fk| fk.ref_table == *table_name) {
                    foreign_key.ref_columns.iter_mut().for_each(rename);
                }
            }
            if let Some(schema) = db.schemas.get_mut(&table_name.schema) {
                for sequence in schema.sequences.values_mut() {
                    if let Some((owner, column)) = &mut sequence.owned_by
                        && *owner == table_name.name
                    {
                        rename_column(column, from, to);
                    }
                }
            }
        }
        for (table_name, from, to) in &self.constraints {
            let Some(table) = db.table_mut(table_name) else { continue };
            if let Some(key) = table.primary_key.as_mut().filter(|key| key.name == *from) {
                key.name = to.clone();
            }
            rename_entry(&mut table.uniques, from, to, |unique, name| unique.name = name);
            rename_entry(&mut table.foreign_keys, from, to, |foreign_key, name| foreign_key.name = name);
            rename_entry(&mut table.checks, from, to, |check, name| check.name = name);
            table.not_null_names.0.values_mut().filter(|name| **name == *from).for_each(|name| *name = to.clone());
        }
        for (table_name, from, to) in &self.indexes {
            if let Some(table) = db.table_mut(table_name) {
                rename_entry(&mut table.indexes, from, to, |index, name| index.name = name);
            }
        }
        for (from, to) in &self.sequences {
            let schema = db.schema_mut(&from.schema);
            rename_entry(&mut schema.sequences, &from.name, to, |sequence, name| sequence.name.name = name);
        }
        for (table_name, column, default) in &self.defaults {
            if let Some(column) = db.table_mut(table_name).and_then(|table| table.column_mut(column)) {
                column.default = Some(Box::new(default.clone()));
            }
        }
        db
    }
}

/// Pairs (old name, new name) of entries that only `have` holds under the old name and only `want` under the
/// new one, with the same definition; each entry pairs at most once.
fn same_but_name<T: Named>(
    have: &NameMap<T>,
    want: &NameMap<T>,
    same: impl Fn(&T, &T) -> bool,
) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (old_name, old) in have.iter().filter(|(name, _)| !want.contains_key(name)) {
        let new = want.iter().find(|(new_name, new)| {
            !have.contains_key(new_name) && !pairs.iter().any(|(_, taken)| taken == *new_name) && same(old, new)
        });
        if let Some((new_name, _)) = new {
            pairs.push((old_name.clone(), new_name.clone()));
        }
    }
    pairs
}

/// Moves a map entry to a new key, telling the value its new name.
fn rename_entry<T>(map: &mut impl NamedEntries<T>, from: &str, to: &str, set_name: impl Fn(&mut T, String)) {
    if let Some(mut value) = map.take(from) {
        set_name(&mut value, to.to_string());
        map.put(to.to_string(), value);
    }
}

/// The maps objects are kept in by name: `BTreeMap` for a schema's objects, `NameMap` for a table's.
trait NamedEntries<T> {
    fn take(&mut self, name: &str) -> Option<T>;
    fn put(&mut self, name: String, value: T);
}

impl<T> NamedEntries<T> for BTreeMap<String, T> {
    fn take(&mut self, name: &str) -> Option<T> {
        self.remove(name)
    }

    fn put(&mut self, name: String, value: T) {
        self.insert(name, value);
    }
}

impl<T: Named> NamedEntries<T> for NameMap<T> {
    fn take(&mut self, name: &str) -> Option<T> {
        self.remove(name)
    }

    /// The value already carries `name`: `rename_entry` set it.
    fn put(&mut self, _name: String, value: T) {
        self.insert(value);
    }
}

/// Gives `column` the name `to` when it is `from`; column names are held as compact strings in tables and as
/// strings elsewhere.
fn rename_column<S: AsRef<str> + for<'a> From<&'a str>>(column: &mut S, from: &str, to: &str) {
    if column.as_ref() == from {
        *column = S::from(to);
    }
}
