//! MySQL table copies (MY1xx). InnoDB makes most changes `INSTANT` or `INPLACE`; the rest (a column's type or
//! collation, `AUTO_INCREMENT` added, the primary key dropped) use `ALGORITHM=COPY`: every row is copied into
//! a new table while writes to it wait.

use crate::Draft;
use crate::context::Context;
use driftless_model::mysql::copies_table;
use driftless_model::{Change, DataType};

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

/// The PostgreSQL type with the same values, for the narrowing rules (MF105): `int(11)` → `integer`,
/// `varchar(20)` → `character varying(20)`, `decimal(10,2)` → `numeric(10,2)`, an unsigned integer → the
/// next wider signed one. Types with no such equivalent (`tinyint`, `enum(...)`) stay as they are: a change
/// to them counts as a conversion between unrelated types.
pub(crate) fn postgres_equivalent(data_type: &DataType) -> DataType {
    let sized = |name: &str| match (data_type.length(), data_type.scale()) {
        (Some(length), Some(scale)) => format!("{name}({length},{scale})").into(),
        (Some(length), None) => format!("{name}({length})").into(),
        (None, _) => DataType::from(name),
    };
    match (data_type.base_name().as_ref(), data_type.is_unsigned()) {
        ("smallint", false) => "smallint".into(),
        ("smallint" | "mediumint", true) | ("mediumint" | "int", false) => "integer".into(),
        ("int", true) | ("bigint", false) => "bigint".into(),
        ("bigint", true) => "numeric(20,0)".into(),
        ("varchar", _) => sized("character varying"),
        ("char", _) => sized("character"),
        ("tinytext" | "text" | "mediumtext" | "longtext", _) => "text".into(),
        ("decimal", _) => sized("numeric"),
        ("double", _) => "double precision".into(),
        ("float", _) => "real".into(),
        _ => data_type.clone(),
    }
}

#[cfg(test)]
mod tests {
    use crate::{LintPolicy, lint};
    use driftless_model::builders::{add_table, column, name, table};
    use driftless_model::{Change, ColumnChange, Database, Dialect, OnlineOptions};

    /// A database holding the empty table `app.t`.
    fn current() -> Database {
        let mut current = Database::new(Dialect::Mysql);
        add_table(&mut current, table("app.t", []));
        current
    }

    fn retype(from: &str, to: &str, explicit_cast: bool) -> Change {
        Change::AlterColumn {
            table: name("app.t"),
            from: column("c", from),
            to: column("c", to),
            changes: vec![ColumnChange::Type { from: from.into(), to: to.into(), explicit_cast }],
        }
    }

    #[test]
    fn table_copies_of_existing_tables_are_reported_and_in_place_changes_are_not() {
        let current = current();
        let changes = vec![
            Change::AddColumn { table: name("app.t"), column: column("c", "int(11)") },
            retype("int(11)", "bigint(20)", false),
            retype("varchar(100)", "varchar(200)", false),
            Change::DropIndex { table: name("app.t"), name: "i".into() },
        ];
        let findings = lint(&changes, &current, &OnlineOptions::default(), &LintPolicy::default());
        let codes: Vec<(&str, usize)> = findings.iter().map(|f| (f.code, f.change)).collect();
        assert_eq!(codes, [("MY101", 1)], "{codes:?}");
    }

    #[test]
    fn narrowing_is_judged_on_the_postgresql_equivalents() {
        let current = current();
        // the diff's PostgreSQL cast families do not know MySQL's type names
        let retype = |from: &str, to: &str| retype(from, to, true);
        let changes = vec![
            retype("int(11)", "bigint(20)"),
            retype("varchar(20)", "varchar(10)"),
            retype("bigint(20)", "int(11)"),
            retype("int(10) unsigned", "int(11)"),
            retype("varchar(10)", "varchar(20)"),
        ];
        let findings = lint(&changes, &current, &OnlineOptions::default(), &LintPolicy::default());
        let narrowed: Vec<usize> = findings.iter().filter(|f| f.code == "MF105").map(|f| f.change).collect();
        assert_eq!(narrowed, [1, 2, 3]);
    }
}
