//! The session statements mysqldump and install scripts write around the DDL: `SET` of session settings and
//! user variables, `LOCK TABLES`/`UNLOCK TABLES`, `DROP TABLE IF EXISTS` of a table the file creates
//! afterwards, and the progress `SELECT`s and `FLUSH LOGS` of install scripts. None changes what the model holds; a setting that would change how the file reads (a
//! `sql_mode` where backslashes are not escapes, another character set) is refused.

use super::Builder;
use driftless_model::QualifiedName;
use sqlparser::ast::{
    Expr, FunctionArg, FunctionArgExpr, FunctionArguments, ObjectName, Query, SelectItem, Set, SetExpr,
};

/// A `DROP TABLE IF EXISTS` of a table not declared yet: the file must create it further down.
pub(super) struct DroppedAhead {
    pub table: QualifiedName,
    pub line: usize,
    pub excerpt: String,
}

impl Builder {
    pub(super) fn set(&mut self, set: Set) -> Result<(), String> {
        match set {
            Set::SingleAssignment { variable, values, .. } => match values.as_slice() {
                [value] => setting(&variable, value),
                _ => Err(format!("SET {variable}: one value expected")),
            },
            Set::MultipleAssignments { assignments } => {
                assignments.iter().try_for_each(|assignment| setting(&assignment.name, &assignment.value))
            }
            Set::SetNames { charset_name, .. } => character_set(&charset_name.value),
            Set::SetNamesDefault {} => Ok(()),
            other => Err(format!("`{other}` is not a setting a desired schema may change")),
        }
    }

    /// Tables already declared are not dropped again: a desired schema declares each table once.
    pub(super) fn drop_tables_ahead(&mut self, names: &[ObjectName], line: usize, excerpt: &str) -> Result<(), String> {
        for name in names {
            let table = self.qualify(name);
            if self.db.table(&table).is_some() {
                return Err(format!(
                    "drops table {table}, declared earlier in the file: a desired schema declares what should exist"
                ));
            }
            self.dropped_ahead.push(DroppedAhead { table, line, excerpt: excerpt.to_string() });
        }
        Ok(())
    }
}

/// One `name = value`: a user variable (`@OLD_SQL_MODE = @@SQL_MODE`), a restore from one, or a session
/// setting whose value leaves the file's meaning as the model reads it.
fn setting(name: &ObjectName, value: &Expr) -> Result<(), String> {
    let name = name.to_string().to_ascii_lowercase();
    let value = unquoted(value);
    let lower = value.to_ascii_lowercase();
    if name.starts_with('@') && !name.starts_with("@@") || lower.starts_with('@') {
        return Ok(());
    }
    let setting = name.trim_start_matches("@@").trim_start_matches("session.").trim_start_matches("local.");
    let refuse = |why: &str| Err(format!("SET {setting} = {value}: {why}"));
    match setting {
        "foreign_key_checks"
        | "unique_checks"
        | "sql_notes"
        | "autocommit"
        | "sql_quote_show_create"
        | "sql_safe_updates" => Ok(()),
        "character_set_client" | "character_set_results" | "character_set_connection" => character_set(&lower),
        "collation_connection" if lower.starts_with("utf8") => Ok(()),
        "collation_connection" => refuse("the desired schema is read as UTF-8"),
        "sql_mode" if ["no_backslash_escapes", "ansi_quotes", "ansi"].iter().any(|mode| lower.contains(mode)) => {
            refuse("string literals and quotes would read differently; the desired schema is read in the default mode")
        }
        "sql_mode" => Ok(()),
        "default_storage_engine" | "storage_engine" if lower == "innodb" => Ok(()),
        "default_storage_engine" | "storage_engine" => {
            refuse("a table without ENGINE is read as InnoDB; give each table its ENGINE instead")
        }
        "time_zone" if matches!(lower.as_str(), "+00:00" | "utc" | "system") => Ok(()),
        "time_zone" => refuse("TIMESTAMP defaults would read in another time zone than the applying session's"),
        _ => refuse("this setting is not one a desired schema may change"),
    }
}

fn character_set(name: &str) -> Result<(), String> {
    let name = name.trim_matches(['\'', '"', '`']).to_ascii_lowercase();
    if matches!(name.as_str(), "utf8" | "utf8mb3" | "utf8mb4" | "default") {
        Ok(())
    } else {
        Err(format!("SET NAMES {name}: the desired schema is read as UTF-8"))
    }
}

fn unquoted(value: &Expr) -> String {
    let text = value.to_string();
    match text.strip_prefix('\'').and_then(|rest| rest.strip_suffix('\'')) {
        Some(inner) => inner.replace("''", "'"),
        None => text,
    }
}

/// A `SELECT` without `FROM` of literals, server variables (`@@version`) and `CONCAT`, which install scripts
/// use to print progress (`SELECT 'LOADING departments' AS 'INFO'`): it reads and changes nothing.
pub(super) fn prints_constants(query: &Query) -> bool {
    let SetExpr::Select(select) = query.body.as_ref() else { return false };
    let plain = query.with.is_none()
        && query.order_by.is_none()
        && query.limit_clause.is_none()
        && select.from.is_empty()
        && select.selection.is_none()
        && select.having.is_none();
    plain
        && select.projection.iter().all(|item| match item {
            SelectItem::UnnamedExpr(expr) | SelectItem::ExprWithAlias { expr, .. } => is_constant(expr),
            _ => false,
        })
}

fn is_constant(expr: &Expr) -> bool {
    match expr {
        Expr::Value(_) => true,
        Expr::Identifier(ident) => ident.quote_style.is_none() && ident.value.starts_with("@@"),
        Expr::Nested(inner) => is_constant(inner),
        Expr::Function(function) if function.name.to_string().eq_ignore_ascii_case("concat") => match &function.args {
            FunctionArguments::List(list) => list
                .args
                .iter()
                .all(|arg| matches!(arg, FunctionArg::Unnamed(FunctionArgExpr::Expr(arg)) if is_constant(arg))),
            _ => false,
        },
        _ => false,
    }
}
