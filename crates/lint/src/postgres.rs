//! PostgreSQL lock and rewrite hazards on tables that exist before the plan runs (PG1xx: indexes without
//! `CONCURRENTLY`; PG3xx: rewrites, full scans and long `ACCESS EXCLUSIVE` locks). Each is silent when the
//! plan renders the online form that avoids it (`policy.diff.concurrent_index`, `online_constraints`).

use crate::Draft;
use crate::context::Context;
use crate::types::rewrites_table;
use driftless_model::{Change, Column, ColumnChange, Expr};

const CONCURRENT_CREATE_FIX: &str =
    "build it CONCURRENTLY (--concurrent-index / policy.diff.concurrent_index.create: true)";
const CONCURRENT_DROP_FIX: &str = "drop it CONCURRENTLY (--concurrent-index / policy.diff.concurrent_index.drop: true)";
const REWRITE_FIX: &str =
    "apply in a quiet window, or migrate in steps: add a column of the new type, backfill in batches, swap";
const VOLATILE_DEFAULT_FIX: &str =
    "add the column without a default (or with a constant one), then set the default and backfill in batches";
const NOT_VALID_FIX: &str =
    "add it NOT VALID and validate it separately (--online-constraints / policy.diff.online_constraints: true)";

/// Functions whose every call may return a new value: a default calling one is evaluated per existing row,
/// so adding such a column rewrites the table (a stable or constant default is stored once, since
/// PostgreSQL 11).
const VOLATILE_FUNCTIONS: &[&str] = &[
    "random",
    "clock_timestamp",
    "timeofday",
    "gen_random_uuid",
    "uuid_generate_v1",
    "uuid_generate_v1mc",
    "uuid_generate_v4",
    "nextval",
    "txid_current",
];

pub(crate) fn lock_hazards(context: &Context, change: &Change) -> Vec<Draft> {
    let existing = |table| context.is_existing(table);
    match change {
        Change::CreateIndex { table, index } if existing(table) && !context.online.concurrent_create => vec![Draft::new(
            "PG101",
            format!("index {} is built without CONCURRENTLY: writes to {table} wait until the build ends", index.name),
            CONCURRENT_CREATE_FIX,
        )],
        Change::DropIndex { table, name }
            if existing(table) && !context.is_dropped(table) && !context.online.concurrent_drop =>
        {
            vec![Draft::new(
                "PG102",
                format!("index {name} is dropped without CONCURRENTLY: it takes an ACCESS EXCLUSIVE lock on {table}"),
                CONCURRENT_DROP_FIX,
            )]
        }
        Change::AlterColumn { table, to, changes, .. } if existing(table) => changes
            .iter()
            .filter_map(|step| match step {
                ColumnChange::Type { from, to: new_type, .. } if rewrites_table(from, new_type) => Some(Draft::new(
                    "PG301",
                    format!(
                        "column {} changes from {from} to {new_type}: {table} is rewritten under an ACCESS EXCLUSIVE lock",
                        to.name
                    ),
                    REWRITE_FIX,
                )),
                ColumnChange::SetNotNull if !context.online.validate_separately => Some(Draft::new(
                    "PG303",
                    format!("SET NOT NULL on {} scans all of {table} under an ACCESS EXCLUSIVE lock", to.name),
                    NOT_VALID_FIX,
                )),
                _ => None,
            })
            .collect(),
        Change::AddColumn { table, column } if existing(table) && rewrites_on_add(column) => vec![Draft::new(
            "PG302",
            format!("column {} is computed for every row: {table} is rewritten under an ACCESS EXCLUSIVE lock", column.name),
            VOLATILE_DEFAULT_FIX,
        )],
        Change::AddPrimaryKey { table, key } if existing(table) && !context.online.concurrent_create => {
            vec![key_lock(&key.name, "primary key", table)]
        }
        Change::AddUnique { table, unique } if existing(table) && !context.online.concurrent_create => {
            vec![key_lock(&unique.name, "unique constraint", table)]
        }
        Change::SetUnlogged { table, unlogged } if existing(table) => vec![Draft::new(
            "PG308",
            format!(
                "{table} becomes {}: it is rewritten under an ACCESS EXCLUSIVE lock",
                if *unlogged { "UNLOGGED" } else { "LOGGED" }
            ),
            "apply in a quiet window",
        )],
        Change::AddExclusion { table, exclusion } if existing(table) => vec![Draft::new(
            "PG307",
            format!(
                "exclusion constraint {} builds its index under an ACCESS EXCLUSIVE lock: {table} is unreadable until it ends",
                exclusion.name
            ),
            "apply in a quiet window: PostgreSQL cannot build an exclusion constraint's index concurrently",
        )],
        Change::AddCheck { table, check } if existing(table) && !context.online.validate_separately && !check.not_valid => vec![Draft::new(
            "PG305",
            format!("check {} is verified against every row of {table} under an ACCESS EXCLUSIVE lock", check.name),
            NOT_VALID_FIX,
        )],
        Change::AddForeignKey { table, foreign_key }
            if existing(table) && !context.online.validate_separately && !foreign_key.not_valid =>
        {
            vec![Draft::new(
                "PG306",
                format!(
                    "foreign key {} is verified against every row of {table} while writes to it and to {} wait",
                    foreign_key.name, foreign_key.ref_table
                ),
                NOT_VALID_FIX,
            )]
        }
        _ => Vec::new(),
    }
}

fn key_lock(name: &str, kind: &str, table: &driftless_model::QualifiedName) -> Draft {
    Draft::new(
        "PG304",
        format!("{kind} {name} builds its index under an ACCESS EXCLUSIVE lock: {table} is unreadable until it ends"),
        "build the index CONCURRENTLY and attach it with USING INDEX (--concurrent-index / policy.diff.concurrent_index.create: true)",
    )
}

/// True when adding the column fills every existing row with a computed value: an identity, a stored
/// generated column, or a default that calls a volatile function.
fn rewrites_on_add(column: &Column) -> bool {
    column.identity.is_some() || column.generated.is_some() || column.default.as_deref().is_some_and(calls_volatile)
}

fn calls_volatile(default: &Expr) -> bool {
    let text = default.canonical.to_lowercase();
    VOLATILE_FUNCTIONS.iter().any(|function| {
        text.match_indices(&format!("{function}(")).any(|(start, _)| {
            // A schema-qualified call (`public.gen_random_uuid(`) counts; `my_random(` does not.
            !text[..start].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_')
        })
    })
}
