//! Enum types. New labels are added in place (`ADD VALUE [BEFORE]`); a removed or reordered label needs a
//! new type: dropped and created when no column uses it, otherwise replaced by `RecreateEnum`, which renames
//! the old type aside, converts the columns that keep it through `text` (so a row holding a removed label
//! fails the migration instead of losing data) and drops the old type at the end, after the columns and
//! tables that used it and go away.

use crate::catalog::Catalog;
use crate::impact::{ColumnRef, Impact};
use crate::steps::Steps;
use driftless_model::{Change, CommentTarget, EnumColumn, QualifiedName};
use std::collections::BTreeSet;

/// Suffix of the name an enum's old type takes while its columns are converted to the new one.
const OLD_TYPE_SUFFIX: &str = "__driftless_old";
/// PostgreSQL truncates identifiers to 63 bytes.
const MAX_IDENTIFIER_BYTES: usize = 63;

/// Diffs enums; returns the columns converted by a `RecreateEnum`, whose defaults that change already sets.
pub(crate) fn diff_enums(
    current: &Catalog,
    desired: &Catalog,
    impact: &mut Impact,
    steps: &mut Steps,
) -> BTreeSet<ColumnRef> {
    let mut converted = BTreeSet::new();
    for (name, wanted) in &desired.enums {
        let Some(existing) = current.enums.get(name) else {
            steps.types.push(Change::CreateEnum { enum_type: (*wanted).clone() });
            continue;
        };
        if existing.comment != wanted.comment {
            steps.comments.push(Change::SetComment {
                target: CommentTarget::Type { name: name.clone() },
                comment: wanted.comment.clone(),
            });
        }
        if existing.values == wanted.values {
            continue;
        }
        if let Some(additions) = additions(&existing.values, &wanted.values) {
            steps.types.extend(additions.into_iter().map(|(value, before)| Change::AddEnumValue {
                name: name.clone(),
                value,
                before,
            }));
            continue;
        }
        impact.vanishing_types.insert(name.clone());
        let columns = columns_using(name, current, desired);
        // A column that is dropped or retyped still uses the type until its own change runs, after the types
        // phase: the old type is then renamed aside and dropped at the end, like one whose columns convert.
        if columns.is_empty() && !used_by_any_column(name, current) {
            steps.types.push(Change::DropEnum { name: name.clone() });
            steps.types.push(Change::CreateEnum { enum_type: (*wanted).clone() });
            continue;
        }
        for column in &columns {
            let column_ref = (column.table.clone(), column.column.clone());
            impact.retyped_columns.insert(column_ref.clone());
            converted.insert(column_ref);
        }
        let old_name = old_type_name(&name.name);
        steps.types.push(Change::RecreateEnum {
            from: (*existing).clone(),
            to: (*wanted).clone(),
            old_name: old_name.clone(),
            columns,
        });
        steps.drop_types.push(Change::DropEnum { name: QualifiedName::new(&name.schema, old_name) });
    }
    for name in current.enums.keys().filter(|name| !desired.enums.contains_key(*name)) {
        impact.vanishing_types.insert(name.clone());
        steps.drop_types.push(Change::DropEnum { name: name.clone() });
    }
    converted
}

/// The labels to add, each with the existing label it goes before, when `current` keeps its order inside
/// `desired`; `None` when a label was removed or the order changed.
fn additions(current: &[String], desired: &[String]) -> Option<Vec<(String, Option<String>)>> {
    let kept: Vec<&String> = desired.iter().filter(|value| current.contains(value)).collect();
    if kept.len() != current.len() || kept.iter().zip(current).any(|(kept, current)| *kept != current) {
        return None;
    }
    let added = desired.iter().enumerate().filter(|(_, value)| !current.contains(value));
    Some(
        added
            .map(|(position, value)| {
                let next_existing = desired[position + 1..].iter().find(|later| current.contains(later));
                (value.clone(), next_existing.cloned())
            })
            .collect(),
    )
}

/// Columns of tables kept on both sides that use the enum (or an array of it) and keep that type: the ones
/// a `RecreateEnum` converts. Columns being dropped or retyped are left to their own changes, which run
/// before the old type is dropped.
fn columns_using(name: &QualifiedName, current: &Catalog, desired: &Catalog) -> Vec<EnumColumn> {
    let mut columns = Vec::new();
    for (table_name, table) in &current.tables {
        let Some(wanted_table) = desired.tables.get(table_name) else {
            continue;
        };
        for column in &table.columns {
            // the live columns name the type relative to the live database's default schema
            if column.data_type.user_type(current.default_schema).as_ref() != Some(name) {
                continue;
            }
            let Some(wanted) = wanted_table.column(&column.name) else {
                continue;
            };
            if wanted.data_type == column.data_type {
                columns.push(EnumColumn {
                    table: table_name.clone(),
                    column: column.name.clone(),
                    data_type: column.data_type.clone(),
                    has_default: column.default.is_some(),
                    default: wanted.default.as_deref().cloned(),
                });
            }
        }
    }
    columns
}

/// Whether any live column uses the enum (or an array of it).
fn used_by_any_column(name: &QualifiedName, current: &Catalog) -> bool {
    current
        .tables
        .values()
        .flat_map(|table| &table.columns)
        .any(|column| column.data_type.user_type(current.default_schema).as_ref() == Some(name))
}

fn old_type_name(name: &str) -> String {
    let mut prefix_len = MAX_IDENTIFIER_BYTES.saturating_sub(OLD_TYPE_SUFFIX.len()).min(name.len());
    while !name.is_char_boundary(prefix_len) {
        prefix_len -= 1;
    }
    format!("{}{OLD_TYPE_SUFFIX}", &name[..prefix_len])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(values: &[&str]) -> Vec<String> {
        values.iter().map(|v| v.to_string()).collect()
    }

    #[test]
    fn new_labels_go_before_the_next_existing_label() {
        let added = additions(&labels(&["a", "c"]), &labels(&["x", "a", "b", "c", "d"])).unwrap();
        assert_eq!(
            added,
            vec![
                ("x".to_string(), Some("a".to_string())),
                ("b".to_string(), Some("c".to_string())),
                ("d".to_string(), None),
            ]
        );
    }

    #[test]
    fn removed_or_reordered_labels_cannot_be_added_in_place() {
        assert_eq!(additions(&labels(&["a", "b"]), &labels(&["b", "a"])), None);
        assert_eq!(additions(&labels(&["a", "b"]), &labels(&["a"])), None);
    }

    #[test]
    fn old_type_name_fits_postgres_identifier_length() {
        assert_eq!(old_type_name("mood"), "mood__driftless_old");
        let long = "é".repeat(40);
        let old = old_type_name(&long);
        assert!(old.len() <= MAX_IDENTIFIER_BYTES, "{old}");
        assert!(old.ends_with(OLD_TYPE_SUFFIX));
    }
}
