//! SQLite's table rebuild (<https://www.sqlite.org/lang_altertable.html#otheralter>): create the new table
//! under a temporary name, copy the rows of the columns both tables have, drop the old table, rename the new
//! one, and create its indexes and triggers again. The apply runs it in the plan's one transaction with foreign keys off
//! and checks them (`PRAGMA foreign_key_check`) before committing, so a failed copy or a broken reference
//! rolls everything back: rows are never lost.
//!
//! The new table is the current one with the plan's changes to it applied (not the desired table), so changes
//! the skip policy leaves out stay undone.

use super::{create_index, create_table, create_trigger};
use crate::PlanError;
use driftless_model::{Change, CompactString, Dialect, Table, quote_ident};

/// The rebuild of `existing` with every change of `changes` that alters it.
pub(super) fn statements(existing: &Table, changes: &[Change]) -> Result<Vec<String>, PlanError> {
    let name = &existing.name;
    let (target, sources) = changed_table(existing, changes)?;
    let temporary = format!("_driftless_new_{}", name.name);
    let (targets, origins): (Vec<String>, Vec<String>) = target
        .columns
        .iter()
        .zip(&sources)
        // generated columns compute their values: SQLite refuses to have them inserted
        .filter(|(column, _)| column.generated.is_none())
        .filter_map(|(column, source)| source.as_ref().map(|source| (quote_ident(&column.name), quote_ident(source))))
        .unzip();
    let mut statements = vec![create_table(&temporary, &target, &[])];
    if !targets.is_empty() {
        statements.push(format!(
            "INSERT INTO {} ({}) SELECT {} FROM {}",
            quote_ident(&temporary),
            targets.join(", "),
            origins.join(", "),
            quote_ident(&name.name)
        ));
    }
    statements.push(format!("DROP TABLE {}", quote_ident(&name.name)));
    statements.push(format!("ALTER TABLE {} RENAME TO {}", quote_ident(&temporary), quote_ident(&name.name)));
    statements.extend(target.indexes.values().map(|index| create_index(&name.name, index)));
    // the old table took its triggers along
    for trigger in target.triggers.values() {
        let change = Change::CreateTrigger { table: name.clone(), trigger: trigger.clone() };
        statements.push(create_trigger(&name.name, trigger, &change)?);
    }
    Ok(statements)
}

/// The table after the changes that alter it, and for each of its columns the current column its rows come
/// from (`None` for a new column, which takes its default).
fn changed_table(existing: &Table, changes: &[Change]) -> Result<(Table, Vec<Option<CompactString>>), PlanError> {
    let mut table = existing.clone();
    let mut sources: Vec<Option<CompactString>> =
        table.columns.iter().map(|column| Some(column.name.clone())).collect();
    for change in changes.iter().filter(|change| change.altered_table() == Some(&existing.name)) {
        match change {
            Change::AddColumn { column, .. } => {
                table.columns.push(column.clone());
                sources.push(None);
            }
            Change::DropColumn { column, .. } => {
                if let Some(position) = table.columns.iter().position(|c| c.name == *column) {
                    table.columns.remove(position);
                    sources.remove(position);
                }
            }
            // the plan is rendered against the model after its renames, which has the column under its new
            // name already: the rows come from the old one
            Change::RenameColumn { from, to, .. } => {
                if let Some(position) = table.columns.iter().position(|column| column.name == *to) {
                    sources[position] = Some(from.as_str().into());
                }
            }
            Change::AlterColumn { from, to, .. } => {
                if let Some(column) = table.column_mut(&from.name) {
                    *column = to.clone();
                }
            }
            Change::SetSqliteTableOptions { to, .. } => table.sqlite = *to,
            Change::AddPrimaryKey { key, .. } => table.primary_key = Some(key.clone()),
            Change::DropPrimaryKey { .. } => table.primary_key = None,
            Change::AddUnique { unique, .. } => {
                table.uniques.insert(unique.clone());
            }
            Change::DropUnique { name, .. } => {
                table.uniques.remove(name);
            }
            Change::AddForeignKey { foreign_key, .. } => {
                table.foreign_keys.insert(foreign_key.clone());
            }
            Change::DropForeignKey { name, .. } => {
                table.foreign_keys.remove(name);
            }
            Change::AddCheck { check, .. } => {
                table.checks.insert(check.clone());
            }
            Change::DropCheck { name, .. } => {
                table.checks.remove(name);
            }
            Change::CreateIndex { index, .. } => {
                table.indexes.insert(index.clone());
            }
            Change::DropIndex { name, .. } => {
                table.indexes.remove(name);
            }
            Change::CreateTrigger { trigger, .. } => {
                table.triggers.insert(trigger.clone());
            }
            Change::DropTrigger { name, .. } => {
                table.triggers.remove(name);
            }
            // SQLite models hold no comments, policies nor exclusion constraints, SQLite renames no constraint nor index, and the
            // other changes alter no table
            Change::RenameConstraint { .. }
            | Change::ValidateConstraint { .. }
            | Change::AddExclusion { .. }
            | Change::DropExclusion { .. }
            | Change::CreatePolicy { .. }
            | Change::DropPolicy { .. }
            | Change::SetRowSecurity { .. }
            | Change::SetStorageParameters { .. }
            | Change::SetUnlogged { .. }
            | Change::SetReplicaIdentity { .. }
            | Change::RenameIndex { .. }
            | Change::SetComment { .. }
            | Change::SetHeaderValue { .. }
            | Change::CreateSchema { .. }
            | Change::DropSchema { .. }
            | Change::CreateExtension { .. }
            | Change::DropExtension { .. }
            | Change::SetExtensionSchema { .. }
            | Change::CreateEnum { .. }
            | Change::DropEnum { .. }
            | Change::AddEnumValue { .. }
            | Change::RecreateEnum { .. }
            | Change::RenameEnum { .. }
            | Change::RenameEnumValue { .. }
            | Change::CreateDomain { .. }
            | Change::DropDomain { .. }
            | Change::SetDomainDefault { .. }
            | Change::SetDomainNotNull { .. }
            | Change::AddDomainCheck { .. }
            | Change::DropDomainCheck { .. }
            | Change::ValidateDomainCheck { .. }
            | Change::RetypeDomain { .. }
            | Change::AttachPartition { .. }
            | Change::DetachPartition { .. }
            | Change::ChangePartitionKey { .. }
            | Change::CreateSequence { .. }
            | Change::DropSequence { .. }
            | Change::AlterSequence { .. }
            | Change::SetSequenceOwner { .. }
            | Change::RenameSequence { .. }
            | Change::CreateTable { .. }
            | Change::DropTable { .. }
            | Change::RenameTable { .. }
            | Change::CreateView { .. }
            | Change::DropView { .. }
            | Change::CreateFunction { .. }
            | Change::ReplaceFunction { .. }
            | Change::DropFunction { .. } => return Err(PlanError::unsupported(change, Dialect::Sqlite)),
        }
    }
    Ok((table, sources))
}
