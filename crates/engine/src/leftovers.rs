//! Objects an interrupted online plan left unfinished (see `driftless_inspect::Leftover`) are taken out of
//! the current model and dropped first; the diff then builds them again when the desired schema has them.

use driftless_inspect::Leftover;
use driftless_model::{Change, Database};

/// Removes the leftovers that are in the (scoped) model and returns their drops.
pub(crate) fn take_leftovers(current: &mut Database, leftovers: &[Leftover]) -> Vec<Change> {
    let mut repairs = Vec::new();
    for leftover in leftovers {
        match leftover {
            Leftover::InvalidIndex { table, name } => {
                let removed = match current.table_mut(table) {
                    Some(found) => found.indexes.remove(name).is_some(),
                    None => current
                        .schemas
                        .get_mut(&table.schema)
                        .and_then(|schema| schema.views.get_mut(&table.name))
                        .is_some_and(|view| view.indexes.remove(name).is_some()),
                };
                if removed {
                    repairs.push(Change::DropIndex { table: table.clone(), name: name.clone() });
                }
            }
        }
    }
    repairs
}
