//! A pure, deterministic diff from the current model to the desired one: an ordered list of typed changes.

use driftless_model::{Change, Database};

/// Options that shape the diff.
#[derive(Debug, Clone, Default)]
pub struct DiffOptions {}

/// The changes that turn `current` into `desired`, ordered so that each one's dependencies come first.
pub fn diff(_current: &Database, _desired: &Database, _options: &DiffOptions) -> Vec<Change> {
    Vec::new()
}
