//! Renames that break every client still using the old name (BC1xx; BC101 and BC102 as Atlas's).

use crate::Draft;
use crate::context::Context;
use driftless_model::{Change, quote_literal};

const RENAME_FIX: &str = "deploy clients that use the new name first, or rename in steps (add a view or column under the new name, migrate clients, drop the old one)";

const LABEL_RENAME_FIX: &str = "deploy clients that accept both labels first, or rename in steps (add the new label, \
     move rows and clients to it, then remove the old one)";

const TYPE_RENAME_FIX: &str = "change the casts, functions and clients that name the old type first";

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
        Change::RenameEnumValue { name, from, to } => vec![Draft::new(
            "BC103",
            format!(
                "label {} of enum type {name} is renamed to {}: queries and clients writing the old label fail",
                quote_literal(from),
                quote_literal(to)
            ),
            LABEL_RENAME_FIX,
        )],
        Change::RenameEnum { from, to } => vec![Draft::new(
            "BC104",
            format!("enum type {from} is renamed to {to}: casts and declarations naming the old type fail"),
            TYPE_RENAME_FIX,
        )],
        _ => Vec::new(),
    }
}
