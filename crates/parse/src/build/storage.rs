//! Storage parameters (`WITH (fillfactor = 70)`) of tables and indexes, as `pg_class.reloptions` keeps them:
//! `name=value`, the name folded, the value as written (an unquoted word folded, an integer without its
//! leading zeros, a bare name meaning `true`). `toast.` parameters are refused: they belong to the table's
//! TOAST table, which the model does not hold.

use crate::ident::fold;
use driftless_model::StorageParameters;
use sqlparser::ast::{BinaryOperator, Expr, ObjectName, ObjectNamePart, SqlOption, UnaryOperator, Value};

/// The parameters of `WITH (...)` on CREATE TABLE.
pub(super) fn table_parameters(options: &[SqlOption]) -> Result<StorageParameters, String> {
    let entries = options
        .iter()
        .map(|option| match option {
            SqlOption::KeyValue { key, value } => entry(name(key)?, value),
            SqlOption::Ident(key) => Ok(format!("{}=true", name(key)?)),
            other => Err(format!("`{other}` is not a storage parameter")),
        })
        .collect::<Result<_, _>>()?;
    Ok(StorageParameters::new(entries))
}

/// The parameters of `WITH (...)` on CREATE INDEX, which sqlparser reads as `name = value` expressions.
pub(super) fn index_parameters(options: &[Expr]) -> Result<StorageParameters, String> {
    let entries = options
        .iter()
        .map(|option| match option {
            Expr::BinaryOp { left, op: BinaryOperator::Eq, right } => match left.as_ref() {
                Expr::Identifier(key) => entry(fold(key), right),
                Expr::CompoundIdentifier(_) => Err(toast_refused()),
                _ => Err(format!("`{option}` is not a storage parameter")),
            },
            Expr::Identifier(key) => Ok(format!("{}=true", fold(key))),
            other => Err(format!("`{other}` is not a storage parameter")),
        })
        .collect::<Result<_, _>>()?;
    Ok(StorageParameters::new(entries))
}

fn toast_refused() -> String {
    "storage parameters of a TOAST table (`toast.`) are not supported".into()
}

fn name(key: &ObjectName) -> Result<String, String> {
    match key.0.as_slice() {
        [ObjectNamePart::Identifier(ident)] => Ok(fold(ident)),
        _ => Err(toast_refused()),
    }
}

fn entry(name: String, value: &Expr) -> Result<String, String> {
    let value = match value {
        Expr::Value(value) => match &value.value {
            Value::Number(digits, _) => number(digits),
            Value::SingleQuotedString(text) => text.clone(),
            Value::Boolean(flag) => flag.to_string(),
            other => return Err(format!("`{other}` is not a value of storage parameter {name}")),
        },
        Expr::UnaryOp { op: UnaryOperator::Minus, expr } => match expr.as_ref() {
            Expr::Value(value) if matches!(value.value, Value::Number(..)) => {
                format!("-{}", number(&value.to_string()))
            }
            _ => return Err(format!("`-{expr}` is not a value of storage parameter {name}")),
        },
        Expr::Identifier(word) => fold(word),
        other => return Err(format!("`{other}` is not a value of storage parameter {name}")),
    };
    Ok(format!("{name}={value}"))
}

/// An integer as PostgreSQL prints the one it read (`070` → `70`); any other number as written.
fn number(digits: &str) -> String {
    digits.parse::<i64>().map_or_else(|_| digits.to_string(), |value| value.to_string())
}
