//! MySQL and MariaDB rendering. Names are backquoted only when needed and always qualified with their
//! database. A column changes by `MODIFY COLUMN` with its whole new definition (MySQL has no per-attribute
//! `ALTER COLUMN` for types, nullability or comments); indexes and constraints by `ALTER TABLE ... ADD/DROP`.
//! A table the plan creates gets its indexes inside `CREATE TABLE` (so InnoDB never invents an index for a
//! foreign key added later). DDL is not transactional in MySQL: every statement runs on its own.

use crate::{Plan, PlanError, Statement};
use driftless_model::mysql::{charset_of, quote_ident, quote_literal};
use driftless_model::{
    Change, Check, Column, CommentTarget, CompactString, Database, Dialect, ForeignKey, Index, IndexKey, PrimaryKey,
    QualifiedName, Table, Trigger, TriggerAction, TriggerEvent, TriggerTiming, relations_created,
};
use std::collections::{BTreeMap, BTreeSet};

/// Renders the changes that lead from `current` as MySQL/MariaDB statements, each run on its own.
pub fn plan(changes: Vec<Change>, current: &Database) -> Result<Plan, PlanError> {
    let statements = render(&changes, current)?;
    Ok(Plan::new(changes, statements))
}

/// Every change's statements, as `(change index, statement)`, in plan order.
///
/// A check named after a column is MariaDB's column-level check: it belongs to the column's definition, so
/// every `MODIFY COLUMN` of that column repeats it (a `MODIFY` without it drops it), it is added and dropped
/// by modifying the column, and it goes away with its column.
fn render(changes: &[Change], current: &Database) -> Result<Vec<(usize, Statement)>, PlanError> {
    let created = relations_created(changes);
    let mut new_indexes: BTreeMap<&QualifiedName, Vec<&Index>> = BTreeMap::new();
    // columns the plan adds or modifies, as it leaves them
    let mut planned_columns: BTreeMap<(&QualifiedName, &str), &Column> = BTreeMap::new();
    let mut dropped_columns: BTreeSet<(&QualifiedName, &str)> = BTreeSet::new();
    let mut added_checks: BTreeMap<(&QualifiedName, &str), &Check> = BTreeMap::new();
    let mut dropped_checks: BTreeSet<(&QualifiedName, &str)> = BTreeSet::new();
    let mut new_primary_keys: BTreeSet<&QualifiedName> = BTreeSet::new();
    let mut dropped_indexes: BTreeSet<(&QualifiedName, &str)> = BTreeSet::new();
    let mut dropped_foreign_keys: BTreeSet<(&QualifiedName, &str)> = BTreeSet::new();
    for change in changes {
        match change {
            Change::DropIndex { table, name } => {
                dropped_indexes.insert((table, name.as_str()));
            }
            Change::DropForeignKey { table, name } => {
                dropped_foreign_keys.insert((table, name.as_str()));
            }
            Change::AddPrimaryKey { table, .. } => {
                new_primary_keys.insert(table);
            }
            Change::CreateIndex { table, index } if created.contains(table) => {
                new_indexes.entry(table).or_default().push(index);
            }
            Change::AlterColumn { table, to, .. } => {
                planned_columns.insert((table, to.name.as_str()), to);
            }
            Change::AddColumn { table, column } => {
                planned_columns.insert((table, column.name.as_str()), column);
            }
            Change::DropColumn { table, column } => {
                dropped_columns.insert((table, column.as_str()));
            }
            Change::AddCheck { table, check } => {
                added_checks.insert((table, check.name.as_str()), check);
            }
            Change::DropCheck { table, name } => {
                dropped_checks.insert((table, name.as_str()));
            }
            _ => {}
        }
    }
    let existing_column = |table: &QualifiedName, column: &str| current.table(table).and_then(|t| t.column(column));
    // the column-level check a column keeps or gets
    let column_check = |table: &QualifiedName, column: &str| {
        added_checks.get(&(table, column)).copied().or_else(|| {
            let kept = !dropped_checks.contains(&(table, column));
            current.table(table).and_then(|t| t.checks.get(column)).filter(|_| kept)
        })
    };
    let modify = |table: &QualifiedName, column: &Column| {
        alter(table, format!("MODIFY COLUMN {}", with_check(column, column_check(table, &column.name))))
    };
    // MySQL wants an AUTO_INCREMENT column to be a key at every step: around a primary key that is dropped
    // or added, the column loses AUTO_INCREMENT first and gets it back once the new key exists
    let without_auto_increment = |column: &Column| Column { identity: None, ..column.clone() };
    let mut suspended: Vec<(&QualifiedName, CompactString)> = Vec::new();
    // an index a kept foreign key needs can only go once the index replacing it exists: at the end (MariaDB's
    // `IF EXISTS`)
    let mut deferred = Vec::new();
    let mut statements = Vec::new();
    for (index, change) in changes.iter().enumerate() {
        let rendered = match change {
            Change::DropIndex { table, name: dropped } => {
                let sql = alter(table, format!("DROP INDEX {}", quote_ident(dropped)));
                let needed = current.table(table).is_some_and(|t| {
                    let keys = t.indexes.get(dropped).map(leading_columns).unwrap_or_default();
                    t.foreign_keys.values().any(|fk| {
                        !dropped_foreign_keys.contains(&(table, fk.name.as_str())) && keys.starts_with(&fk.columns)
                    })
                });
                if needed {
                    // InnoDB drops an index it made for a foreign key by itself once another one serves
                    let sql = alter(table, format!("DROP INDEX IF EXISTS {}", quote_ident(dropped)));
                    deferred.push((index, Statement::alone(sql)));
                    continue;
                }
                vec![sql]
            }
            // InnoDB replaces an index it made for a foreign key when a foreign key is added over the same
            // columns; renaming the index to itself makes it the table's own, so it stays as the model has it
            // (a table the plan creates has no such index)
            Change::AddForeignKey { table, foreign_key: fk } => {
                let kept_index = current.table(table).filter(|_| !created.contains(table)).and_then(|t| {
                    t.indexes.values().find(|i| {
                        i.method == "btree"
                            && !dropped_indexes.contains(&(table, i.name.as_str()))
                            && leading_columns(i).starts_with(&fk.columns)
                    })
                });
                let keep =
                    kept_index.map(|i| format!("RENAME INDEX {0} TO {0}, ", quote_ident(&i.name))).unwrap_or_default();
                vec![alter(table, format!("{keep}ADD {}", foreign_key(fk)))]
            }
            Change::DropPrimaryKey { table, .. } => {
                let mut sql = Vec::new();
                if let Some(column) = current.table(table).and_then(|t| t.columns.iter().find(|c| c.identity.is_some()))
                {
                    sql.push(modify(table, &without_auto_increment(column)));
                    suspended.push((table, column.name.clone()));
                }
                sql.push(alter(table, "DROP PRIMARY KEY".into()));
                sql
            }
            Change::AddPrimaryKey { table, key } => {
                let mut sql = vec![alter(table, format!("ADD {}", primary_key_clause(key)))];
                for (_, name) in suspended.iter().filter(|(t, _)| *t == table) {
                    let planned = planned_columns.get(&(table, name.as_str())).copied();
                    if let Some(column) =
                        planned.or_else(|| existing_column(table, name)).filter(|c| c.identity.is_some())
                    {
                        sql.push(modify(table, column));
                    }
                }
                sql
            }
            Change::AddColumn { table, column } | Change::AlterColumn { table, to: column, .. }
                if column.identity.is_some() && new_primary_keys.contains(table) =>
            {
                suspended.push((table, column.name.clone()));
                match change {
                    Change::AddColumn { .. } => {
                        vec![alter(table, format!("ADD COLUMN {}", column_definition(&without_auto_increment(column))))]
                    }
                    _ => vec![modify(table, &without_auto_increment(column))],
                }
            }
            Change::CreateTable { table } => {
                vec![create_table(table, new_indexes.get(&table.name).map(Vec::as_slice).unwrap_or_default())]
            }
            Change::CreateIndex { table, .. } if created.contains(table) => continue,
            Change::AddColumn { table, column } => {
                vec![alter(
                    table,
                    format!(
                        "ADD COLUMN {}",
                        with_check(column, added_checks.get(&(table, column.name.as_str())).copied())
                    ),
                )]
            }
            // MariaDB cannot MODIFY a generated column into a regular one: a regular column takes its values,
            // then its place and name
            Change::AlterColumn { table, from, to, .. } if from.generated.is_some() && to.generated.is_none() => {
                let temporary = format!("{}__driftless_new", to.name);
                let column = |name: &str| quote_ident(name);
                vec![
                    alter(
                        table,
                        format!(
                            "ADD COLUMN {}",
                            column_definition(&Column {
                                name: temporary.as_str().into(),
                                nullable: true,
                                ..to.clone()
                            })
                        ),
                    ),
                    format!("UPDATE {} SET {} = {}", name(table), column(&temporary), column(&to.name)),
                    alter(table, format!("DROP COLUMN {}", column(&to.name))),
                    alter(
                        table,
                        format!(
                            "CHANGE COLUMN {} {}",
                            column(&temporary),
                            with_check(to, column_check(table, &to.name))
                        ),
                    ),
                ]
            }
            Change::AlterColumn { table, to, .. } => vec![modify(table, to)],
            Change::AddCheck { table, check: added } => {
                if planned_columns.contains_key(&(table, added.name.as_str())) {
                    continue;
                }
                match existing_column(table, &added.name) {
                    Some(column) => vec![modify(table, column)],
                    None => vec![alter(table, format!("ADD {}", check(added)))],
                }
            }
            Change::DropCheck { table, name: dropped } => {
                let column_level = existing_column(table, dropped).is_some();
                let column_changes = planned_columns.contains_key(&(table, dropped.as_str()))
                    || dropped_columns.contains(&(table, dropped.as_str()))
                    || added_checks.contains_key(&(table, dropped.as_str()));
                match (column_level, existing_column(table, dropped)) {
                    (true, _) if column_changes => continue,
                    (true, Some(column)) => vec![modify(table, column)],
                    _ => vec![alter(table, format!("DROP CONSTRAINT {}", quote_ident(dropped)))],
                }
            }
            // the column's MODIFY carries its comment
            Change::SetComment { target: CommentTarget::Column { table, column }, .. }
                if planned_columns.contains_key(&(table, column.as_str())) =>
            {
                continue;
            }
            Change::SetComment { target: CommentTarget::Column { table, column }, comment } => {
                let Some(existing) = existing_column(table, column) else { continue };
                vec![modify(table, &Column { comment: comment.as_deref().map(Into::into), ..existing.clone() })]
            }
            Change::CreateSchema { name: schema, .. } => vec![format!("CREATE DATABASE {}", quote_ident(schema))],
            Change::DropSchema { name: schema } => vec![format!("DROP DATABASE {}", quote_ident(schema))],
            Change::DropTable { name: table } => vec![format!("DROP TABLE {}", name(table))],
            Change::RenameTable { from, to } => {
                vec![format!(
                    "RENAME TABLE {} TO {}",
                    name(from),
                    name(&QualifiedName::new(from.schema.clone(), to.clone()))
                )]
            }
            Change::DropColumn { table, column } => {
                vec![alter(table, format!("DROP COLUMN {}", quote_ident(column)))]
            }
            Change::RenameColumn { table, from, to } => {
                vec![alter(table, format!("RENAME COLUMN {} TO {}", quote_ident(from), quote_ident(to)))]
            }
            Change::DropForeignKey { table, name: fk } => {
                vec![alter(table, format!("DROP FOREIGN KEY {}", quote_ident(fk)))]
            }
            Change::CreateIndex { table, index: i } => vec![alter(table, format!("ADD {}", index_clause(i)))],
            Change::RenameIndex { table, from, to } => {
                vec![alter(table, format!("RENAME INDEX {} TO {}", quote_ident(from), quote_ident(to)))]
            }
            Change::CreateView { view } if !view.materialized => {
                vec![format!("CREATE VIEW {} AS {}", name(&view.name), view.query.sql)]
            }
            Change::DropView { name: view, materialized: false } => vec![format!("DROP VIEW {}", name(view))],
            Change::CreateTrigger { table, trigger } => vec![create_trigger(table, trigger, change)?],
            Change::DropTrigger { table, name: trigger } => {
                vec![format!("DROP TRIGGER {}", name(&QualifiedName::new(&table.schema, trigger)))]
            }
            // MySQL alters no key's comment alone: the key is dropped and added again in one statement
            Change::SetComment { target: CommentTarget::Index { schema, name: index_name }, comment } => {
                let found = current.schemas.get(schema).and_then(|schema| {
                    schema.tables.values().find_map(|t| t.indexes.get(index_name).map(|index| (&t.name, index)))
                });
                let Some((table, index)) = found else { return Err(PlanError::unsupported(change, Dialect::Mysql)) };
                let index = Index { comment: comment.clone(), ..index.clone() };
                vec![alter(table, format!("DROP INDEX {}, ADD {}", quote_ident(index_name), index_clause(&index)))]
            }
            Change::SetComment { target: CommentTarget::Constraint { table, name: key_name }, comment } => {
                let key = current.table(table).and_then(|t| t.primary_key.as_ref()).filter(|key| key.name == *key_name);
                let Some(key) = key else { return Err(PlanError::unsupported(change, Dialect::Mysql)) };
                let key = PrimaryKey { comment: comment.clone(), ..key.clone() };
                vec![alter(table, format!("DROP PRIMARY KEY, ADD {}", primary_key_clause(&key)))]
            }
            Change::SetComment { target: CommentTarget::Table { name: table }, comment } => {
                vec![alter(table, format!("COMMENT = {}", quote_literal(comment.as_deref().unwrap_or_default())))]
            }
            // MySQL models hold no extensions, types, sequences, unique constraints (unique keys are indexes),
            // materialized views nor functions, and no comments but on tables and columns (parse and inspect
            // never build them); MySQL renames no constraint
            Change::CreateExtension { .. }
            | Change::DropExtension { .. }
            | Change::SetExtensionSchema { .. }
            | Change::CreateEnum { .. }
            | Change::DropEnum { .. }
            | Change::AddEnumValue { .. }
            | Change::RecreateEnum { .. }
            | Change::RenameEnum { .. }
            | Change::RenameEnumValue { .. }
            | Change::CreateDomain { .. }
            | Change::DropDomain { .. }
            | Change::SetDomainDefault { .. }
            | Change::SetDomainNotNull { .. }
            | Change::AddDomainCheck { .. }
            | Change::DropDomainCheck { .. }
            | Change::ValidateDomainCheck { .. }
            | Change::RetypeDomain { .. }
            | Change::AttachPartition { .. }
            | Change::DetachPartition { .. }
            | Change::ChangePartitionKey { .. }
            | Change::CreateSequence { .. }
            | Change::DropSequence { .. }
            | Change::AlterSequence { .. }
            | Change::SetSequenceOwner { .. }
            | Change::RenameSequence { .. }
            | Change::RenameConstraint { .. }
            | Change::AddUnique { .. }
            | Change::DropUnique { .. }
            | Change::CreateView { .. }
            | Change::DropView { .. }
            | Change::CreateFunction { .. }
            | Change::ReplaceFunction { .. }
            | Change::DropFunction { .. }
            | Change::ValidateConstraint { .. }
            | Change::AddExclusion { .. }
            | Change::DropExclusion { .. }
            | Change::CreatePolicy { .. }
            | Change::DropPolicy { .. }
            | Change::SetRowSecurity { .. }
            | Change::SetStorageParameters { .. }
            | Change::SetUnlogged { .. }
            | Change::SetReplicaIdentity { .. }
            | Change::SetSqliteTableOptions { .. }
            | Change::SetComment { .. }
            | Change::SetHeaderValue { .. } => return Err(PlanError::unsupported(change, Dialect::Mysql)),
        };
        statements.extend(rendered.into_iter().map(|sql| (index, Statement::alone(sql))));
    }
    statements.extend(deferred);
    Ok(statements)
}

/// The plain columns an index starts with.
fn leading_columns(index: &Index) -> Vec<CompactString> {
    index
        .parts
        .iter()
        .map_while(|part| match &part.key {
            IndexKey::Column(column) => Some(column.clone()),
            IndexKey::Expression(_) => None,
        })
        .collect()
}

/// A column definition with its column-level check, if any.
fn with_check(column: &Column, check: Option<&Check>) -> String {
    match check {
        Some(check) => format!("{} CHECK ({})", column_definition(column), check.expr.sql),
        None => column_definition(column),
    }
}

/// `CREATE TRIGGER name BEFORE|AFTER event ON table FOR EACH ROW body`, the body as written.
fn create_trigger(table: &QualifiedName, trigger: &Trigger, change: &Change) -> Result<String, PlanError> {
    let (TriggerAction::Body { body }, [event], None, true) =
        (&trigger.action, trigger.events.as_slice(), &trigger.when, trigger.for_each_row)
    else {
        return Err(PlanError::unsupported(change, Dialect::Mysql));
    };
    let timing = match trigger.timing {
        TriggerTiming::Before => "BEFORE",
        TriggerTiming::After => "AFTER",
        TriggerTiming::InsteadOf => return Err(PlanError::unsupported(change, Dialect::Mysql)),
    };
    let event = match event {
        TriggerEvent::Insert => "INSERT",
        TriggerEvent::Update { columns } if columns.is_empty() => "UPDATE",
        TriggerEvent::Delete => "DELETE",
        TriggerEvent::Update { .. } | TriggerEvent::Truncate => {
            return Err(PlanError::unsupported(change, Dialect::Mysql));
        }
    };
    Ok(format!(
        "CREATE TRIGGER {} {timing} {event} ON {} FOR EACH ROW {}",
        name(&QualifiedName::new(&table.schema, &trigger.name)),
        name(table),
        body.sql
    ))
}

fn name(name: &QualifiedName) -> String {
    format!("{}.{}", quote_ident(&name.schema), quote_ident(&name.name))
}

fn alter(table: &QualifiedName, action: String) -> String {
    format!("ALTER TABLE {} {action}", name(table))
}

/// `CREATE TABLE` with the columns, primary key, indexes, checks and table options; foreign keys are added
/// after every table exists. A check named after a column is declared on it (a column-level check).
fn create_table(table: &Table, indexes: &[&Index]) -> String {
    let mut lines: Vec<String> =
        table.columns.iter().map(|column| with_check(column, table.checks.get(column.name.as_str()))).collect();
    if let Some(key) = &table.primary_key {
        lines.push(primary_key_clause(key));
    }
    lines.extend(indexes.iter().map(|i| index_clause(i)));
    lines.extend(table.checks.values().filter(|c| table.column(&c.name).is_none()).map(check));
    let mut sql = format!("CREATE TABLE {} (\n  {}\n)", name(&table.name), lines.join(",\n  "));
    if let Some(options) = &table.mysql {
        sql.push_str(&format!(" ENGINE={}", options.engine));
        if !options.collation.is_empty() {
            sql.push_str(&format!(" DEFAULT CHARSET={} COLLATE={}", charset_of(&options.collation), options.collation));
        }
        if !options.row_format.is_empty() {
            sql.push_str(&format!(" ROW_FORMAT={}", options.row_format));
        }
    }
    if let Some(comment) = &table.comment {
        sql.push_str(&format!(" COMMENT={}", quote_literal(comment)));
    }
    if let Some(partitioning) = table.mysql.as_ref().and_then(|options| options.partitioning.as_ref()) {
        sql.push_str(&format!("\n{}", partitioning.clause()));
    }
    sql
}

/// A column as `ADD COLUMN`, `MODIFY COLUMN` and `CREATE TABLE` take it.
pub(crate) fn column_definition(column: &Column) -> String {
    let mut sql = format!("{} {}", quote_ident(&column.name), column.data_type);
    if let Some(collation) = &column.collation {
        sql.push_str(&format!(" CHARACTER SET {} COLLATE {collation}", charset_of(collation)));
    }
    if let Some(generated) = &column.generated {
        let kind = if column.generated_virtual { "VIRTUAL" } else { "STORED" };
        sql.push_str(&format!(" GENERATED ALWAYS AS ({}) {kind}", generated.sql));
    } else if !column.nullable {
        sql.push_str(" NOT NULL");
    } else if column.data_type.base_name() == "timestamp" {
        sql.push_str(" NULL");
    }
    if column.identity.is_some() {
        sql.push_str(" AUTO_INCREMENT");
    }
    if let Some(default) = &column.default {
        let (value, on_update) = match default.sql.split_once(" ON UPDATE ") {
            Some((value, on_update)) => (value, Some(on_update)),
            None => (default.sql.as_str(), None),
        };
        if value != "NULL" || on_update.is_none() {
            sql.push_str(&format!(" DEFAULT {}", default_value(value)));
        }
        if let Some(on_update) = on_update {
            sql.push_str(&format!(" ON UPDATE {on_update}"));
        }
    }
    if let Some(comment) = &column.comment {
        sql.push_str(&format!(" COMMENT {}", quote_literal(comment)));
    }
    sql
}

/// A literal, `current_timestamp(...)` or a bit value as it is; any other expression in parentheses.
fn default_value(value: &str) -> String {
    let bare = value.starts_with('\'')
        || value.starts_with("b'")
        || value.starts_with("current_timestamp(")
        || value.parse::<f64>().is_ok();
    if bare { value.to_string() } else { format!("({value})") }
}

/// `PRIMARY KEY (columns) [COMMENT '...']`.
fn primary_key_clause(key: &PrimaryKey) -> String {
    let mut sql = format!("PRIMARY KEY ({})", column_list(&key.columns));
    if let Some(comment) = &key.comment {
        sql.push_str(&format!(" COMMENT {}", quote_literal(comment)));
    }
    sql
}

fn index_clause(index: &Index) -> String {
    let kind = match (index.method.as_str(), index.unique) {
        ("fulltext", _) => "FULLTEXT INDEX",
        ("spatial", _) => "SPATIAL INDEX",
        (_, true) => "UNIQUE INDEX",
        _ => "INDEX",
    };
    let keys: Vec<String> = index
        .parts
        .iter()
        .map(|part| {
            let key = match &part.key {
                IndexKey::Column(column) => quote_ident(column),
                IndexKey::Expression(expr) => expr.sql.to_string(),
            };
            if part.descending { format!("{key} DESC") } else { key }
        })
        .collect();
    let mut sql = format!("{kind} {} ({})", quote_ident(&index.name), keys.join(", "));
    if let Some(comment) = &index.comment {
        sql.push_str(&format!(" COMMENT {}", quote_literal(comment)));
    }
    sql
}

fn check(check: &Check) -> String {
    format!("CONSTRAINT {} CHECK ({})", quote_ident(&check.name), check.expr.sql)
}

fn foreign_key(foreign_key: &ForeignKey) -> String {
    format!(
        "CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({}) ON DELETE {} ON UPDATE {}",
        quote_ident(&foreign_key.name),
        column_list(&foreign_key.columns),
        name(&foreign_key.ref_table),
        column_list(&foreign_key.ref_columns),
        foreign_key.on_delete.sql(),
        foreign_key.on_update.sql()
    )
}

fn column_list(columns: &[CompactString]) -> String {
    columns.iter().map(|column| quote_ident(column)).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests;
