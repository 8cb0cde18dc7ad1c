//! SQLite rewrite hazards (SL1xx). Changes SQLite's `ALTER TABLE` cannot make are planned as a table rebuild,
//! which copies every row into a new table while holding the database's write lock.

use crate::Draft;
use crate::context::Context;
use driftless_model::Change;
use driftless_model::sqlite::alters_in_place;

const REBUILD_FIX: &str = "apply in a quiet window; on a large table, make the change in a release of its own";

pub(crate) fn lock_hazards(context: &Context, change: &Change) -> Vec<Draft> {
    match change.altered_table() {
        Some(table) if context.is_existing(table) && !alters_in_place(change) => vec![Draft::new(
            "SL101",
            format!(
                "{} needs a table rebuild: every row of {table} is copied into a new table while the database is locked for writes",
                change.kind()
            ),
            REBUILD_FIX,
        )],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use crate::{LintPolicy, lint};
    use driftless_model::builders::{add_table, column, name, not_null, table};
    use driftless_model::{Change, Database, Dialect, OnlineOptions};

    #[test]
    fn rebuilds_of_existing_tables_are_reported_and_in_place_changes_are_not() {
        let name = name("main.t");
        let mut current = Database::new(Dialect::Sqlite);
        add_table(&mut current, table("main.t", []));
        let column = column("c", "text");
        let changes = vec![
            Change::AddColumn { table: name.clone(), column: column.clone() },
            Change::AlterColumn {
                table: name.clone(),
                from: column.clone(),
                to: not_null(column),
                changes: vec![driftless_model::ColumnChange::SetNotNull],
            },
            Change::DropIndex { table: name, name: "i".into() },
        ];
        let findings = lint(&changes, &current, &OnlineOptions::default(), &LintPolicy::default());
        let codes: Vec<(&str, usize)> = findings.iter().map(|f| (f.code, f.change)).collect();
        assert!(codes.contains(&("SL101", 1)), "{codes:?}");
        assert!(!codes.iter().any(|(code, change)| code.starts_with("PG") || (*code == "SL101" && *change != 1)));
    }
}
