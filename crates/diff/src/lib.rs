//! A pure, deterministic diff from the current model to the desired one: an ordered list of typed changes.
//!
//! The walk goes object kind by object kind (one module each); every change lands in the phase it runs in
//! (`steps`), which fixes the order: dependents are torn down first, objects built up dependencies first,
//! and what is no longer declared is dropped last. Renames are never guessed: a different name is a drop and
//! a create, unless a hint in the desired SQL says otherwise ([`Renames`]: the caller diffs the current model
//! as renamed, after the rename changes). Column order is ignored (PostgreSQL cannot reorder columns).
//!
//! Some changes force others. Before anything is emitted for tables, views and triggers, the diff records in
//! an `Impact` what its decisions do (columns retyped or removed, functions and types that vanish, keys that
//! are dropped), and the dependents consult it.

mod catalog;
mod columns;
mod domains;
mod enums;
mod functions;
mod impact;
mod mentions;
mod renames;
mod schemas;
mod sequences;
mod steps;
mod tables;
mod views;

use catalog::Catalog;
use driftless_model::{Change, Database};
use impact::Impact;
use steps::Steps;

pub use renames::{RenameConflict, Renames};

/// The changes that turn `current` into `desired`, ordered so that each one's dependencies come first.
/// Policies that leave some changes out (Atlas's `skip` keys) filter this list by `Change::kind()` afterwards;
/// what depends on the database (the default schema user types are named relative to) comes with the models
/// (`Database::server`).
pub fn diff(current: &Database, desired: &Database) -> Vec<Change> {
    let current_catalog = Catalog::new(current);
    let desired_catalog = Catalog::new(desired);
    let mut impact = Impact::default();
    let mut steps = Steps::default();

    schemas::diff_schemas(current, desired, &mut steps);
    schemas::diff_extensions(current, desired, &mut steps);
    let enum_converted = enums::diff_enums(&current_catalog, &desired_catalog, &mut impact, &mut steps);
    domains::diff_domains(&current_catalog, &desired_catalog, &mut impact, &mut steps);
    functions::diff_functions(&current_catalog, &desired_catalog, &mut impact, &mut steps);
    tables::diff_tables(&current_catalog, &desired_catalog, &enum_converted, &mut impact, &mut steps);
    sequences::diff_sequences(&current_catalog, &desired_catalog, &impact, &mut steps);
    views::diff_views(&current_catalog, &desired_catalog, &mut impact, &mut steps);
    schemas::diff_header_values(current, desired, &mut steps);

    steps.into_changes()
}
