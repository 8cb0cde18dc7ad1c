//! Changes whose success depends on the rows present (MF1xx, numbered as Atlas's where Atlas has the check):
//! they fail (and roll the plan back) or change values when existing rows do not satisfy them. Each finding
//! says what to count so the engine can report how many rows are in the way.

use crate::context::Context;
use crate::mysql::postgres_equivalent;
use crate::types::{Narrowing, narrowing};
use crate::{Draft, RowCheck};
use driftless_model::{
    Change, ColumnChange, CompactString, Conversion, Dialect, EnumColumn, EnumType, QualifiedName, Table, no_cast,
    postgres_conversion, quote_literal,
};

const UNIQUE_FIX: &str = "remove or merge the duplicate rows before applying";
const NOT_NULL_COLUMN_FIX: &str = "give the column a default, or add it nullable, backfill it, then make it NOT NULL";
const SET_NOT_NULL_FIX: &str = "update the NULL rows (or set a default and backfill) before applying";
const THROUGH_TEXT_FIX: &str = "check that every value's text reads as the new type, or add a new column of the new \
     type, fill it with an expression of your choosing, then drop the old one";
const DOMAIN_CHECK_FIX: &str =
    "update the values that fail the check before applying, or add it NOT VALID and validate it once they pass";
const EXCLUSION_FIX: &str = "remove or change the conflicting rows first";
const NARROWING_FIX: &str = "check that every value fits the new type, or keep the wider type";
const REMOVED_LABEL_FIX: &str = "update the rows holding a removed label to one that stays before applying, or keep \
     the label (a label renamed in place needs a `-- driftless:renamed from=OLD` hint on it)";

pub(crate) fn data_dependent(context: &Context, change: &Change) -> Vec<Draft> {
    match change {
        // which rows conflict depends on the operators (`&&` of ranges): not counted
        Change::AddExclusion { table, exclusion } if context.is_existing(table) => vec![Draft::new(
            "MF110",
            format!("exclusion constraint {} on {table} fails if existing rows conflict under it", exclusion.name),
            EXCLUSION_FIX,
        )],
        Change::AddUnique { table, unique } => {
            unique_on_existing_rows(context, table, &unique.name, &unique.columns, !unique.nulls_not_distinct, None)
        }
        Change::AddPrimaryKey { table, key } => {
            unique_on_existing_rows(context, table, &key.name, &key.columns, true, None)
        }
        Change::CreateIndex { table, index } if index.unique => {
            match index.column_keys() {
                Some(columns) => unique_on_existing_rows(
                    context,
                    table,
                    &index.name,
                    &columns,
                    !index.nulls_not_distinct,
                    index.predicate.as_ref().map(|predicate| predicate.sql.to_string()),
                ),
                // An expression key: the rows are in the way all the same, only the count is not offered.
                None if context.is_existing(table) => vec![Draft::new(
                    "MF101",
                    format!("unique index {} on {table} fails if existing rows share a key", index.name),
                    UNIQUE_FIX,
                )],
                None => Vec::new(),
            }
        }
        Change::AddColumn { table, column }
            if context.is_existing(table)
                && !column.nullable
                && column.default.is_none()
                && column.identity.is_none()
                && column.generated.is_none() =>
        {
            vec![
                Draft::new(
                    "MF103",
                    format!(
                        "NOT NULL column {} without a default is added to {table}: it fails if the table has rows",
                        column.name
                    ),
                    NOT_NULL_COLUMN_FIX,
                )
                .counting(RowCheck::Rows { table: table.clone() }),
            ]
        }
        Change::AlterColumn { table, to, changes, .. } if context.is_existing(table) => changes
            .iter()
            .filter_map(|step| match step {
                ColumnChange::SetNotNull => Some(
                    Draft::new(
                        "MF104",
                        format!("column {} of {table} becomes NOT NULL: it fails if a row holds NULL", to.name),
                        SET_NOT_NULL_FIX,
                    )
                    .counting(RowCheck::Nulls { table: table.clone(), column: to.name.to_string() }),
                ),
                ColumnChange::Type { from, to: new_type, .. }
                    if context.dialect() == Dialect::Postgres
                        && no_cast(from, new_type)
                        && postgres_conversion(from, new_type) == Conversion::Through("text") =>
                {
                    Some(
                        Draft::new(
                            "MF106",
                            format!(
                                "column {} of {table} changes from {from} to {new_type}, which have no cast between \
                                 them: its values convert through their text, which fails on a value that does not \
                                 read as {new_type}",
                                to.name
                            ),
                            THROUGH_TEXT_FIX,
                        )
                        .counting(RowCheck::Values { table: table.clone(), column: to.name.to_string() }),
                    )
                }
                ColumnChange::Type { from, to: new_type, explicit_cast } => {
                    let (old, new) = match context.dialect() {
                        Dialect::Mysql => (postgres_equivalent(from), postgres_equivalent(new_type)),
                        _ => (from.clone(), new_type.clone()),
                    };
                    narrowing(&old, &new, *explicit_cast)
                        .map(|narrowing| narrowing_draft(table, &to.name, from.as_str(), new_type.as_str(), narrowing))
                }
                _ => None,
            })
            .collect(),
        Change::RecreateEnum { from, to, columns, .. } => removed_labels_in_use(from, to, columns),
        Change::AddDomainCheck { name, check } if !check.not_valid => {
            domain_check_in_use(context, name, &check.name, &check.expr.sql)
        }
        Change::ValidateDomainCheck { name, check } => {
            let expr = context.current_domain_check(name, check).map(|check| check.expr.sql.to_string());
            expr.map(|expr| domain_check_in_use(context, name, check, &expr)).unwrap_or_default()
        }
        Change::SetDomainNotNull { name, not_null: true } => context
            .columns_of_domain(name)
            .into_iter()
            .filter(|(_, _, array)| !array)
            .map(|(table, column, _)| {
                let message =
                    format!("domain {name} becomes NOT NULL: it fails if column {column} of {table} holds NULL");
                Draft::new("MF109", message, SET_NOT_NULL_FIX).counting(RowCheck::Nulls { table, column })
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// MF107: an enum that loses labels is created anew and its columns converted to it through `text`, which
/// fails on a row holding a removed label. One finding per column, each counting its rows.
fn removed_labels_in_use(from: &EnumType, to: &EnumType, columns: &[EnumColumn]) -> Vec<Draft> {
    let removed: Vec<String> = from.values.iter().filter(|label| !to.values.contains(label)).cloned().collect();
    // labels only reordered: every row converts
    if removed.is_empty() {
        return Vec::new();
    }
    let listed = removed.iter().map(|label| quote_literal(label)).collect::<Vec<_>>().join(", ");
    columns
        .iter()
        .map(|column| {
            let message = format!(
                "enum type {} loses {listed}: converting column {} of {} to the new type fails if a row holds it",
                from.name, column.column, column.table
            );
            Draft::new("MF107", message, REMOVED_LABEL_FIX).counting(RowCheck::Labels {
                table: column.table.clone(),
                column: column.column.to_string(),
                labels: removed.clone(),
                array: column.data_type.is_array(),
            })
        })
        .collect()
}

/// MF108: a domain's check, added or validated, is checked against every value stored in a column of the
/// domain (or of a domain over it). One finding per column, each counting the rows that fail it.
fn domain_check_in_use(context: &Context, domain: &QualifiedName, check: &str, expr: &str) -> Vec<Draft> {
    context
        .columns_of_domain(domain)
        .into_iter()
        .map(|(table, column, array)| {
            let message =
                format!("check {check} of domain {domain} is checked on column {column} of {table}: it fails if a value does not pass");
            Draft::new("MF108", message, DOMAIN_CHECK_FIX).counting(RowCheck::DomainCheck {
                table,
                column,
                expr: expr.to_string(),
                array,
            })
        })
        .collect()
}

fn narrowing_draft(table: &QualifiedName, column: &str, from: &str, to: &str, narrowing: Narrowing) -> Draft {
    let message = format!(
        "column {column} of {table} changes from {from} to {to}: values that do not fit make it fail or are changed"
    );
    let draft = Draft::new("MF105", message, NARROWING_FIX);
    let (table, column) = (table.clone(), column.to_string());
    match narrowing {
        Narrowing::Length(length) => draft.counting(RowCheck::LongerThan { table, column, length }),
        Narrowing::Range(min, max) => draft.counting(RowCheck::OutOfRange { table, column, min, max }),
        Narrowing::Digits(digits) => draft.counting(RowCheck::TooManyDigits { table, column, digits }),
        Narrowing::Lossy => draft,
    }
}

/// MF101: a unique key over columns that already hold data fails when rows share a key. Keys over a column
/// this plan adds, and keys the table already enforces on the same columns (a constraint being re-created),
/// cannot meet duplicates.
fn unique_on_existing_rows(
    context: &Context,
    table: &QualifiedName,
    name: &str,
    columns: &[CompactString],
    nulls_distinct: bool,
    predicate: Option<String>,
) -> Vec<Draft> {
    if !context.is_existing(table) || columns.iter().any(|column| context.column_is_new(table, column)) {
        return Vec::new();
    }
    if context.current_table(table).is_some_and(|current| already_unique(current, columns)) {
        return Vec::new();
    }
    let draft = Draft::new(
        "MF101",
        format!("unique key {name} on {table} ({}) fails if existing rows share a key", columns.join(", ")),
        UNIQUE_FIX,
    );
    vec![draft.counting(RowCheck::Duplicates {
        table: table.clone(),
        columns: columns.iter().map(ToString::to_string).collect(),
        nulls_distinct,
        predicate,
    })]
}

/// True when the table already enforces uniqueness over exactly these columns (in any order), with no
/// predicate: rows present satisfy any new key over them.
fn already_unique(table: &Table, columns: &[CompactString]) -> bool {
    let mut wanted = columns.to_vec();
    wanted.sort();
    let same = |key: &[CompactString]| {
        let mut key = key.to_vec();
        key.sort();
        key == wanted
    };
    table.primary_key.as_ref().is_some_and(|key| same(&key.columns))
        || table.uniques.values().any(|unique| same(&unique.columns))
        || table
            .indexes
            .values()
            .filter(|index| index.unique && index.predicate.is_none())
            .any(|index| index.column_keys().is_some_and(|keys| same(&keys)))
}
