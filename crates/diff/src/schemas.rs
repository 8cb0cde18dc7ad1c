//! Schemas and extensions.

use crate::steps::Steps;
use driftless_model::{Change, CommentTarget, Database};

pub(crate) fn diff_schemas(current: &Database, desired: &Database, steps: &mut Steps) {
    for (name, schema) in &desired.schemas {
        match current.schemas.get(name) {
            None => {
                steps.create_schemas.push(Change::CreateSchema { name: name.clone(), comment: schema.comment.clone() })
            }
            Some(existing) if existing.comment != schema.comment => steps.comments.push(Change::SetComment {
                target: CommentTarget::Schema { name: name.clone() },
                comment: schema.comment.clone(),
            }),
            Some(_) => {}
        }
    }
    for name in current.schemas.keys().filter(|name| !desired.schemas.contains_key(*name)) {
        steps.drop_schemas.push(Change::DropSchema { name: name.clone() });
    }
}

pub(crate) fn diff_extensions(current: &Database, desired: &Database, steps: &mut Steps) {
    for (name, extension) in &desired.extensions {
        match current.extensions.get(name) {
            None => steps.extensions.push(Change::CreateExtension { extension: extension.clone() }),
            Some(existing) if existing.schema != extension.schema => steps
                .extensions
                .push(Change::SetExtensionSchema { name: name.clone(), schema: extension.schema.clone() }),
            Some(_) => {}
        }
    }
    for name in current.extensions.keys().filter(|name| !desired.extensions.contains_key(*name)) {
        steps.drop_extensions.push(Change::DropExtension { name: name.clone() });
    }
}

/// SQLite's header values that the desired schema sets; one it does not set is the application's to keep.
pub(crate) fn diff_header_values(current: &Database, desired: &Database, steps: &mut Steps) {
    for (&header, &value) in &desired.sqlite_header {
        if current.sqlite_header.get(&header) != Some(&value) {
            steps.header_values.push(Change::SetHeaderValue { header, value });
        }
    }
}
