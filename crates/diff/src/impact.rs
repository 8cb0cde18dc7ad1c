//! What the changes already decided do to other objects: the facts the dependency rules consult to decide
//! which dependents must be dropped first and re-created after.

use driftless_model::{CompactString, QualifiedName};
use std::collections::BTreeSet;

/// A column of a table.
pub(crate) type ColumnRef = (QualifiedName, CompactString);

#[derive(Debug, Default)]
pub(crate) struct Impact {
    /// Columns whose type or collation changes in place; PostgreSQL refuses that while a view or a trigger
    /// uses the column, and a foreign key over it may no longer match its other side.
    pub retyped_columns: BTreeSet<ColumnRef>,
    /// Columns that disappear: dropped, or dropped and added again (`recreated_columns`).
    pub removed_columns: BTreeSet<ColumnRef>,
    /// Columns dropped and added again; constraints and indexes over them vanish with the drop.
    pub recreated_columns: BTreeSet<ColumnRef>,
    pub dropped_tables: BTreeSet<QualifiedName>,
    /// Functions dropped, or dropped and created again under the same signature.
    pub vanishing_functions: BTreeSet<QualifiedName>,
    /// Types dropped, or replaced by a new type of the same name.
    pub vanishing_types: BTreeSet<QualifiedName>,
    /// Keys a foreign key can reference (primary keys, unique constraints, unique indexes), as a table and
    /// its sorted columns, that are dropped; PostgreSQL refuses to drop a key a foreign key still uses.
    pub dropped_keys: BTreeSet<(QualifiedName, Vec<CompactString>)>,
}

impl Impact {
    /// True when the column's type changes or the column disappears.
    pub fn column_is_disturbed(&self, column: &ColumnRef) -> bool {
        self.retyped_columns.contains(column) || self.removed_columns.contains(column)
    }

    /// Every column whose type changes or which disappears.
    pub fn disturbed_columns(&self) -> impl Iterator<Item = &ColumnRef> {
        self.retyped_columns.iter().chain(&self.removed_columns)
    }
}

/// A key as `dropped_keys` records it.
pub(crate) fn key_of(table: &QualifiedName, columns: &[CompactString]) -> (QualifiedName, Vec<CompactString>) {
    let mut sorted = columns.to_vec();
    sorted.sort();
    (table.clone(), sorted)
}
