//! SQLite rendering. SQLite's `ALTER TABLE` renames, adds and drops columns; every other change to an existing
//! table is rendered as the table rebuild (`rebuild`). Views are created and dropped as written, and so are
//! virtual tables and trigger bodies. Tables the plan creates get their foreign keys inside `CREATE TABLE`,
//! since SQLite cannot add one later. Names are rendered unqualified: SQLite has one schema.

mod rebuild;

use crate::{Plan, PlanError, Statement};
use driftless_model::sqlite::VirtualTable;
use driftless_model::sqlite::alters_in_place;
use driftless_model::{
    Change, Check, Column, CompactString, Database, Dialect, ForeignKey, Index, IndexKey, QualifiedName,
    ReferentialAction, Table, Trigger, TriggerAction, TriggerEvent, TriggerTiming, quote_ident, relations_created,
};
use std::collections::BTreeMap;

/// Renders the changes that lead from `current` as SQLite statements, all in the plan's one transaction.
pub fn plan(changes: Vec<Change>, current: &Database) -> Result<Plan, PlanError> {
    let statements = render(&changes, current)?;
    Ok(Plan::new(changes, statements))
}

/// Every change's statements, as `(change index, statement)`, in plan order. The statements of a rebuilt
/// table come with the last change that alters it (by then every table it may reference exists); the other
/// changes folded into the rebuild or into a `CREATE TABLE` render nothing of their own.
fn render(changes: &[Change], current: &Database) -> Result<Vec<(usize, Statement)>, PlanError> {
    let created = relations_created(changes);
    // tables that exist and need a rebuild; a table the plan creates has none to need
    let rebuilt: BTreeMap<&QualifiedName, &Table> = changes
        .iter()
        .filter(|change| !alters_in_place(change))
        .filter_map(Change::altered_table)
        .filter(|table| !created.contains(*table))
        .filter_map(|table| current.table(table).map(|existing| (table, existing)))
        .collect();
    let mut last_change: BTreeMap<&QualifiedName, usize> = BTreeMap::new();
    let mut new_foreign_keys: BTreeMap<&QualifiedName, Vec<&ForeignKey>> = BTreeMap::new();
    for (index, change) in changes.iter().enumerate() {
        if let Change::AddForeignKey { table, foreign_key } = change
            && created.contains(table)
        {
            new_foreign_keys.entry(table).or_default().push(foreign_key);
        }
        if let Some(table) = change.altered_table().filter(|table| rebuilt.contains_key(table)) {
            last_change.insert(table, index);
        }
    }
    let mut statements = Vec::new();
    for (index, change) in changes.iter().enumerate() {
        let rendered = match change.altered_table() {
            Some(table) if rebuilt.contains_key(table) => {
                if last_change[table] != index {
                    continue;
                }
                rebuild::statements(rebuilt[table], changes)?
            }
            _ => render_change(change, &new_foreign_keys)?,
        };
        statements.extend(rendered.into_iter().map(|sql| (index, Statement::transactional(sql))));
    }
    Ok(statements)
}

/// A change outside the rebuilds: SQLite performs it directly. `new_foreign_keys` are those of the tables the
/// plan creates, declared in their `CREATE TABLE` (SQLite cannot add one later).
fn render_change(
    change: &Change,
    new_foreign_keys: &BTreeMap<&QualifiedName, Vec<&ForeignKey>>,
) -> Result<Vec<String>, PlanError> {
    let sql = match change {
        Change::CreateTable { table } => match &table.virtual_table {
            Some(virtual_table) => vec![create_virtual_table(&table.name.name, virtual_table)],
            None => {
                let foreign_keys = new_foreign_keys.get(&table.name).map(Vec::as_slice).unwrap_or_default();
                vec![create_table(&table.name.name, table, foreign_keys)]
            }
        },
        Change::AddForeignKey { table, .. } if new_foreign_keys.contains_key(table) => Vec::new(),
        Change::DropTable { name } => vec![format!("DROP TABLE {}", quote_ident(&name.name))],
        Change::RenameTable { from, to } => {
            vec![format!("ALTER TABLE {} RENAME TO {}", quote_ident(&from.name), quote_ident(to))]
        }
        Change::AddColumn { table, column } => {
            vec![format!("ALTER TABLE {} ADD COLUMN {}", quote_ident(&table.name), column_definition(column))]
        }
        Change::DropColumn { table, column } => {
            vec![format!("ALTER TABLE {} DROP COLUMN {}", quote_ident(&table.name), quote_ident(column))]
        }
        Change::RenameColumn { table, from, to } => vec![format!(
            "ALTER TABLE {} RENAME COLUMN {} TO {}",
            quote_ident(&table.name),
            quote_ident(from),
            quote_ident(to)
        )],
        Change::CreateIndex { table, index } => vec![create_index(&table.name, index)],
        Change::DropIndex { name, .. } => vec![format!("DROP INDEX {}", quote_ident(name))],
        Change::CreateView { view } if !view.materialized => {
            vec![format!("CREATE VIEW {} AS {}", quote_ident(&view.name.name), view.query.sql)]
        }
        Change::DropView { name, materialized: false } => vec![format!("DROP VIEW {}", quote_ident(&name.name))],
        Change::CreateTrigger { table, trigger } => vec![create_trigger(&table.name, trigger, change)?],
        Change::DropTrigger { name, .. } => vec![format!("DROP TRIGGER {}", quote_ident(name))],
        Change::SetHeaderValue { header, value } => vec![format!("PRAGMA {} = {value}", header.pragma())],
        // a new table comes with its constraints, an existing one gets them by the rebuild: these reach here
        // only for a table the current model does not have
        Change::AlterColumn { .. }
        | Change::AddPrimaryKey { .. }
        | Change::DropPrimaryKey { .. }
        | Change::AddUnique { .. }
        | Change::DropUnique { .. }
        | Change::AddForeignKey { .. }
        | Change::DropForeignKey { .. }
        | Change::AddCheck { .. }
        | Change::DropCheck { .. }
        // SQLite models hold no schemas, extensions, types, sequences, materialized views, functions,
        // policies, exclusion constraints nor comments (parse and inspect refuse them); SQLite renames no constraint nor index
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
        | Change::CreateSchema { .. }
        | Change::DropSchema { .. }
        | Change::CreateExtension { .. }
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
        | Change::RenameIndex { .. }
        | Change::CreateView { .. }
        | Change::DropView { .. }
        | Change::CreateFunction { .. }
        | Change::ReplaceFunction { .. }
        | Change::DropFunction { .. }
        | Change::SetComment { .. } => return Err(PlanError::unsupported(change, Dialect::Sqlite)),
    };
    Ok(sql)
}

/// `CREATE VIRTUAL TABLE name USING module(args)`, the arguments as written: the module reads their text.
fn create_virtual_table(name: &str, virtual_table: &VirtualTable) -> String {
    let args: Vec<&str> = virtual_table.args.iter().map(|arg| arg.sql.as_str()).collect();
    format!("CREATE VIRTUAL TABLE {} USING {}({})", quote_ident(name), virtual_table.module, args.join(", "))
}

/// `CREATE TRIGGER name timing event ON owner FOR EACH ROW [WHEN ...] BEGIN body END`, the body as written.
/// A SQLite trigger fires on one event, for each row, and runs statements: any other trigger (one of a
/// PostgreSQL model) is refused as the `change` it comes with.
pub(crate) fn create_trigger(owner: &str, trigger: &Trigger, change: &Change) -> Result<String, PlanError> {
    let (TriggerAction::Body { body }, [event], true) =
        (&trigger.action, trigger.events.as_slice(), trigger.for_each_row)
    else {
        return Err(PlanError::unsupported(change, Dialect::Sqlite));
    };
    let timing = match trigger.timing {
        TriggerTiming::Before => "BEFORE",
        TriggerTiming::After => "AFTER",
        TriggerTiming::InsteadOf => "INSTEAD OF",
    };
    let event = match event {
        TriggerEvent::Insert => "INSERT".to_string(),
        TriggerEvent::Update { columns } if columns.is_empty() => "UPDATE".to_string(),
        TriggerEvent::Update { columns } => format!("UPDATE OF {}", column_list(columns)),
        TriggerEvent::Delete => "DELETE".to_string(),
        TriggerEvent::Truncate => return Err(PlanError::unsupported(change, Dialect::Sqlite)),
    };
    let when = trigger.when.as_ref().map(|when| format!(" WHEN {when}")).unwrap_or_default();
    Ok(format!(
        "CREATE TRIGGER {} {timing} {event} ON {} FOR EACH ROW{when}\nBEGIN\n{}\nEND",
        quote_ident(&trigger.name),
        quote_ident(owner),
        body.sql
    ))
}

/// `CREATE TABLE name (...)` with the table's columns and every constraint, foreign keys included. An
/// `AUTOINCREMENT` key (an identity column) is declared on its column, the only place SQLite accepts it.
pub(crate) fn create_table(name: &str, table: &Table, foreign_keys: &[&ForeignKey]) -> String {
    let autoincrement_key = table.primary_key.as_ref().filter(|key| {
        key.columns.len() == 1 && table.column(&key.columns[0]).is_some_and(|column| column.identity.is_some())
    });
    let mut lines: Vec<String> = table
        .columns
        .iter()
        .map(|column| {
            let mut sql = column_definition(column);
            if let Some(key) = autoincrement_key.filter(|key| key.columns[0] == column.name) {
                sql.push_str(&format!(" CONSTRAINT {} PRIMARY KEY AUTOINCREMENT", quote_ident(&key.name)));
            }
            sql
        })
        .collect();
    if let Some(key) = table.primary_key.as_ref().filter(|_| autoincrement_key.is_none()) {
        lines.push(format!("CONSTRAINT {} PRIMARY KEY ({})", quote_ident(&key.name), column_list(&key.columns)));
    }
    for unique in table.uniques.values() {
        lines.push(format!("CONSTRAINT {} UNIQUE ({})", quote_ident(&unique.name), column_list(&unique.columns)));
    }
    lines.extend(table.checks.values().map(check));
    lines.extend(table.foreign_keys.values().chain(foreign_keys.iter().copied()).map(foreign_key));
    let options = match table.sqlite.clause() {
        clause if clause.is_empty() => clause,
        clause => format!(" {clause}"),
    };
    format!("CREATE TABLE {} (\n  {}\n){options}", quote_ident(name), lines.join(",\n  "))
}

fn column_definition(column: &Column) -> String {
    let mut sql = quote_ident(&column.name);
    if !column.data_type.as_str().is_empty() {
        sql.push_str(&format!(" {}", column.data_type));
    }
    if !column.nullable {
        sql.push_str(" NOT NULL");
    }
    if let Some(default) = &column.default {
        sql.push_str(&format!(" DEFAULT {default}"));
    }
    if let Some(collation) = &column.collation {
        sql.push_str(&format!(" COLLATE {}", quote_ident(collation)));
    }
    if let Some(generated) = &column.generated {
        let kind = if column.generated_virtual { "VIRTUAL" } else { "STORED" };
        sql.push_str(&format!(" GENERATED ALWAYS AS ({generated}) {kind}"));
    }
    sql
}

fn check(check: &Check) -> String {
    format!("CONSTRAINT {} CHECK ({})", quote_ident(&check.name), check.expr)
}

fn foreign_key(foreign_key: &ForeignKey) -> String {
    let mut sql = format!(
        "CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {}",
        quote_ident(&foreign_key.name),
        column_list(&foreign_key.columns),
        quote_ident(&foreign_key.ref_table.name),
    );
    // no columns: the parent's primary key, resolved when a row is checked (the parent may come later)
    if !foreign_key.ref_columns.is_empty() {
        sql.push_str(&format!(" ({})", column_list(&foreign_key.ref_columns)));
    }
    for (event, action) in [("DELETE", foreign_key.on_delete), ("UPDATE", foreign_key.on_update)] {
        if action != ReferentialAction::NoAction {
            sql.push_str(&format!(" ON {event} {}", action.sql()));
        }
    }
    sql
}

/// `CREATE [UNIQUE] INDEX name ON table (keys) [WHERE predicate]`; expressions as written (SQLite keeps the
/// text, so an added pair of parentheses would read back as a different expression).
pub(crate) fn create_index(table: &str, index: &Index) -> String {
    let keys: Vec<String> = index
        .parts
        .iter()
        .map(|part| {
            let mut key = match &part.key {
                IndexKey::Column(column) => quote_ident(column),
                IndexKey::Expression(expr) => expr.sql.to_string(),
            };
            if let Some(collation) = &part.collation {
                key.push_str(&format!(" COLLATE {}", quote_ident(collation)));
            }
            if part.descending {
                key.push_str(" DESC");
            }
            key
        })
        .collect();
    let unique = if index.unique { "UNIQUE " } else { "" };
    let mut sql =
        format!("CREATE {unique}INDEX {} ON {} ({})", quote_ident(&index.name), quote_ident(table), keys.join(", "));
    if let Some(predicate) = &index.predicate {
        sql.push_str(&format!(" WHERE {predicate}"));
    }
    sql
}

fn column_list(columns: &[CompactString]) -> String {
    columns.iter().map(|column| quote_ident(column)).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use driftless_model::builders::{add_table, column, name, not_null, table};
    use driftless_model::{ColumnChange, CommentTarget};

    fn kind_refused(changes: Vec<Change>) -> &'static str {
        let mut current = Database::new(Dialect::Sqlite);
        add_table(&mut current, table("main.t", [column("a", "integer")]));
        match plan(changes, &current) {
            Err(PlanError::Unsupported { change, dialect: Dialect::Sqlite }) => change.kind(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_change_sqlite_has_no_statement_for_stops_the_plan() {
        let t = name("main.t");
        let comment = Change::SetComment { target: CommentTarget::Table { name: t.clone() }, comment: None };
        assert_eq!(kind_refused(vec![comment]), "set_comment");
        let rename = Change::RenameIndex { table: t.clone(), from: "i".into(), to: "j".into() };
        assert_eq!(kind_refused(vec![rename.clone()]), "rename_index");
        // folded into the table's rebuild, it is refused all the same rather than left out
        let alter = Change::AlterColumn {
            table: t,
            from: column("a", "integer"),
            to: not_null(column("a", "integer")),
            changes: vec![ColumnChange::SetNotNull],
        };
        assert_eq!(kind_refused(vec![alter, rename]), "rename_index");
    }

    #[test]
    fn a_column_renamed_in_a_rebuild_takes_the_rows_of_its_old_name() {
        // the current model after the rename, as the engine plans against it
        let mut current = Database::new(Dialect::Sqlite);
        add_table(&mut current, table("main.t", [column("id", "integer"), column("user_name", "text")]));
        let t = name("main.t");
        let changes = vec![
            Change::RenameColumn { table: t.clone(), from: "username".into(), to: "user_name".into() },
            Change::AlterColumn {
                table: t,
                from: column("user_name", "text"),
                to: not_null(column("user_name", "text")),
                changes: vec![ColumnChange::SetNotNull],
            },
        ];
        let statements: Vec<String> =
            plan(changes, &current).unwrap().statements.into_iter().map(|statement| statement.sql).collect();
        assert_eq!(statements[1], "INSERT INTO _driftless_new_t (id, user_name) SELECT id, username FROM t");
    }
}
