//! Tables and what hangs on them: columns, keys, checks, indexes, foreign keys, triggers and policies. A changed
//! constraint, index or trigger is dropped and created again; so is one that a column change would break
//! (an index or check over a column that is dropped and re-added, a foreign key over a column whose type
//! changes or towards a key that is dropped, a trigger whose function is re-created or whose `WHEN`/`UPDATE
//! OF` names a column whose type changes).

use crate::catalog::Catalog;
use crate::columns::{ColumnPlan, plan_column};
use crate::impact::{ColumnRef, Impact, key_of};
use crate::mentions::mentions;
use crate::steps::Steps;
use driftless_model::{
    Change, Check, ColumnChange, CommentTarget, Commented, CompactString, Expr, ForeignKey, Index, IndexKey, IndexPart,
    NameMap, Policy, QualifiedName, Table, Trigger, TriggerAction, TriggerEvent,
};
use std::borrow::Cow;
use std::collections::BTreeSet;

pub(crate) fn diff_tables(
    current: &Catalog,
    desired: &Catalog,
    enum_converted: &BTreeSet<ColumnRef>,
    impact: &mut Impact,
    steps: &mut Steps,
) {
    drop_tables(current, desired, impact, steps);
    let mut created: Vec<(&QualifiedName, &Table)> = desired
        .tables
        .iter()
        .filter(|(name, _)| !kept_in_place(current, desired, name))
        .map(|(n, t)| (n, *t))
        .collect();
    // a partition is created after its parent (and a sub-partition after its own)
    created.sort_by_key(|(name, _)| partition_depth(desired, name));
    for (name, table) in created {
        create_table(name, table, steps);
    }
    let kept: Vec<(&QualifiedName, &Table, &Table)> = current
        .tables
        .iter()
        .filter(|(name, _)| kept_in_place(current, desired, name))
        .filter_map(|(name, from)| desired.tables.get(name).map(|to| (name, *from, *to)))
        .collect();
    for (name, from, to) in &kept {
        diff_partitioning(name, from, to, steps);
    }
    // Columns first: the constraint, foreign key and trigger rules below consult what they do.
    for (name, from, to) in &kept {
        // a partition's columns are its parent's: PostgreSQL checks that they match when it is attached
        if to.partition_of.is_some() {
            continue;
        }
        match from.partition_of.as_ref().and_then(|of| current.tables.get(&of.parent)) {
            // a detached partition keeps the columns it had from its parent
            Some(parent) => {
                let from = Table { columns: parent.columns.clone(), ..(*from).clone() };
                diff_columns(name, &from, to, enum_converted, impact, steps);
            }
            None => diff_columns(name, from, to, enum_converted, impact, steps),
        }
    }
    for (name, from, to) in &kept {
        if from.sqlite != to.sqlite {
            steps.columns.push(Change::SetSqliteTableOptions {
                table: (*name).clone(),
                from: from.sqlite,
                to: to.sqlite,
            });
        }
        if from.replica_identity != to.replica_identity {
            let to = to.replica_identity.clone();
            steps.replica_identities.push(Change::SetReplicaIdentity { table: (*name).clone(), to });
        }
        if from.unlogged != to.unlogged {
            steps.columns.push(Change::SetUnlogged { table: (*name).clone(), unlogged: to.unlogged });
        }
        if from.storage != to.storage {
            steps.columns.push(Change::SetStorageParameters {
                table: (*name).clone(),
                from: from.storage.clone(),
                to: to.storage.clone(),
            });
        }
        diff_keys_checks_and_indexes(name, from, to, impact, steps);
        if from.comment != to.comment {
            steps.comments.push(Change::SetComment {
                target: CommentTarget::Table { name: (*name).clone() },
                comment: to.comment.clone(),
            });
        }
    }
    // Foreign keys and triggers last: they depend on keys and columns of every table.
    for (name, from, to) in &kept {
        diff_foreign_keys(name, from, to, impact, steps);
        diff_triggers(name, &from.triggers, &to.triggers, impact, steps);
        diff_policies(name, from, to, impact, steps);
    }
    drop_foreign_keys_of_dropped_tables_towards_dropped_keys(current, impact, steps);
}

/// A dropped table goes at the end, but a key its foreign key references may be dropped in the tear-down
/// (before it): PostgreSQL refuses to drop a key a foreign key depends on, MySQL an index one needs. Such
/// foreign keys are dropped first, in the tear-down, so the dependent goes before what it depends on.
fn drop_foreign_keys_of_dropped_tables_towards_dropped_keys(current: &Catalog, impact: &Impact, steps: &mut Steps) {
    for name in &impact.dropped_tables {
        let table = current.tables[name];
        for foreign_key in table.foreign_keys.values() {
            let towards_kept_table =
                foreign_key.ref_table != *name && !impact.dropped_tables.contains(&foreign_key.ref_table);
            let target_goes_first =
                impact.dropped_keys.contains(&key_of(&foreign_key.ref_table, &foreign_key.ref_columns))
                    || foreign_key
                        .ref_columns
                        .iter()
                        .any(|c| impact.column_is_disturbed(&(foreign_key.ref_table.clone(), c.clone())));
            if towards_kept_table && target_goes_first {
                steps
                    .drop_foreign_keys
                    .push(Change::DropForeignKey { table: name.clone(), name: foreign_key.name.clone() });
            }
        }
    }
}

/// How many parents a table has above it: 0 for a table that is not a partition.
fn partition_depth(catalog: &Catalog, name: &QualifiedName) -> usize {
    let mut depth = 0;
    let mut table = catalog.tables.get(name);
    while let Some(parent) = table.and_then(|t| t.partition_of.as_ref()) {
        depth += 1;
        // a cycle cannot be declared or inspected; the bound keeps a malformed model from looping
        if depth > catalog.tables.len() {
            break;
        }
        table = catalog.tables.get(&parent.parent);
    }
    depth
}

/// A partition that leaves its parent, or changes its bound, is detached (its rows stay); one that joins a
/// parent, or comes back with its new bound, is attached. A changed partition key has no statement: the
/// planners refuse it.
fn diff_partitioning(name: &QualifiedName, from: &Table, to: &Table, steps: &mut Steps) {
    if from.partition_key != to.partition_key {
        steps.create_tables.push(Change::ChangePartitionKey {
            table: name.clone(),
            from: from.partition_key.clone(),
            to: to.partition_key.clone(),
        });
    }
    if from.partition_of == to.partition_of {
        return;
    }
    if let Some(of) = &from.partition_of {
        steps.detach_partitions.push(Change::DetachPartition { table: name.clone(), parent: of.parent.clone() });
    }
    if let Some(of) = &to.partition_of {
        steps.attach_partitions.push(Change::AttachPartition { table: name.clone(), partition_of: of.clone() });
    }
}

/// Whether the table exists on both sides and is altered rather than dropped and created again: a SQLite
/// virtual table whose module or arguments change is built anew (no statement alters one, and what it holds
/// is derived from other tables or rebuilt by its module).
fn kept_in_place(current: &Catalog, desired: &Catalog, name: &QualifiedName) -> bool {
    match (current.tables.get(name), desired.tables.get(name)) {
        (Some(from), Some(to)) => from.virtual_table == to.virtual_table,
        _ => false,
    }
}

fn drop_tables(current: &Catalog, desired: &Catalog, impact: &mut Impact, steps: &mut Steps) {
    let claimed_relation_names = relation_names_created(current, desired);
    impact.dropped_tables.extend(current.tables.keys().filter(|name| !kept_in_place(current, desired, name)).cloned());
    let mut dropped: Vec<&QualifiedName> = impact.dropped_tables.iter().collect();
    // partitions before their parent: dropping a partitioned table drops its partitions with it
    dropped.sort_by_key(|name| std::cmp::Reverse(partition_depth(current, name)));
    for name in dropped {
        let table = current.tables[name];
        // A foreign key between two dropped tables would make one drop wait for the other (or deadlock on a
        // cycle); dropping such keys first lets the tables go in any order.
        for foreign_key in table.foreign_keys.values() {
            if foreign_key.ref_table != *name && impact.dropped_tables.contains(&foreign_key.ref_table) {
                steps
                    .drop_foreign_keys
                    .push(Change::DropForeignKey { table: name.clone(), name: foreign_key.name.clone() });
            }
        }
        let drop = Change::DropTable { name: name.clone() };
        // Tables, views, sequences and indexes share one namespace per schema; a new one cannot be created
        // under a name the old table still holds, and every dependent is gone by the end of the tear-down.
        let recreated = desired.tables.contains_key(name);
        if recreated
            || relation_names(table).any(|relation| claimed_relation_names.contains(&(name.schema.as_str(), relation)))
        {
            steps.drop_tables_freeing_names.push(drop);
        } else {
            steps.drop_tables.push(drop);
        }
    }
}

/// The names a table holds in its schema's relation namespace: its own and its indexes' (constraint-backing
/// ones included).
fn relation_names(table: &Table) -> impl Iterator<Item = &str> {
    std::iter::once(table.name.name.as_str())
        .chain(table.primary_key.iter().map(|key| key.name.as_str()))
        .chain(table.uniques.keys().map(String::as_str))
        .chain(table.exclusions.keys().map(String::as_str))
        .chain(table.indexes.keys().map(String::as_str))
}

/// Relation names, by schema, that objects this diff creates will take.
fn relation_names_created<'a>(current: &Catalog, desired: &'a Catalog) -> BTreeSet<(&'a str, &'a str)> {
    let mut names = BTreeSet::new();
    for (name, table) in &desired.tables {
        let existing = current.tables.get(name);
        for relation in relation_names(table) {
            let held_already = existing.is_some_and(|existing| relation_names(existing).any(|r| r == relation));
            if !held_already {
                names.insert((name.schema.as_str(), relation));
            }
        }
    }
    for (name, view) in &desired.views {
        if !current.views.contains_key(name) {
            names.insert((name.schema.as_str(), name.name.as_str()));
        }
        names.extend(view.indexes.keys().map(|index| (name.schema.as_str(), index.as_str())));
    }
    for name in desired.sequences.keys().filter(|name| !current.sequences.contains_key(*name)) {
        names.insert((name.schema.as_str(), name.name.as_str()));
    }
    names
}

fn create_table(name: &QualifiedName, table: &Table, steps: &mut Steps) {
    // its foreign keys, indexes and triggers are steps of their own, and the server names its NOT NULL
    // constraints (destructured so that a new field is decided on here)
    let Table {
        name: _,
        columns,
        primary_key,
        uniques,
        foreign_keys,
        checks,
        exclusions,
        indexes,
        triggers,
        // created after it, with row security (`diff_policies`)
        policies: _,
        row_security: _,
        storage,
        unlogged,
        replica_identity,
        comment,
        mysql,
        not_null_names: _,
        partition_key,
        partition_of,
        virtual_table,
        sqlite,
    } = table;
    // PostgreSQL validates every check of CREATE TABLE: a NOT VALID one is added after it
    let (not_valid_checks, checks): (NameMap<Check>, NameMap<Check>) =
        checks.values().cloned().partition(|check| check.not_valid);
    let created = Table {
        name: name.clone(),
        columns: columns.clone(),
        partition_key: partition_key.clone(),
        partition_of: partition_of.clone(),
        primary_key: primary_key.clone(),
        uniques: uniques.clone(),
        checks,
        exclusions: exclusions.clone(),
        comment: comment.clone(),
        mysql: mysql.clone(),
        virtual_table: virtual_table.clone(),
        storage: storage.clone(),
        unlogged: *unlogged,
        sqlite: *sqlite,
        ..Table::default()
    };
    steps.create_tables.push(Change::CreateTable { table: created });
    for check in not_valid_checks.into_values() {
        steps.add_constraints.push(Change::AddCheck { table: name.clone(), check });
    }
    for foreign_key in foreign_keys.values() {
        steps.add_foreign_keys.push(Change::AddForeignKey { table: name.clone(), foreign_key: foreign_key.clone() });
    }
    for index in indexes.values() {
        steps.create_indexes.push(Change::CreateIndex { table: name.clone(), index: index.clone() });
    }
    for trigger in triggers.values() {
        steps.create_triggers.push(Change::CreateTrigger { table: name.clone(), trigger: trigger.clone() });
    }
    if !replica_identity.is_default() {
        steps.replica_identities.push(Change::SetReplicaIdentity { table: name.clone(), to: replica_identity.clone() });
    }
    diff_policies(name, &Table::default(), table, &Impact::default(), steps);
}

/// Policies are dropped and created again when they change (or a column they read is disturbed), then row
/// security is switched, so that a table never has it on without the policies it is given.
fn diff_policies(name: &QualifiedName, from: &Table, to: &Table, impact: &Impact, steps: &mut Steps) {
    let disturbed = |policy: &Policy| {
        impact.disturbed_columns().filter(|(table, _)| table == name).any(|(_, column)| {
            [&policy.using, &policy.with_check].into_iter().flatten().any(|e| mentions(&e.canonical, column))
        })
    };
    for (policy_name, policy) in &from.policies {
        let wanted = to.policies.get(policy_name);
        let target = || CommentTarget::Policy { table: name.clone(), name: policy_name.clone() };
        if recreated_or_recommented(policy, wanted, disturbed(policy), target, steps) {
            steps.drop_policies.push(Change::DropPolicy { table: name.clone(), name: policy_name.clone() });
            if let Some(wanted) = wanted {
                steps.policies.push(Change::CreatePolicy { table: name.clone(), policy: wanted.clone() });
            }
        }
    }
    for (policy_name, policy) in &to.policies {
        if !from.policies.contains_key(policy_name) {
            steps.policies.push(Change::CreatePolicy { table: name.clone(), policy: policy.clone() });
        }
    }
    if from.row_security != to.row_security {
        steps.policies.push(Change::SetRowSecurity {
            table: name.clone(),
            from: from.row_security,
            to: to.row_security,
        });
    }
}

fn diff_columns(
    name: &QualifiedName,
    from: &Table,
    to: &Table,
    enum_converted: &BTreeSet<ColumnRef>,
    impact: &mut Impact,
    steps: &mut Steps,
) {
    for column in &to.columns {
        let column_ref = (name.clone(), column.name.clone());
        let Some(existing) = from.column(&column.name) else {
            steps.columns.push(Change::AddColumn { table: name.clone(), column: column.clone() });
            continue;
        };
        match plan_column(existing, column, enum_converted.contains(&column_ref)) {
            Some(ColumnPlan::Recreate) => {
                impact.removed_columns.insert(column_ref.clone());
                impact.recreated_columns.insert(column_ref);
                steps.columns.push(Change::DropColumn { table: name.clone(), column: column.name.to_string() });
                steps.columns.push(Change::AddColumn { table: name.clone(), column: column.clone() });
                continue;
            }
            Some(ColumnPlan::Alter(changes)) => {
                let retypes = changes
                    .iter()
                    .any(|change| matches!(change, ColumnChange::Type { .. } | ColumnChange::Collation { .. }));
                if retypes {
                    impact.retyped_columns.insert(column_ref);
                }
                steps.columns.push(Change::AlterColumn {
                    table: name.clone(),
                    from: existing.clone(),
                    to: column.clone(),
                    changes,
                });
            }
            None => {}
        }
        if existing.comment != column.comment {
            steps.comments.push(Change::SetComment {
                target: CommentTarget::Column { table: name.clone(), column: column.name.to_string() },
                comment: column.comment.as_deref().map(Into::into),
            });
        }
    }
    for column in &from.columns {
        if to.column(&column.name).is_none() {
            impact.removed_columns.insert((name.clone(), column.name.clone()));
            steps.drop_columns.push(Change::DropColumn { table: name.clone(), column: column.name.to_string() });
        }
    }
}

fn diff_keys_checks_and_indexes(
    name: &QualifiedName,
    from: &Table,
    to: &Table,
    impact: &mut Impact,
    steps: &mut Steps,
) {
    let of_table = |columns: &BTreeSet<ColumnRef>| -> Vec<CompactString> {
        columns.iter().filter(|(table, _)| table == name).map(|(_, column)| column.clone()).collect()
    };
    let recreated = of_table(&impact.recreated_columns);
    // PostgreSQL keeps an expression over a retyped column as it was parsed for the old type (`c::double
    // precision <> -1` after real → bigint): such checks and index expressions are created anew, as a fresh
    // database would parse them
    let reparsed: Vec<CompactString> = recreated.iter().cloned().chain(of_table(&impact.retyped_columns)).collect();
    let covers_recreated = |columns: &[CompactString]| columns.iter().any(|c| recreated.contains(c));
    let mentions_reparsed = |sql: &str| reparsed.iter().any(|column| mentions(sql, column));

    let constraint =
        |constraint_name: &str| CommentTarget::Constraint { table: name.clone(), name: constraint_name.into() };
    let primary_key_changes = match (&from.primary_key, &to.primary_key) {
        (Some(key), wanted) => {
            let broken = covers_recreated(&key.columns);
            recreated_or_recommented(key, wanted.as_ref(), broken, || constraint(&key.name), steps)
        }
        (None, wanted) => wanted.is_some(),
    };
    if primary_key_changes {
        if let Some(key) = &from.primary_key {
            impact.dropped_keys.insert(key_of(name, &key.columns));
            steps.drop_constraints.push(Change::DropPrimaryKey { table: name.clone(), name: key.name.clone() });
        }
        if let Some(key) = &to.primary_key {
            steps.add_constraints.push(Change::AddPrimaryKey { table: name.clone(), key: key.clone() });
        }
    }

    for (unique_name, unique) in &from.uniques {
        let wanted = to.uniques.get(unique_name);
        let broken = covers_recreated(&unique.columns);
        if recreated_or_recommented(unique, wanted, broken, || constraint(unique_name), steps) {
            impact.dropped_keys.insert(key_of(name, &unique.columns));
            steps.drop_constraints.push(Change::DropUnique { table: name.clone(), name: unique_name.clone() });
            if let Some(wanted) = wanted {
                steps.add_constraints.push(Change::AddUnique { table: name.clone(), unique: wanted.clone() });
            }
        }
    }
    for (unique_name, unique) in &to.uniques {
        if !from.uniques.contains_key(unique_name) {
            steps.add_constraints.push(Change::AddUnique { table: name.clone(), unique: unique.clone() });
        }
    }

    for (check_name, check) in &from.checks {
        let wanted = to.checks.get(check_name);
        let reparsed = mentions_reparsed(&check.expr.canonical);
        let check = validated_if_wanted(check, wanted, reparsed, || {
            steps.add_constraints.push(Change::ValidateConstraint { table: name.clone(), name: check_name.clone() })
        });
        if recreated_or_recommented(&*check, wanted, reparsed, || constraint(check_name), steps) {
            steps.drop_constraints.push(Change::DropCheck { table: name.clone(), name: check_name.clone() });
            if let Some(wanted) = wanted {
                steps.add_constraints.push(Change::AddCheck { table: name.clone(), check: wanted.clone() });
            }
        }
    }
    for (check_name, check) in &to.checks {
        if !from.checks.contains_key(check_name) {
            steps.add_constraints.push(Change::AddCheck { table: name.clone(), check: check.clone() });
        }
    }

    let columns = Disturbed { recreated: &recreated, reparsed: &reparsed };
    for (exclusion_name, exclusion) in &from.exclusions {
        let wanted = to.exclusions.get(exclusion_name);
        let parts = exclusion.elements.iter().map(|element| &element.part);
        let disturbed = keys_use_any(parts, &exclusion.include, exclusion.predicate.as_ref(), columns);
        if recreated_or_recommented(exclusion, wanted, disturbed, || constraint(exclusion_name), steps) {
            steps.drop_constraints.push(Change::DropExclusion { table: name.clone(), name: exclusion_name.clone() });
            if let Some(wanted) = wanted {
                steps.add_constraints.push(Change::AddExclusion { table: name.clone(), exclusion: wanted.clone() });
            }
        }
    }
    for (exclusion_name, exclusion) in &to.exclusions {
        if !from.exclusions.contains_key(exclusion_name) {
            steps.add_constraints.push(Change::AddExclusion { table: name.clone(), exclusion: exclusion.clone() });
        }
    }

    diff_indexes(name, &from.indexes, &to.indexes, columns, impact, steps);
}

/// The columns of a table whose indexes must be created anew: recreated ones for any use, retyped ones
/// where an expression mentions them.
#[derive(Clone, Copy, Default)]
pub(crate) struct Disturbed<'a> {
    pub recreated: &'a [CompactString],
    pub reparsed: &'a [CompactString],
}

/// Diffs the indexes of a table or a materialized view; new indexes go to `create_indexes`.
pub(crate) fn diff_indexes(
    table: &QualifiedName,
    from: &NameMap<Index>,
    to: &NameMap<Index>,
    columns: Disturbed,
    impact: &mut Impact,
    steps: &mut Steps,
) {
    for (index_name, index) in from {
        let wanted = to.get(index_name);
        let target = || CommentTarget::Index { schema: table.schema.clone(), name: index_name.clone() };
        if recreated_or_recommented(index, wanted, index_uses_any(index, columns), target, steps) {
            if index.unique
                && index.predicate.is_none()
                && let Some(columns) = index.column_keys()
            {
                impact.dropped_keys.insert(key_of(table, &columns));
            }
            steps.drop_indexes.push(Change::DropIndex { table: table.clone(), name: index_name.clone() });
            if let Some(wanted) = wanted {
                steps.create_indexes.push(Change::CreateIndex { table: table.clone(), index: wanted.clone() });
            }
        }
    }
    for (index_name, index) in to {
        if !from.contains_key(index_name) {
            steps.create_indexes.push(Change::CreateIndex { table: table.clone(), index: index.clone() });
        }
    }
}

/// Constraints that can be `NOT VALID`: enforced on new rows, the existing ones not verified yet.
trait Validatable: Commented + PartialEq {
    fn not_valid(&self) -> bool;

    fn validated(&self) -> Self;
}

impl Validatable for Check {
    fn not_valid(&self) -> bool {
        self.not_valid
    }

    fn validated(&self) -> Self {
        Check { not_valid: false, ..self.clone() }
    }
}

impl Validatable for ForeignKey {
    fn not_valid(&self) -> bool {
        self.not_valid
    }

    fn validated(&self) -> Self {
        ForeignKey { not_valid: false, ..self.clone() }
    }
}

/// A `NOT VALID` constraint wanted valid and otherwise the same is validated in place (`validate`: it checks
/// the rows as adding it would, without a moment unchecked), and is compared as valid from then on. One
/// wanted `NOT VALID` that is valid now is created anew: PostgreSQL cannot unvalidate a constraint.
fn validated_if_wanted<'a, T: Validatable>(
    current: &'a T,
    wanted: Option<&T>,
    disturbed: bool,
    validate: impl FnOnce(),
) -> Cow<'a, T> {
    if !current.not_valid() || disturbed {
        return Cow::Borrowed(current);
    }
    let validated = current.validated();
    if wanted.is_some_and(|wanted| wanted.without_comment() == validated.without_comment()) {
        validate();
        Cow::Owned(validated)
    } else {
        Cow::Borrowed(current)
    }
}

/// Whether an object of the current side must be created anew: it goes, it changes apart from its comment, or
/// a change around it disturbs it. Otherwise a changed comment becomes a comment change (a new object is
/// created with its comment).
fn recreated_or_recommented<T: Commented + PartialEq>(
    current: &T,
    wanted: Option<&T>,
    disturbed: bool,
    target: impl FnOnce() -> CommentTarget,
    steps: &mut Steps,
) -> bool {
    let Some(wanted) = wanted else { return true };
    if disturbed {
        return true;
    }
    // the common case, compared without copying either side
    if wanted == current {
        return false;
    }
    if wanted.without_comment() != current.without_comment() {
        return true;
    }
    if wanted.comment() != current.comment() {
        steps.comments.push(Change::SetComment { target: target(), comment: wanted.comment().clone() });
    }
    false
}

fn index_uses_any(index: &Index, columns: Disturbed) -> bool {
    keys_use_any(index.parts.iter(), &index.include, index.predicate.as_ref(), columns)
}

/// Whether the keys of an index (or of the index behind a constraint) use a disturbed column.
fn keys_use_any<'a>(
    parts: impl Iterator<Item = &'a IndexPart> + Clone,
    include: &[CompactString],
    predicate: Option<&Expr>,
    columns: Disturbed,
) -> bool {
    let in_expressions = |column: &CompactString| {
        predicate.is_some_and(|predicate| mentions(&predicate.canonical, column))
            || parts
                .clone()
                .any(|part| matches!(&part.key, IndexKey::Expression(expr) if mentions(&expr.canonical, column)))
    };
    let as_column = |column: &CompactString| {
        include.iter().any(|included| included == column)
            || parts.clone().any(|part| matches!(&part.key, IndexKey::Column(name) if name == column))
    };
    columns.recreated.iter().any(as_column) || columns.reparsed.iter().any(in_expressions)
}

fn diff_foreign_keys(name: &QualifiedName, from: &Table, to: &Table, impact: &Impact, steps: &mut Steps) {
    let disturbed = |foreign_key: &ForeignKey| {
        foreign_key.columns.iter().any(|c| impact.column_is_disturbed(&(name.clone(), c.clone())))
            || foreign_key
                .ref_columns
                .iter()
                .any(|c| impact.column_is_disturbed(&(foreign_key.ref_table.clone(), c.clone())))
            || impact.dropped_keys.contains(&key_of(&foreign_key.ref_table, &foreign_key.ref_columns))
    };
    for (key_name, foreign_key) in &from.foreign_keys {
        let wanted = to.foreign_keys.get(key_name);
        let target = || CommentTarget::Constraint { table: name.clone(), name: key_name.clone() };
        let disturbed = disturbed(foreign_key);
        let validate =
            || steps.add_foreign_keys.push(Change::ValidateConstraint { table: name.clone(), name: key_name.clone() });
        let foreign_key = validated_if_wanted(foreign_key, wanted, disturbed, validate);
        if recreated_or_recommented(&*foreign_key, wanted, disturbed, target, steps) {
            steps.drop_foreign_keys.push(Change::DropForeignKey { table: name.clone(), name: key_name.clone() });
            if let Some(wanted) = wanted {
                steps.add_foreign_keys.push(Change::AddForeignKey { table: name.clone(), foreign_key: wanted.clone() });
            }
        }
    }
    for (key_name, foreign_key) in &to.foreign_keys {
        if !from.foreign_keys.contains_key(key_name) {
            steps
                .add_foreign_keys
                .push(Change::AddForeignKey { table: name.clone(), foreign_key: foreign_key.clone() });
        }
    }
}

/// The triggers of a table (or of a SQLite view) that change, or that a column change disturbs.
pub(crate) fn diff_triggers(
    name: &QualifiedName,
    from: &NameMap<Trigger>,
    to: &NameMap<Trigger>,
    impact: &Impact,
    steps: &mut Steps,
) {
    let disturbed = |trigger: &Trigger| {
        trigger.function().is_some_and(|function| impact.vanishing_functions.contains(function))
            || impact.disturbed_columns().filter(|(table, _)| table == name).any(|(_, column)| {
                trigger.when.as_ref().is_some_and(|when| mentions(&when.canonical, column))
                    || matches!(&trigger.action, TriggerAction::Body { body } if mentions(&body.canonical, column))
                    || trigger.events.iter().any(|event| match event {
                        TriggerEvent::Update { columns } => columns.contains(column),
                        _ => false,
                    })
            })
    };
    for (trigger_name, trigger) in from {
        let wanted = to.get(trigger_name);
        let target = || CommentTarget::Trigger { table: name.clone(), name: trigger_name.clone() };
        if recreated_or_recommented(trigger, wanted, disturbed(trigger), target, steps) {
            steps.drop_triggers.push(Change::DropTrigger { table: name.clone(), name: trigger_name.clone() });
            if let Some(wanted) = wanted {
                steps.create_triggers.push(Change::CreateTrigger { table: name.clone(), trigger: wanted.clone() });
            }
        }
    }
    for (trigger_name, trigger) in to {
        if !from.contains_key(trigger_name) {
            steps.create_triggers.push(Change::CreateTrigger { table: name.clone(), trigger: trigger.clone() });
        }
    }
}
