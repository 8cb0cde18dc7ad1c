//! A one-line summary of each change to assert orderings on; the models come from `driftless_model::builders`.

use driftless_model::Change;

/// `kind target`, e.g. `add_foreign_key public.orders.orders_user_id_fkey`.
pub fn summary(change: &Change) -> String {
    let target = match change {
        Change::CreateSchema { name, .. } | Change::DropSchema { name } => name.clone(),
        Change::CreateExtension { extension } => extension.name.clone(),
        Change::DropExtension { name } | Change::SetExtensionSchema { name, .. } => name.clone(),
        Change::CreateEnum { enum_type } => enum_type.name.to_string(),
        Change::RecreateEnum { to, .. } => to.name.to_string(),
        Change::AddEnumValue { name, value, .. } | Change::RenameEnumValue { name, from: value, .. } => {
            format!("{name}.{value}")
        }
        Change::CreateDomain { domain } => domain.name.to_string(),
        Change::RetypeDomain { to, .. } => to.name.to_string(),
        Change::DropDomain { name } | Change::SetDomainDefault { name, .. } | Change::SetDomainNotNull { name, .. } => {
            name.to_string()
        }
        Change::AddDomainCheck { name, check } => format!("{name}.{}", check.name),
        Change::DropDomainCheck { name, check } | Change::ValidateDomainCheck { name, check } => {
            format!("{name}.{check}")
        }
        Change::CreateSequence { sequence } => sequence.name.to_string(),
        Change::CreateTable { table } => table.name.to_string(),
        Change::CreateView { view } => view.name.to_string(),
        Change::CreateFunction { function } | Change::DropFunction { function } => function.name.to_string(),
        Change::ReplaceFunction { to, .. } => to.name.to_string(),
        Change::DropEnum { name }
        | Change::DropSequence { name }
        | Change::AlterSequence { name, .. }
        | Change::SetSequenceOwner { name, .. }
        | Change::DropTable { name }
        | Change::DropView { name, .. } => name.to_string(),
        Change::AttachPartition { table, .. }
        | Change::DetachPartition { table, .. }
        | Change::ChangePartitionKey { table, .. } => table.to_string(),
        Change::RenameTable { from, .. } | Change::RenameSequence { from, .. } | Change::RenameEnum { from, .. } => {
            from.to_string()
        }
        Change::RenameConstraint { table, from, .. } | Change::RenameIndex { table, from, .. } => {
            format!("{table}.{from}")
        }
        Change::AddColumn { table, column } => format!("{table}.{}", column.name),
        Change::AlterColumn { table, to, .. } => format!("{table}.{}", to.name),
        Change::DropColumn { table, column } | Change::RenameColumn { table, from: column, .. } => {
            format!("{table}.{column}")
        }
        Change::AddPrimaryKey { table, key } => format!("{table}.{}", key.name),
        Change::AddUnique { table, unique } => format!("{table}.{}", unique.name),
        Change::AddForeignKey { table, foreign_key } => format!("{table}.{}", foreign_key.name),
        Change::AddCheck { table, check } => format!("{table}.{}", check.name),
        Change::AddExclusion { table, exclusion } => format!("{table}.{}", exclusion.name),
        Change::CreateIndex { table, index } => format!("{table}.{}", index.name),
        Change::CreateTrigger { table, trigger } => format!("{table}.{}", trigger.name),
        Change::CreatePolicy { table, policy } => format!("{table}.{}", policy.name),
        Change::SetRowSecurity { table, .. }
        | Change::SetStorageParameters { table, .. }
        | Change::SetUnlogged { table, .. }
        | Change::SetReplicaIdentity { table, .. }
        | Change::SetSqliteTableOptions { table, .. } => table.to_string(),
        Change::DropPrimaryKey { table, name }
        | Change::DropUnique { table, name }
        | Change::DropForeignKey { table, name }
        | Change::DropCheck { table, name }
        | Change::DropExclusion { table, name }
        | Change::ValidateConstraint { table, name }
        | Change::DropIndex { table, name }
        | Change::DropTrigger { table, name }
        | Change::DropPolicy { table, name } => format!("{table}.{name}"),
        Change::SetComment { target, .. } => format!("{target:?}"),
        Change::SetHeaderValue { header, value } => format!("{}={value}", header.pragma()),
    };
    format!("{} {target}", change.kind())
}
