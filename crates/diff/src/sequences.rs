//! Standalone and serial sequences (identity sequences belong to their column and are not listed).

use crate::catalog::Catalog;
use crate::impact::Impact;
use crate::steps::Steps;
use driftless_model::{Change, CommentTarget, QualifiedName, Sequence};

pub(crate) fn diff_sequences(current: &Catalog, desired: &Catalog, impact: &Impact, steps: &mut Steps) {
    for (name, wanted) in &desired.sequences {
        match current.sequences.get(name) {
            None => {
                // Created before the tables whose defaults call nextval on it; owned once the column exists.
                steps
                    .sequences
                    .push(Change::CreateSequence { sequence: Sequence { owned_by: None, ..(*wanted).clone() } });
                if wanted.owned_by.is_some() {
                    steps
                        .sequence_owners
                        .push(Change::SetSequenceOwner { name: name.clone(), owned_by: wanted.owned_by.clone() });
                }
            }
            Some(existing) => {
                if existing.options != wanted.options {
                    steps.sequences.push(Change::AlterSequence {
                        name: name.clone(),
                        from: existing.options.clone(),
                        to: wanted.options.clone(),
                    });
                }
                if existing.owned_by != wanted.owned_by {
                    steps
                        .sequence_owners
                        .push(Change::SetSequenceOwner { name: name.clone(), owned_by: wanted.owned_by.clone() });
                }
                if existing.comment != wanted.comment {
                    steps.comments.push(Change::SetComment {
                        target: CommentTarget::Sequence { name: name.clone() },
                        comment: wanted.comment.clone(),
                    });
                }
            }
        }
    }
    for (name, existing) in &current.sequences {
        if !desired.sequences.contains_key(name) && !goes_with_its_owner(name, existing, impact) {
            steps.drop_sequences.push(Change::DropSequence { name: name.clone() });
        }
    }
}

/// PostgreSQL drops an owned sequence with its owning column or table; dropping it again would fail.
fn goes_with_its_owner(name: &QualifiedName, sequence: &Sequence, impact: &Impact) -> bool {
    sequence.owned_by.as_ref().is_some_and(|(table, column)| {
        let table = QualifiedName::new(&name.schema, table);
        impact.dropped_tables.contains(&table) || impact.removed_columns.contains(&(table, column.into()))
    })
}
