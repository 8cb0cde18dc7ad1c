//! What MariaDB and MySQL refuse when a table is created, refused at parse time instead (with the statement's
//! line, as the PostgreSQL path does), so that `plan` does not show a plan that `apply` cannot run: a key on a
//! column the table does not have (error 1072, "Key column 'b' doesn't exist in table"), and a name longer
//! than 64 characters (error 1059, "Identifier name '...' is too long"), generated names included: an
//! unnamed foreign key of a 60-character table is `<table>_ibfk_1`.

use driftless_model::{IndexKey, Table};

/// The longest name MariaDB and MySQL accept for a schema, table, column, index, constraint or view.
pub const MAX_IDENTIFIER_CHARS: usize = 64;

/// `name` when it is short enough for MySQL.
pub(super) fn identifier(kind: &str, name: &str) -> Result<(), String> {
    if name.chars().count() > MAX_IDENTIFIER_CHARS {
        return Err(format!("{kind} name `{name}` is longer than {MAX_IDENTIFIER_CHARS} characters, MySQL's limit"));
    }
    Ok(())
}

/// A table as built from one statement: every name short enough, every key's columns its own.
pub(super) fn table(table: &Table) -> Result<(), String> {
    let table_name = &table.name.name;
    identifier("schema", &table.name.schema)?;
    identifier("table", table_name)?;
    for column in &table.columns {
        identifier("column", &column.name)?;
    }
    // MySQL's column names are case-insensitive: `primary key (ID)` is a key on `id`
    let has = |column: &str| table.columns.iter().any(|c| c.name.to_lowercase() == column.to_lowercase());
    let missing = |kind: &str, column: &str| format!("{kind} column {column} does not exist in table {table_name}");
    if let Some(primary_key) = &table.primary_key
        && let Some(column) = primary_key.columns.iter().find(|c| !has(c))
    {
        return Err(missing("primary key", column));
    }
    for unique in table.uniques.values() {
        identifier("unique key", &unique.name)?;
        if let Some(column) = unique.columns.iter().find(|c| !has(c)) {
            return Err(missing(&format!("unique key {}", unique.name), column));
        }
    }
    for index in table.indexes.values() {
        identifier("index", &index.name)?;
        for part in &index.parts {
            if let IndexKey::Column(column) = &part.key
                && !has(column)
            {
                return Err(missing(&format!("index {}", index.name), column));
            }
        }
    }
    for foreign_key in table.foreign_keys.values() {
        identifier("foreign key", &foreign_key.name)?;
        if let Some(column) = foreign_key.columns.iter().find(|c| !has(c)) {
            return Err(missing(&format!("foreign key {}", foreign_key.name), column));
        }
        identifier("referenced table", &foreign_key.ref_table.name)?;
        for column in &foreign_key.ref_columns {
            identifier("referenced column", column)?;
        }
    }
    for check in table.checks.values() {
        identifier("check constraint", &check.name)?;
    }
    Ok(())
}
