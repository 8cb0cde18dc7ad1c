//! SQLite rendering. SQLite's `ALTER TABLE` renames, adds and drops columns; every other change to an existing
//! table is rendered as the table rebuild (`rebuild`). Views are created and dropped as written. Tables the plan creates get their foreign keys inside
//! `CREATE TABLE`, since SQLite cannot add one later. Names are rendered unqualified: SQLite has one schema.

mod rebuild;

use crate::postgres;
use crate::render::Statement;
use driftless_model::sqlite::alters_in_place;
use driftless_model::{
    Change, Check, Column, CompactString, Database, ForeignKey, Index, IndexKey, QualifiedName, ReferentialAction,
    Table, quote_ident, relations_created,
};
use std::collections::BTreeMap;

/// Every change's statements, as `(change index, statement)`, in plan order. The statements of a rebuilt
/// table come with the last change that alters it (by then every table it may reference exists); the other
/// changes folded into the rebuild or into a `CREATE TABLE` render nothing of their own.
pub(crate) fn render(changes: &[Change], current: &Database) -> Vec<(usize, Statement)> {
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
        match change {
            Change::AddForeignKey { table, foreign_key } if created.contains(table) => {
                new_foreign_keys.entry(table).or_default().push(foreign_key);
            }
            _ => {}
        }
        if let Some(table) = change.altered_table().filter(|table| rebuilt.contains_key(table)) {
            last_change.insert(table, index);
        }
    }
    let mut statements = Vec::new();
    for (index, change) in changes.iter().enumerate() {
        let rendered = match (change, change.altered_table()) {
            (_, Some(table)) if rebuilt.contains_key(table) => {
                if last_change[table] != index {
                    continue;
                }
                rebuild::statements(rebuilt[table], changes)
            }
            (Change::CreateTable { table }, _) => {
                let foreign_keys = new_foreign_keys.get(&table.name).cloned().unwrap_or_default();
                vec![create_table(&table.name.name, table, &foreign_keys)]
            }
            (Change::AddForeignKey { table, .. }, _) if created.contains(table) => continue,
            _ => in_place(change),
        };
        statements.extend(rendered.into_iter().map(|sql| (index, Statement::transactional(sql))));
    }
    statements
}

/// A change SQLite performs directly.
fn in_place(change: &Change) -> Vec<String> {
    match change {
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
        // SQLite models hold no schemas, types, sequences, functions, triggers nor comments (parse and
        // inspect refuse them); should such a change arrive anyway, SQLite rejects its PostgreSQL statement
        // when the plan runs instead of the change being skipped silently.
        other => postgres::render_change(other),
    }
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
    format!("CREATE TABLE {} (\n  {}\n)", quote_ident(name), lines.join(",\n  "))
}

fn column_definition(column: &Column) -> String {
    let mut sql = quote_ident(&column.name);
    if !column.data_type.is_empty() {
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
        "CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({})",
        quote_ident(&foreign_key.name),
        column_list(&foreign_key.columns),
        quote_ident(&foreign_key.ref_table.name),
        column_list(&foreign_key.ref_columns)
    );
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
