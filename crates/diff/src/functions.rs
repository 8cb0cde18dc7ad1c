//! Functions and procedures. A function is identified by its signature (`name(input types)`), so a changed
//! signature is simply another function: the new one is created, the old one dropped at the end. Under the
//! same signature, `CREATE OR REPLACE` applies when PostgreSQL accepts it (same kind, return type, argument
//! names and modes, no default removed); otherwise the function is dropped and created again, and the
//! triggers and views that use it are re-created around it.
//!
//! Functions are created before tables because defaults and checks may call them, except those whose
//! signature or SQL-language body names a table or view this diff creates: PostgreSQL resolves those at
//! creation, so they wait until the tables exist. Aggregates come after every function, as they name their
//! support functions.

use crate::catalog::Catalog;
use crate::impact::Impact;
use crate::mentions::mentions;
use crate::steps::Steps;
use driftless_model::{Aggregate, Change, CommentTarget, Function, FunctionKind};

pub(crate) fn diff_functions(current: &Catalog, desired: &Catalog, impact: &mut Impact, steps: &mut Steps) {
    let new_relations: Vec<&str> = desired
        .tables
        .keys()
        .filter(|name| !current.tables.contains_key(*name))
        .chain(desired.views.keys().filter(|name| !current.views.contains_key(*name)))
        .map(|name| name.name.as_str())
        .collect();
    for (key, wanted) in &desired.functions {
        let bucket = if matches!(wanted.kind, FunctionKind::Aggregate(_)) {
            &mut steps.aggregates
        } else if uses_any_relation(wanted, &new_relations) {
            &mut steps.table_dependent_functions
        } else {
            &mut steps.functions
        };
        let Some(existing) = current.functions.get(key) else {
            bucket.push(Change::CreateFunction { function: (*wanted).clone() });
            continue;
        };
        if without_comment(existing) != without_comment(wanted) {
            if can_replace(existing, wanted) {
                bucket.push(Change::ReplaceFunction { from: (*existing).clone(), to: (*wanted).clone() });
            } else {
                impact.vanishing_functions.insert(existing.name.clone());
                bucket.push(Change::DropFunction { function: (*existing).clone() });
                bucket.push(Change::CreateFunction { function: (*wanted).clone() });
                continue;
            }
        }
        if existing.comment != wanted.comment {
            steps
                .comments
                .push(Change::SetComment { target: CommentTarget::function(wanted), comment: wanted.comment.clone() });
        }
    }
    let mut dropped: Vec<&Function> = Vec::new();
    for (key, existing) in &current.functions {
        if !desired.functions.contains_key(key) {
            impact.vanishing_functions.insert(existing.name.clone());
            dropped.push(existing);
        }
    }
    for function in dependents_first(dropped) {
        steps.drop_functions.push(Change::DropFunction { function: function.clone() });
    }
}

/// Orders functions that go away so that one whose signature, defaults or body names another is dropped
/// before it (PostgreSQL records such dependencies for `BEGIN ATOMIC` bodies and refuses the drop otherwise).
/// A cycle falls back to the catalog order for the functions left.
fn dependents_first(mut remaining: Vec<&Function>) -> Vec<&Function> {
    let uses = |user: &Function, used: &Function| {
        let supported_by = |aggregate: &Aggregate| {
            aggregate.support_functions().any(|function| function.rsplit('.').next() == Some(&used.name.name))
        };
        user.name != used.name
            && (matches!(&user.kind, FunctionKind::Aggregate(aggregate) if supported_by(aggregate))
                || mentions(&user.body, &used.name.name)
                || mentions(&user.returns, &used.name.name)
                || user
                    .args
                    .iter()
                    .any(|arg| arg.default.as_ref().is_some_and(|d| mentions(&d.canonical, &used.name.name))))
    };
    let mut ordered = Vec::with_capacity(remaining.len());
    while !remaining.is_empty() {
        let free =
            remaining.iter().position(|candidate| !remaining.iter().any(|other| uses(other, candidate))).unwrap_or(0);
        ordered.push(remaining.remove(free));
    }
    ordered
}

fn without_comment(function: &Function) -> Function {
    Function { comment: None, ..function.clone() }
}

/// Whether `CREATE OR REPLACE` can turn `from` into `to`: PostgreSQL refuses to change the kind, the return
/// type (OUT arguments included; an aggregate's is its final function's or else its state type), an
/// argument's name or mode, or to remove a default.
fn can_replace(from: &Function, to: &Function) -> bool {
    let same_kind = match (&from.kind, &to.kind) {
        (FunctionKind::Aggregate(old), FunctionKind::Aggregate(new)) => {
            old.final_function == new.final_function
                && (old.final_function.is_some() || old.state_type == new.state_type)
        }
        (old, new) => old == new,
    };
    same_kind
        && from.returns == to.returns
        && from.args.len() == to.args.len()
        && from.args.iter().zip(&to.args).all(|(old, new)| {
            old.name == new.name
                && old.mode == new.mode
                && old.data_type == new.data_type
                && (old.default.is_none() || new.default.is_some())
        })
}

fn uses_any_relation(function: &Function, relations: &[&str]) -> bool {
    let body_is_checked = function.language.eq_ignore_ascii_case("sql");
    relations.iter().any(|relation| {
        mentions(&function.returns, relation)
            || function.args.iter().any(|arg| mentions(&arg.data_type, relation))
            || (body_is_checked && mentions(&function.body, relation))
    })
}
