//! MySQL table copies (MY1xx). InnoDB makes most changes `INSTANT` or `INPLACE`; the rest (a column's type or
//! collation, `AUTO_INCREMENT` added, the primary key dropped) use `ALGORITHM=COPY`: every row is copied into
//! a new table while writes to it wait.

use crate::Draft;
use crate::context::Context;
use driftless_model::Change;
use driftless_model::mysql::copies_table;

const COPY_FIX: &str =
    "apply in a quiet window; on a large table, use an online schema change tool (gh-ost, pt-online-schema-change)";

pub(crate) fn lock_hazards(context: &Context, change: &Change) -> Vec<Draft> {
    match change.altered_table() {
        Some(table) if context.is_existing(table) && copies_table(change) => vec![Draft::new(
            "MY101",
            format!(
                "{} copies the table (ALGORITHM=COPY): every row of {table} is copied while writes to it wait",
                change.kind()
            ),
            COPY_FIX,
        )],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use crate::{LintPolicy, lint};
    use driftless_model::{Change, Column, ColumnChange, Database, Dialect, OnlineOptions, QualifiedName, Table};

    #[test]
    fn table_copies_of_existing_tables_are_reported_and_in_place_changes_are_not() {
        let name = QualifiedName::new("app", "t");
        let mut current = Database::new(Dialect::Mysql);
        current.schema_mut("app").tables.insert("t".into(), Table::new(name.clone()));
        let column = |data_type: &str| Column { name: "c".into(), data_type: data_type.into(), nullable: true, ..Default::default() };
        let retype = |from: &str, to: &str| Change::AlterColumn {
            table: name.clone(),
            from: column(from),
            to: column(to),
            changes: vec![ColumnChange::Type { from: from.into(), to: to.into(), explicit_cast: false }],
        };
        let changes = vec![
            Change::AddColumn { table: name.clone(), column: column("int(11)") },
            retype("int(11)", "bigint(20)"),
            retype("varchar(100)", "varchar(200)"),
            Change::DropIndex { table: name, name: "i".into() },
        ];
        let findings = lint(&changes, &current, &OnlineOptions::default(), &LintPolicy::default());
        let codes: Vec<(&str, usize)> = findings.iter().map(|f| (f.code, f.change)).collect();
        assert_eq!(codes, [("MY101", 1)], "{codes:?}");
    }
}
