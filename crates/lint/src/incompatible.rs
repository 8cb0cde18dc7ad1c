//! Renames that break every client still using the old name (BC1xx, codes as Atlas's).

use crate::Draft;
use crate::context::Context;
use driftless_model::Change;

const RENAME_FIX: &str = "deploy clients that use the new name first, or rename in steps (add a view or column under the new name, migrate clients, drop the old one)";

pub(crate) fn backward_incompatible(_context: &Context, change: &Change) -> Vec<Draft> {
    match change {
        Change::RenameTable { from, to } => {
            vec![Draft::new(
                "BC101",
                format!("table {from} is renamed to {to}: queries using the old name fail"),
                RENAME_FIX,
            )]
        }
        Change::RenameColumn { table, from, to } => vec![Draft::new(
            "BC102",
            format!("column {from} of {table} is renamed to {to}: queries using the old name fail"),
            RENAME_FIX,
        )],
        _ => Vec::new(),
    }
}
