//! What SQLite can change in place. `ALTER TABLE` in SQLite only renames, adds a column (nullable or with a
//! constant default) and drops a column; every other change to an existing table goes through the table
//! rebuild (<https://www.sqlite.org/lang_altertable.html#otheralter>). The plan renders rebuilds and the lint
//! reports them from this one rule.

use crate::{Change, Column, Expr};
use serde::{Deserialize, Serialize};

/// A virtual table's module (`fts5`, `rtree`, ...), in lower case as SQLite matches it, and its arguments:
/// text SQLite hands to the module as written, so each is kept as written (`sql`) and compared by its
/// tokens (`canonical`: single spaces, no comments).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VirtualTable {
    pub module: String,
    pub args: Vec<Expr>,
}

/// The options a SQLite table is created with, after its columns: `STRICT` (values must be of the declared
/// type) and `WITHOUT ROWID` (the rows are stored by their primary key). No `ALTER TABLE` changes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TableOptions {
    #[serde(default)]
    pub strict: bool,
    #[serde(default)]
    pub without_rowid: bool,
}

impl TableOptions {
    pub fn is_plain(&self) -> bool {
        !self.strict && !self.without_rowid
    }

    /// `STRICT, WITHOUT ROWID`, as `CREATE TABLE (...)` takes them after its columns; empty when plain.
    pub fn clause(&self) -> String {
        let options: Vec<&str> = [(self.strict, "STRICT"), (self.without_rowid, "WITHOUT ROWID")]
            .into_iter()
            .filter_map(|(set, option)| set.then_some(option))
            .collect();
        options.join(", ")
    }
}

/// A value of the database header that only an application reads, for its own bookkeeping: set by
/// `PRAGMA name = N`, read by `PRAGMA name`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HeaderValue {
    ApplicationId,
    UserVersion,
}

impl HeaderValue {
    pub const ALL: [HeaderValue; 2] = [HeaderValue::ApplicationId, HeaderValue::UserVersion];

    /// The pragma that reads and sets it.
    pub fn pragma(self) -> &'static str {
        match self {
            HeaderValue::ApplicationId => "application_id",
            HeaderValue::UserVersion => "user_version",
        }
    }

    pub fn from_pragma(name: &str) -> Option<HeaderValue> {
        HeaderValue::ALL.into_iter().find(|value| value.pragma().eq_ignore_ascii_case(name))
    }
}

/// True when SQLite performs the change without rebuilding the table it alters (`ALTER TABLE ... ADD COLUMN`,
/// `DROP COLUMN`, `RENAME`, `CREATE`/`DROP INDEX`), or when the change alters no existing table.
pub fn alters_in_place(change: &Change) -> bool {
    match change {
        Change::AddColumn { column, .. } => can_add_column(column),
        Change::AlterColumn { .. }
        | Change::AddPrimaryKey { .. }
        | Change::DropPrimaryKey { .. }
        | Change::AddUnique { .. }
        | Change::DropUnique { .. }
        | Change::AddForeignKey { .. }
        | Change::DropForeignKey { .. }
        | Change::AddCheck { .. }
        | Change::DropCheck { .. }
        | Change::SetSqliteTableOptions { .. }
        | Change::AddExclusion { .. }
        | Change::DropExclusion { .. } => false,
        _ => true,
    }
}

/// SQLite's `ADD COLUMN` rules: no generated or identity column, and NOT NULL only with a default; a default
/// must be a constant (a literal, not `CURRENT_TIMESTAMP` nor an expression in parentheses).
fn can_add_column(column: &Column) -> bool {
    if column.generated.is_some() || column.identity.is_some() {
        return false;
    }
    match &column.default {
        None => column.nullable,
        Some(default) => is_constant(&default.canonical) && (column.nullable || default.canonical != "NULL"),
    }
}

/// A numeric, string or blob literal, NULL, TRUE or FALSE, possibly signed.
fn is_constant(sql: &str) -> bool {
    let unsigned = sql.strip_prefix(['-', '+']).unwrap_or(sql).trim();
    let quoted = |text: &str| text.len() >= 2 && text.starts_with('\'') && text.ends_with('\'');
    unsigned.parse::<f64>().is_ok()
        || quoted(unsigned)
        || unsigned.strip_prefix(['x', 'X']).is_some_and(quoted)
        || ["null", "true", "false"].contains(&unsigned.to_ascii_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::QualifiedName;
    use crate::builders::{column, expr};

    fn add(nullable: bool, default: Option<&str>) -> Change {
        let added = Column { nullable, default: default.map(|d| Box::new(expr(d))), ..column("c", "text") };
        Change::AddColumn { table: QualifiedName::new("main", "t"), column: added }
    }

    #[test]
    fn add_column_is_in_place_only_within_sqlite_rules() {
        assert!(alters_in_place(&add(true, None)));
        assert!(alters_in_place(&add(false, Some("0"))));
        assert!(alters_in_place(&add(false, Some("'draft'"))));
        assert!(alters_in_place(&add(true, Some("-1.5"))));
        assert!(!alters_in_place(&add(false, None)), "NOT NULL needs a default");
        assert!(!alters_in_place(&add(true, Some("CURRENT_TIMESTAMP"))), "not a constant");
        assert!(!alters_in_place(&add(true, Some("(lower('A'))"))));
    }

    #[test]
    fn constraint_and_column_changes_rebuild() {
        let table = QualifiedName::new("main", "t");
        assert!(!alters_in_place(&Change::DropCheck { table: table.clone(), name: "c".into() }));
        assert!(alters_in_place(&Change::DropColumn { table: table.clone(), column: "c".into() }));
        assert!(alters_in_place(&Change::DropIndex { table, name: "i".into() }));
    }
}
