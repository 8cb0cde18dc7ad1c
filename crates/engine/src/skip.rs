//! `policy.diff.skip`: Atlas's 17 keys, each naming a kind of change that is never planned. Every change
//! maps to the keys that skip it (docs/lint.md has the table):
//!
//! - A change to a table the plan creates belongs to `add_table` (its indexes, foreign keys and triggers
//!   too); a change to a table the plan drops belongs to `drop_table`.
//! - Any other change to a table belongs to `modify_table` and, more specifically, to `add_column`,
//!   `drop_column`, `modify_column` (altered, renamed, re-commented, or dropped and added again),
//!   `add_index`/`drop_index`/`modify_index` (unique constraints count as indexes; a drop and an add of one
//!   name is a modification) or `add_foreign_key`/`drop_foreign_key`/`modify_foreign_key`.
//! - Schemas: `add_schema`, `drop_schema`, `modify_schema` (its comment). Table renames: `rename_table`.
//! - `rename_constraint` skips the constraint renames that follow a hinted table or column rename; an index
//!   renamed likewise is `modify_index`. Sequences have no key: a sequence rename is never skipped.
//! - Views, functions, sequences, types and extensions have no key and are never skipped. Materialized
//!   views count as tables for their indexes.

use driftless_model::{Change, CommentTarget, Index, QualifiedName, UniqueConstraint};
use std::collections::BTreeSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SkipKey {
    AddSchema,
    DropSchema,
    ModifySchema,
    AddTable,
    DropTable,
    ModifyTable,
    RenameTable,
    AddColumn,
    DropColumn,
    ModifyColumn,
    AddIndex,
    DropIndex,
    ModifyIndex,
    AddForeignKey,
    DropForeignKey,
    ModifyForeignKey,
    RenameConstraint,
}

impl SkipKey {
    pub const ALL: [SkipKey; 17] = [
        SkipKey::AddSchema,
        SkipKey::DropSchema,
        SkipKey::ModifySchema,
        SkipKey::AddTable,
        SkipKey::DropTable,
        SkipKey::ModifyTable,
        SkipKey::RenameTable,
        SkipKey::AddColumn,
        SkipKey::DropColumn,
        SkipKey::ModifyColumn,
        SkipKey::AddIndex,
        SkipKey::DropIndex,
        SkipKey::ModifyIndex,
        SkipKey::AddForeignKey,
        SkipKey::DropForeignKey,
        SkipKey::ModifyForeignKey,
        SkipKey::RenameConstraint,
    ];

    /// The Atlas key, e.g. `drop_table`.
    pub fn name(self) -> &'static str {
        match self {
            SkipKey::AddSchema => "add_schema",
            SkipKey::DropSchema => "drop_schema",
            SkipKey::ModifySchema => "modify_schema",
            SkipKey::AddTable => "add_table",
            SkipKey::DropTable => "drop_table",
            SkipKey::ModifyTable => "modify_table",
            SkipKey::RenameTable => "rename_table",
            SkipKey::AddColumn => "add_column",
            SkipKey::DropColumn => "drop_column",
            SkipKey::ModifyColumn => "modify_column",
            SkipKey::AddIndex => "add_index",
            SkipKey::DropIndex => "drop_index",
            SkipKey::ModifyIndex => "modify_index",
            SkipKey::AddForeignKey => "add_foreign_key",
            SkipKey::DropForeignKey => "drop_foreign_key",
            SkipKey::ModifyForeignKey => "modify_foreign_key",
            SkipKey::RenameConstraint => "rename_constraint",
        }
    }

    pub fn from_name(name: &str) -> Option<SkipKey> {
        SkipKey::ALL.into_iter().find(|key| key.name() == name)
    }
}

/// What classifying one change needs to know about the others.
struct Shape {
    created_tables: BTreeSet<QualifiedName>,
    dropped: BTreeSet<QualifiedName>,
    /// (table, name) of indexes and unique constraints both dropped and added: modified.
    modified_indexes: BTreeSet<(QualifiedName, String)>,
    modified_foreign_keys: BTreeSet<(QualifiedName, String)>,
    /// (table, column) both dropped and added.
    recreated_columns: BTreeSet<(QualifiedName, String)>,
}

impl Shape {
    fn of(changes: &[Change]) -> Shape {
        let names = |pick: fn(&Change) -> Option<(bool, QualifiedName, String)>| {
            let (mut added, mut dropped) = (BTreeSet::new(), BTreeSet::new());
            for (is_add, table, name) in changes.iter().filter_map(pick) {
                if is_add {
                    added.insert((table, name))
                } else {
                    dropped.insert((table, name))
                };
            }
            added.intersection(&dropped).cloned().collect::<BTreeSet<_>>()
        };
        let modified_indexes = names(|change| match change {
            Change::CreateIndex { table, index } => Some((true, table.clone(), index.name.clone())),
            Change::AddUnique { table, unique } => Some((true, table.clone(), unique.name.clone())),
            Change::DropIndex { table, name } | Change::DropUnique { table, name } => {
                Some((false, table.clone(), name.clone()))
            }
            _ => None,
        });
        let modified_foreign_keys = names(|change| match change {
            Change::AddForeignKey { table, foreign_key } => Some((true, table.clone(), foreign_key.name.clone())),
            Change::DropForeignKey { table, name } => Some((false, table.clone(), name.clone())),
            _ => None,
        });
        let recreated_columns = names(|change| match change {
            Change::AddColumn { table, column } => Some((true, table.clone(), column.name.to_string())),
            Change::DropColumn { table, column } => Some((false, table.clone(), column.clone())),
            _ => None,
        });
        let tables = |pick: fn(&Change) -> Option<&QualifiedName>| changes.iter().filter_map(pick).cloned().collect();
        let created_tables = tables(|change| match change {
            Change::CreateTable { table } => Some(&table.name),
            _ => None,
        });
        let dropped = tables(|change| match change {
            Change::DropTable { name } => Some(name),
            _ => None,
        });
        Shape { created_tables, dropped, modified_indexes, modified_foreign_keys, recreated_columns }
    }

    fn keys(&self, change: &Change) -> Vec<SkipKey> {
        match change {
            Change::CreateSchema { .. } => return vec![SkipKey::AddSchema],
            Change::DropSchema { .. } => return vec![SkipKey::DropSchema],
            Change::SetComment { target: CommentTarget::Schema { .. }, .. } => return vec![SkipKey::ModifySchema],
            Change::CreateTable { .. } => return vec![SkipKey::AddTable],
            Change::DropTable { .. } => return vec![SkipKey::DropTable],
            Change::RenameTable { .. } => return vec![SkipKey::RenameTable],
            Change::RenameConstraint { .. } => return vec![SkipKey::RenameConstraint],
            _ => {}
        }
        let Some(table) = change.altered_table() else { return Vec::new() };
        if self.created_tables.contains(table) {
            return vec![SkipKey::AddTable];
        }
        if self.dropped.contains(table) {
            return vec![SkipKey::DropTable];
        }
        let key = |name: &str| (table.clone(), name.to_string());
        let specific = match change {
            Change::AddColumn { column, .. } if self.recreated_columns.contains(&key(&column.name)) => {
                Some(SkipKey::ModifyColumn)
            }
            Change::DropColumn { column, .. } if self.recreated_columns.contains(&key(column)) => {
                Some(SkipKey::ModifyColumn)
            }
            Change::AddColumn { .. } => Some(SkipKey::AddColumn),
            Change::DropColumn { .. } => Some(SkipKey::DropColumn),
            Change::AlterColumn { .. }
            | Change::RenameColumn { .. }
            | Change::SetComment { target: CommentTarget::Column { .. }, .. } => Some(SkipKey::ModifyColumn),
            Change::CreateIndex { index: Index { name, .. }, .. }
            | Change::AddUnique { unique: UniqueConstraint { name, .. }, .. }
                if self.modified_indexes.contains(&key(name)) =>
            {
                Some(SkipKey::ModifyIndex)
            }
            Change::DropIndex { name, .. } | Change::DropUnique { name, .. }
                if self.modified_indexes.contains(&key(name)) =>
            {
                Some(SkipKey::ModifyIndex)
            }
            Change::RenameIndex { .. } => Some(SkipKey::ModifyIndex),
            Change::CreateIndex { .. } | Change::AddUnique { .. } => Some(SkipKey::AddIndex),
            Change::DropIndex { .. } | Change::DropUnique { .. } => Some(SkipKey::DropIndex),
            Change::AddForeignKey { foreign_key, .. }
                if self.modified_foreign_keys.contains(&key(&foreign_key.name)) =>
            {
                Some(SkipKey::ModifyForeignKey)
            }
            Change::DropForeignKey { name, .. } if self.modified_foreign_keys.contains(&key(name)) => {
                Some(SkipKey::ModifyForeignKey)
            }
            Change::AddForeignKey { .. } => Some(SkipKey::AddForeignKey),
            Change::DropForeignKey { .. } => Some(SkipKey::DropForeignKey),
            _ => None,
        };
        specific.into_iter().chain([SkipKey::ModifyTable]).collect()
    }
}

/// Splits changes into those to plan and those the skip keys leave out, each in its original order.
pub(crate) fn apply_skip(changes: Vec<Change>, skip: &BTreeSet<SkipKey>) -> (Vec<Change>, Vec<Change>) {
    if skip.is_empty() {
        return (changes, Vec::new());
    }
    let shape = Shape::of(&changes);
    changes.into_iter().partition(|change| !shape.keys(change).iter().any(|key| skip.contains(key)))
}

#[cfg(test)]
mod tests;
