//! Views and materialized views. A changed view is dropped and created again (never `CREATE OR REPLACE`,
//! which only allows appending columns). Without the catalog's dependency records, dependencies are read
//! from the canonical query text (see `mentions`):
//!
//! - a view depends on a column when its query mentions both the column's table and the column; a view over
//!   a column whose type changes or which disappears is dropped first and created again after;
//! - a view that mentions a dropped table, or a function or type that is dropped or re-created, likewise;
//! - a view depends on another view when its query mentions that view's name: re-creating a view re-creates
//!   its dependents, drops run dependents first and creates run in reference order (ties by name).

use crate::catalog::Catalog;
use crate::impact::Impact;
use crate::mentions::mentions;
use crate::steps::Steps;
use crate::tables::{Disturbed, diff_indexes, diff_triggers};
use driftless_model::{Change, CommentTarget, QualifiedName, View};
use std::collections::{BTreeMap, BTreeSet};

pub(crate) fn diff_views(current: &Catalog, desired: &Catalog, impact: &mut Impact, steps: &mut Steps) {
    let mut recreated: BTreeSet<QualifiedName> = current
        .views
        .iter()
        .filter(|(name, view)| {
            desired.views.get(*name).is_some_and(|wanted| {
                wanted.query != view.query
                    || wanted.materialized != view.materialized
                    || wanted.options != view.options
                    || is_disturbed(view, impact)
            })
        })
        .map(|(name, _)| name.clone())
        .collect();
    let dropped: BTreeSet<QualifiedName> =
        current.views.keys().filter(|name| !desired.views.contains_key(*name)).cloned().collect();

    // Whatever reads a view that goes away must go away first, and come back after.
    loop {
        let before = recreated.len();
        let gone: Vec<&str> = recreated.iter().chain(&dropped).map(|name| name.name.as_str()).collect();
        let dependents: Vec<QualifiedName> = current
            .views
            .iter()
            .filter(|(name, view)| {
                desired.views.contains_key(*name)
                    && !recreated.contains(*name)
                    && gone.iter().any(|gone| mentions(&view.query.canonical, gone))
            })
            .map(|(name, _)| name.clone())
            .collect();
        recreated.extend(dependents);
        if recreated.len() == before {
            break;
        }
    }

    let to_drop: BTreeMap<&QualifiedName, &View> = current
        .views
        .iter()
        .filter(|(name, _)| recreated.contains(*name) || dropped.contains(*name))
        .map(|(name, view)| (name, *view))
        .collect();
    for view in dependency_order(&to_drop).into_iter().rev() {
        steps.drop_views.push(Change::DropView { name: view.name.clone(), materialized: view.materialized });
    }

    let to_create: BTreeMap<&QualifiedName, &View> = desired
        .views
        .iter()
        .filter(|(name, _)| recreated.contains(*name) || !current.views.contains_key(*name))
        .map(|(name, view)| (name, *view))
        .collect();
    for view in dependency_order(&to_create) {
        let mut created = view.clone();
        created.indexes.clear();
        created.triggers.clear();
        steps.create_views.push(Change::CreateView { view: created });
        for index in view.indexes.values() {
            steps.create_views.push(Change::CreateIndex { table: view.name.clone(), index: index.clone() });
        }
        // a dropped view takes its triggers along
        for trigger in view.triggers.values() {
            steps.create_triggers.push(Change::CreateTrigger { table: view.name.clone(), trigger: trigger.clone() });
        }
    }

    for (name, wanted) in &desired.views {
        let Some(existing) = current.views.get(name).filter(|_| !recreated.contains(name)) else {
            continue;
        };
        diff_indexes(name, &existing.indexes, &wanted.indexes, Disturbed::default(), impact, steps);
        diff_triggers(name, &existing.triggers, &wanted.triggers, impact, steps);
        if existing.comment != wanted.comment {
            steps.comments.push(Change::SetComment {
                target: CommentTarget::View { name: name.clone(), materialized: wanted.materialized },
                comment: wanted.comment.clone(),
            });
        }
    }
}

fn is_disturbed(view: &View, impact: &Impact) -> bool {
    let query = &view.query.canonical;
    impact.disturbed_columns().any(|(table, column)| mentions(query, &table.name) && mentions(query, column))
        || impact.dropped_tables.iter().any(|table| mentions(query, &table.name))
        || impact.vanishing_functions.iter().any(|function| mentions(query, &function.name))
        || impact.vanishing_types.iter().any(|type_name| mentions(query, &type_name.name))
}

/// The views ordered so that each comes after the views its query mentions; ties (and any cycle the text
/// heuristic might invent) are broken by name.
fn dependency_order<'a>(views: &BTreeMap<&QualifiedName, &'a View>) -> Vec<&'a View> {
    let depends_on =
        |view: &View, other: &View| view.name != other.name && mentions(&view.query.canonical, &other.name.name);
    let mut remaining: Vec<&View> = views.values().copied().collect();
    let mut ordered = Vec::with_capacity(remaining.len());
    while !remaining.is_empty() {
        let ready =
            remaining.iter().position(|view| !remaining.iter().any(|other| depends_on(view, other))).unwrap_or(0);
        ordered.push(remaining.remove(ready));
    }
    ordered
}
