//! Drops that lose data (DS1xx, codes as Atlas's so CI rules carry over) and constraints dropped for good
//! (CD1xx).

use crate::Draft;
use crate::context::Context;
use driftless_model::Change;

const DESTRUCTIVE_FIX: &str = "keep the object in the desired schema, or allow destructive changes (--allow-destructive / policy.lint.destructive.error: false)";

pub(crate) fn destructive(context: &Context, change: &Change) -> Vec<Draft> {
    let (code, message) = match change {
        Change::DropSchema { name } => ("DS101", format!("schema {name} is dropped with everything in it")),
        Change::DropTable { name } => match context.current_table(name).and_then(|t| t.partition_of.as_ref()) {
            Some(of) => {
                ("DS106", format!("partition {name} of {} is dropped with the rows it holds ({})", of.parent, of.bound))
            }
            None => ("DS102", format!("table {name} is dropped with all its rows")),
        },
        Change::DropColumn { table, column } if !context.column_is_recreated(table, column) => {
            ("DS103", format!("column {column} of {table} is dropped with its data"))
        }
        Change::DropDomain { name } => {
            let kept: Vec<String> = context
                .columns_of_domain(name)
                .into_iter()
                .filter(|(table, column, _)| !context.column_loses_type(table, column))
                .map(|(table, column, _)| format!("{table}.{column}"))
                .collect();
            if kept.is_empty() {
                return Vec::new();
            }
            let message = format!(
                "domain {name} is dropped while columns keep it ({}): PostgreSQL refuses, and CASCADE would drop \
                 them with their data",
                kept.join(", ")
            );
            ("DS105", message)
        }
        _ => return Vec::new(),
    };
    vec![Draft::new(code, message, DESTRUCTIVE_FIX)]
}

const CONSTRAINT_DROP_FIX: &str =
    "make sure the application no longer relies on the constraint, or keep it in the desired schema";

const ROW_SECURITY_FIX: &str =
    "make sure no role relies on the policy to keep rows from it, or keep it in the desired schema";

/// A constraint dropped and not added back: the data it protected is no longer protected. Drops that come
/// with the table's own drop, and drop-and-add-again of a changed constraint, are not findings. Row-level
/// security loosened counts too: a policy dropped for good (CD105), row security switched off or no longer
/// forced on the owner (CD106).
pub(crate) fn constraint_drop(context: &Context, change: &Change) -> Vec<Draft> {
    match change {
        Change::DropPolicy { table, name }
            if !context.is_dropped(table) && !context.policy_is_added_back(table, name) =>
        {
            let message =
                format!("policy {name} of {table} is dropped: the rows it filtered are no longer filtered by it");
            return vec![Draft::new("CD105", message, ROW_SECURITY_FIX)];
        }
        Change::SetRowSecurity { table, from, to } if (from.enabled && !to.enabled) || (from.forced && !to.forced) => {
            let what =
                if from.enabled && !to.enabled { "switched off" } else { "no longer forced on the table's owner" };
            let message = format!("row-level security of {table} is {what}: its policies stop applying to those roles");
            return vec![Draft::new("CD106", message, ROW_SECURITY_FIX)];
        }
        _ => {}
    }
    let (code, kind, table, name) = match change {
        Change::DropForeignKey { table, name } => ("CD101", "foreign key", table, name),
        Change::DropCheck { table, name } => ("CD102", "check constraint", table, name),
        Change::DropPrimaryKey { table, name } => ("CD103", "primary key", table, name),
        Change::DropUnique { table, name } => ("CD104", "unique constraint", table, name),
        Change::DropExclusion { table, name } => ("CD107", "exclusion constraint", table, name),
        _ => return Vec::new(),
    };
    if context.is_dropped(table) || context.is_added_back(table, name) {
        return Vec::new();
    }
    vec![Draft::new(
        code,
        format!("{kind} {name} of {table} is dropped: the rows it kept consistent are no longer checked"),
        CONSTRAINT_DROP_FIX,
    )]
}
