//! Online forms for tables that exist before the plan runs, as `OnlineOptions` asks:
//!
//! - `CREATE INDEX CONCURRENTLY` / `DROP INDEX CONCURRENTLY`, each run alone (PostgreSQL refuses them in a
//!   transaction block). A failed concurrent build leaves an invalid index behind; the engine finds it on the
//!   next run and drops it before building again.
//! - Unique and primary keys: the index is built concurrently, then attached with `ADD CONSTRAINT ...
//!   USING INDEX`, which only takes a short `ACCESS EXCLUSIVE` lock.
//! - Foreign keys and checks: added `NOT VALID` (a short lock, no scan), then `VALIDATE CONSTRAINT` alone, in
//!   its own transaction: it scans under a `SHARE UPDATE EXCLUSIVE` lock that lets reads and writes through.
//!   Validating in the same transaction as the `ADD` would gain nothing: the `ADD`'s strong lock would be held
//!   until the scan ends.
//! - `SET NOT NULL`: a `CHECK (column IS NOT NULL) NOT VALID` is added and validated as above; PostgreSQL 12+
//!   then sets NOT NULL without scanning (the check proves it), and the helper check is dropped.

use super::{RenderContext, tables};
use crate::Statement;
use driftless_model::{
    Change, Check, Column, ColumnChange, CompactString, Expr, Index, IndexPart, QualifiedName, quote_ident,
};

/// The change's online form, `None` when the plain form applies (no online option, or a new relation).
pub(super) fn render(change: &Change, context: &RenderContext) -> Option<Vec<Statement>> {
    let online = context.online;
    match change {
        Change::CreateIndex { table, index } if online.concurrent_create && context.existing(table) => {
            let mut statements = vec![Statement::alone(tables::index_statement(table, index, true))];
            statements.extend(tables::index_comment(table, index).map(Statement::transactional));
            Some(statements)
        }
        Change::DropIndex { table, name } if online.concurrent_drop && context.existing(table) => {
            Some(vec![Statement::alone(format!(
                "DROP INDEX CONCURRENTLY {}",
                QualifiedName::new(&table.schema, name).quoted()
            ))])
        }
        Change::AddUnique { table, unique } if online.concurrent_create && context.existing(table) => {
            let index = key_index(&unique.name, &unique.columns, unique.nulls_not_distinct);
            let attach = format!(
                "UNIQUE USING INDEX {}{}",
                quote_ident(&unique.name),
                tables::deferrable_clause(unique.deferrable)
            );
            Some(key_from_index(table, &index, &attach, tables::constraint_comment(table, unique)))
        }
        Change::AddPrimaryKey { table, key } if online.concurrent_create && context.existing(table) => {
            let index = key_index(&key.name, &key.columns, false);
            let attach = format!("PRIMARY KEY USING INDEX {}", quote_ident(&key.name));
            Some(key_from_index(table, &index, &attach, tables::constraint_comment(table, key)))
        }
        // a NOT VALID one verifies no row: its plain form is online already
        Change::AddForeignKey { table, foreign_key }
            if online.validate_separately && context.existing(table) && !foreign_key.not_valid =>
        {
            let mut statements = add_then_validate(table, &foreign_key.name, &tables::foreign_key_body(foreign_key));
            statements.extend(tables::constraint_comment(table, foreign_key).map(Statement::transactional));
            Some(statements)
        }
        Change::AddCheck { table, check }
            if online.validate_separately && context.existing(table) && !check.not_valid =>
        {
            let mut statements = add_then_validate(table, &check.name, &tables::check_body(check));
            statements.extend(tables::constraint_comment(table, check).map(Statement::transactional));
            Some(statements)
        }
        Change::AlterColumn { table, to, changes, .. }
            if online.validate_separately && context.existing(table) && changes.contains(&ColumnChange::SetNotNull) =>
        {
            Some(alter_column_with_proven_not_null(table, to, changes))
        }
        _ => None,
    }
}

/// The unique btree index a key is built on, named as the key (`USING INDEX` keeps the index's name).
fn key_index(name: &str, columns: &[CompactString], nulls_not_distinct: bool) -> Index {
    Index {
        name: name.to_string(),
        unique: true,
        method: "btree".into(),
        parts: columns.iter().map(|column| IndexPart::column(column.as_str())).collect(),
        include: Vec::new(),
        predicate: None,
        nulls_not_distinct,
        storage: Default::default(),
        comment: None,
    }
}

fn key_from_index(table: &QualifiedName, index: &Index, attach: &str, comment: Option<String>) -> Vec<Statement> {
    let mut statements = vec![
        Statement::alone(tables::index_statement(table, index, true)),
        Statement::transactional(tables::add_constraint(table, &index.name, attach)),
    ];
    statements.extend(comment.map(Statement::transactional));
    statements
}

fn add_then_validate(table: &QualifiedName, name: &str, body: &str) -> Vec<Statement> {
    vec![
        Statement::transactional(format!("{} NOT VALID", tables::add_constraint(table, name, body))),
        Statement::alone(format!("ALTER TABLE {} VALIDATE CONSTRAINT {}", table.quoted(), quote_ident(name))),
    ]
}

/// The column's steps in order (one statement each), with `SET NOT NULL` proven by a validated helper check
/// first.
fn alter_column_with_proven_not_null(table: &QualifiedName, to: &Column, changes: &[ColumnChange]) -> Vec<Statement> {
    let helper = not_null_check_name(&to.name);
    let column = quote_ident(&to.name);
    let check = Check {
        not_valid: false,
        comment: None,
        name: helper.clone(),
        expr: Expr::new(format!("{column} IS NOT NULL"), format!("{column} is not null")),
        no_inherit: false,
    };
    let mut statements = Vec::new();
    for step in changes {
        let rendered =
            tables::alter_column(table, to, std::slice::from_ref(step)).into_iter().map(Statement::transactional);
        if *step == ColumnChange::SetNotNull {
            statements.extend(add_then_validate(table, &helper, &tables::check_body(&check)));
            statements.extend(rendered);
            statements.push(Statement::transactional(format!(
                "ALTER TABLE {} DROP CONSTRAINT {}",
                table.quoted(),
                quote_ident(&helper)
            )));
        } else {
            statements.extend(rendered);
        }
    }
    statements
}

/// The helper check's name, within PostgreSQL's 63-byte identifier limit.
fn not_null_check_name(column: &str) -> String {
    let mut name = format!("driftless_{column}_not_null");
    while name.len() > 63 {
        name.pop();
    }
    name
}
