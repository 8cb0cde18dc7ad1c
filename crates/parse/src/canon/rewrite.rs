//! Rewrites of one expression node into the form both sides of a diff share. Children are already
//! rewritten when a node is (the passes run bottom-up).

use super::interval;
use crate::ident::{fold, printable};
use crate::types::format_type;
use sqlparser::ast::{
    BinaryOperator, CastKind, DataType, Expr, Function, FunctionArg, FunctionArgExpr, FunctionArgumentList,
    FunctionArguments, Ident, InTarget, ObjectName, ObjectNamePart, UnaryOperator, Value,
};

/// Rewrites `expr` in place; see the rules in `docs/normalization.md`.
pub fn rewrite(expr: &mut Expr) {
    let taken = std::mem::replace(expr, null());
    *expr = rewritten(taken);
}

fn rewritten(expr: Expr) -> Expr {
    match expr {
        // Parentheses are re-added where precedence needs them, once the whole tree is rewritten.
        Expr::Nested(inner) => *inner,
        Expr::Identifier(ident) => Expr::Identifier(normalize_ident(&ident)),
        Expr::CompoundIdentifier(parts) => Expr::CompoundIdentifier(parts.iter().map(normalize_ident).collect()),
        Expr::Value(value) => Expr::Value(normalize_value(value.value).into()),
        Expr::TypedString(typed) => cast(Expr::Value(normalize_value(typed.value.value).into()), &typed.data_type),
        Expr::Cast { expr, data_type, .. } => cast(*expr, &data_type),
        Expr::Interval(interval) if interval.last_field.is_none() => match literal_text(&interval.value) {
            Some(text) => {
                let written = match &interval.leading_field {
                    Some(field) => format!("{text} {field}"),
                    None => text.to_string(),
                };
                string(interval::normalize(&written).unwrap_or(written))
            }
            None => Expr::Interval(interval),
        },
        Expr::UnaryOp { op: UnaryOperator::Plus, expr } => *expr,
        Expr::UnaryOp { op: UnaryOperator::Minus, expr } => match *expr {
            Expr::Value(value) => match value.value {
                Value::Number(digits, long) => Expr::Value(Value::Number(negate(&digits), long).into()),
                other => Expr::UnaryOp { op: UnaryOperator::Minus, expr: Box::new(Expr::Value(other.into())) },
            },
            other => Expr::UnaryOp { op: UnaryOperator::Minus, expr: Box::new(other) },
        },
        Expr::In { expr, target: InTarget::List(list), negated, .. } => in_list(*expr, list, negated),
        Expr::Between { expr, negated, low, high } => {
            let (low_op, high_op, joiner) = if negated {
                (BinaryOperator::Lt, BinaryOperator::Gt, BinaryOperator::Or)
            } else {
                (BinaryOperator::GtEq, BinaryOperator::LtEq, BinaryOperator::And)
            };
            binary(binary((*expr).clone(), low_op, *low), joiner, binary(*expr, high_op, *high))
        }
        Expr::Like { negated, any: false, expr, pattern, escape_char } => {
            let op = if negated { BinaryOperator::PGNotLikeMatch } else { BinaryOperator::PGLikeMatch };
            binary(*expr, op, escaped_pattern("like_escape", *pattern, escape_char.map(|e| *e)))
        }
        Expr::ILike { negated, any: false, expr, pattern, escape_char } => {
            let op = if negated { BinaryOperator::PGNotILikeMatch } else { BinaryOperator::PGILikeMatch };
            binary(*expr, op, escaped_pattern("like_escape", *pattern, escape_char.map(|e| *e)))
        }
        Expr::SimilarTo { negated, expr, pattern, escape_char } => {
            let op = if negated { BinaryOperator::PGRegexNotMatch } else { BinaryOperator::PGRegexMatch };
            let mut args = vec![*pattern];
            args.extend(escape_char.map(|e| *e));
            binary(*expr, op, call("similar_to_escape", args))
        }
        Expr::BinaryOp { left, op: op @ (BinaryOperator::And | BinaryOperator::Or), right } => {
            left_deep(*left, op, *right)
        }
        Expr::AnyOp { left, compare_op, right, .. } => Expr::AnyOp { left, compare_op, right, is_some: false },
        Expr::Function(function) => match row_constructor(&function) {
            Some(items) => Expr::Tuple(items),
            None => at_time_zone_operator(normalize_function(function)),
        },
        // `SUBSTRING(x FROM a FOR b)` and `"substring"(x, a, b)` are one call, printed either way by PostgreSQL
        // (by how it was written, from version 15 on)
        Expr::Substring { expr, substring_from, substring_for, .. } => {
            let from = substring_from.map_or_else(|| Expr::Value(Value::Number("1".into(), false).into()), |f| *f);
            call("substring", [*expr, from].into_iter().chain(substring_for.map(|f| *f)).collect())
        }
        // PostgreSQL stores the implicit `ELSE NULL` of a CASE and prints it.
        Expr::Case { case_token, end_token, operand, conditions, else_result: None } => {
            Expr::Case { case_token, end_token, operand, conditions, else_result: Some(Box::new(null())) }
        }
        Expr::Collate { expr, collation } => Expr::Collate { expr, collation: normalize_object_name(&collation) },
        other => other,
    }
}

/// An identifier folded the way PostgreSQL stores it and quoted only where `quote_identifier` would.
pub fn normalize_ident(ident: &Ident) -> Ident {
    printable(&fold(ident))
}

pub fn normalize_object_name(name: &ObjectName) -> ObjectName {
    ObjectName(
        name.0
            .iter()
            .map(|part| match part {
                ObjectNamePart::Identifier(ident) => ObjectNamePart::Identifier(normalize_ident(ident)),
                other => other.clone(),
            })
            .collect(),
    )
}

/// Every kind of string literal (`E'..'`, `$$..$$`, `N'..'`) becomes a plain one holding the same value.
fn normalize_value(value: Value) -> Value {
    match value {
        Value::EscapedStringLiteral(s)
        | Value::NationalStringLiteral(s)
        | Value::UnicodeStringLiteral(s)
        | Value::SingleQuotedString(s) => Value::SingleQuotedString(s),
        Value::DollarQuotedString(quoted) => Value::SingleQuotedString(quoted.value),
        // bit strings print as their binary digits: B'1010' → '1010', X'1F' → '00011111'
        Value::SingleQuotedByteStringLiteral(bits) => Value::SingleQuotedString(bits),
        Value::HexStringLiteral(hex) => Value::SingleQuotedString(
            hex.chars().map(|c| c.to_digit(16).map_or_else(|| c.to_string(), |d| format!("{d:04b}"))).collect(),
        ),
        Value::Number(digits, long) => Value::Number(expand_exponent(&digits), long),
        other => other,
    }
}

/// The canonical spelling of a type in a cast: `format_type`'s, with only `pg_catalog.` dropped (the canonical
/// forms are computed without knowing the default schema).
pub fn cast_type_name(data_type: &DataType) -> String {
    format_type(data_type, "pg_catalog").name
}

/// A cast, or what is left of it: casts of literals go (PostgreSQL adds them to every constant), and so do
/// casts to `text`/`character varying` (PostgreSQL adds them around `varchar` columns and arrays).
fn cast(inner: Expr, data_type: &DataType) -> Expr {
    let type_name = cast_type_name(data_type);
    if let Expr::Value(value) = &inner {
        return match &value.value {
            Value::SingleQuotedString(text) if is_numeric_type(&type_name) && is_number(text) => {
                Expr::Value(Value::Number(expand_exponent(text), false).into())
            }
            Value::SingleQuotedString(text) if type_name.starts_with("interval") => {
                string(interval::normalize(text).unwrap_or_else(|| text.clone()))
            }
            Value::SingleQuotedString(text) if type_name == "boolean" => match boolean_input(text) {
                Some(truth) => Expr::Value(Value::Boolean(truth).into()),
                None => inner,
            },
            _ => inner,
        };
    }
    if is_implicit_cast(&inner, &type_name) {
        return inner;
    }
    let element_type = type_name.trim_end_matches("[]");
    let textual = element_type == "text"
        || element_type == "bpchar"
        || element_type.starts_with("character varying")
        || element_type.starts_with("character(");
    if textual {
        return inner;
    }
    Expr::Cast {
        kind: CastKind::DoubleColon,
        expr: Box::new(inner),
        data_type: DataType::Custom(ObjectName::from(vec![Ident::new(type_name)]), vec![]),
        format: None,
    }
}

/// Casts PostgreSQL adds by itself to resolve operators and function arguments: widening a column, a
/// niladic value function (`current_date`) or another cast to a numeric or timestamp type (`quantity * price`
/// is stored as `(quantity)::numeric * price`, `date_trunc('month', d)` as `date_trunc('month',
/// (d)::timestamp with time zone)`). Dropping them everywhere means a user's own cast of a column to one of
/// these types is not told apart from none, which is the price of not knowing column types here.
fn is_implicit_cast(operand: &Expr, type_name: &str) -> bool {
    let widening = is_numeric_type(type_name) || type_name.starts_with("timestamp");
    let operand_kind = match operand {
        Expr::Identifier(_) | Expr::CompoundIdentifier(_) | Expr::Cast { .. } => true,
        Expr::Function(function) => matches!(function.args, FunctionArguments::None),
        _ => false,
    };
    widening && operand_kind && type_name != "oid"
}

/// PostgreSQL's boolean input spellings (`boolin`).
fn boolean_input(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "t" | "true" | "y" | "yes" | "on" | "1" => Some(true),
        "f" | "false" | "n" | "no" | "off" | "0" => Some(false),
        _ => None,
    }
}

/// `ROW(a, b)` is the same row constructor as `(a, b)`: its items, taken out of the call.
fn row_constructor(function: &Function) -> Option<Vec<Expr>> {
    let is_row = matches!(function.name.0.as_slice(), [ObjectNamePart::Identifier(name)]
        if name.quote_style.is_none() && name.value.eq_ignore_ascii_case("row"));
    if !is_row {
        return None;
    }
    plain_arguments(function).map(|args| args.into_iter().cloned().collect())
}

/// PostgreSQL 13 prints `ts AT TIME ZONE zone` as the call `timezone(zone, ts)`, 14 and later as the operator:
/// the call becomes the operator, so that an expression reads alike on every major.
fn at_time_zone_operator(function: Function) -> Expr {
    if function.name.to_string() == "timezone"
        && let Some([zone, timestamp]) = plain_arguments(&function).as_deref()
    {
        return Expr::AtTimeZone { timestamp: Box::new((*timestamp).clone()), time_zone: Box::new((*zone).clone()) };
    }
    Expr::Function(function)
}

/// The arguments of a call written `f(a, b)`: positional, with no `DISTINCT`, `ORDER BY`, `FILTER` or `OVER`.
fn plain_arguments(function: &Function) -> Option<Vec<&Expr>> {
    if function.filter.is_some() || function.over.is_some() || !function.within_group.is_empty() {
        return None;
    }
    match &function.args {
        FunctionArguments::List(list) if list.clauses.is_empty() && list.duplicate_treatment.is_none() => list
            .args
            .iter()
            .map(|arg| match arg {
                FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Some(e),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

fn is_numeric_type(type_name: &str) -> bool {
    matches!(type_name, "smallint" | "integer" | "bigint" | "real" | "double precision" | "oid")
        || type_name.starts_with("numeric")
}

fn is_number(text: &str) -> bool {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    unsigned.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && unsigned.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
        && unsigned.parse::<f64>().is_ok()
}

fn negate(digits: &str) -> String {
    match digits.strip_prefix('-') {
        Some(positive) => positive.to_string(),
        None => format!("-{digits}"),
    }
}

/// `1.5e3` → `1500`: PostgreSQL prints numeric constants without exponents.
fn expand_exponent(number: &str) -> String {
    let Some((mantissa, exponent)) = number.split_once(['e', 'E']) else {
        return number.to_string();
    };
    let Ok(exponent) = exponent.parse::<i32>() else {
        return number.to_string();
    };
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", mantissa),
    };
    let (integer, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{integer}{fraction}");
    let point = integer.len() as i32 + exponent;
    let (integer, fraction) = if point <= 0 {
        ("0".to_string(), format!("{}{digits}", "0".repeat(point.unsigned_abs() as usize)))
    } else if point as usize >= digits.len() {
        (format!("{digits}{}", "0".repeat(point as usize - digits.len())), String::new())
    } else {
        (digits[..point as usize].to_string(), digits[point as usize..].to_string())
    };
    let integer = integer.trim_start_matches('0');
    let integer = if integer.is_empty() { "0" } else { integer };
    if fraction.is_empty() { format!("{sign}{integer}") } else { format!("{sign}{integer}.{fraction}") }
}

/// `x IN (...)` as PostgreSQL's `transformAExprIn` builds it: the elements that reference no column go into
/// one `= ANY (ARRAY[...])` when there are at least two of them; every other element is compared on its own,
/// and the comparisons are OR-ed (`NOT IN`: `<> ALL`, AND-ed).
fn in_list(expr: Expr, list: Vec<Expr>, negated: bool) -> Expr {
    let (compare, joiner) =
        if negated { (BinaryOperator::NotEq, BinaryOperator::And) } else { (BinaryOperator::Eq, BinaryOperator::Or) };
    let (constants, columns): (Vec<Expr>, Vec<Expr>) = list.into_iter().partition(|e| !references_column(e));
    let mut comparisons = Vec::new();
    let singles = if constants.len() > 1 {
        let array = Expr::Array(sqlparser::ast::Array { elem: constants, named: true });
        let array = Box::new(array);
        let left = Box::new(expr.clone());
        comparisons.push(if negated {
            Expr::AllOp { left, compare_op: compare.clone(), right: array }
        } else {
            Expr::AnyOp { left, compare_op: compare.clone(), right: array, is_some: false }
        });
        columns
    } else {
        // too few constants for an array: every element is compared in the order written
        constants.into_iter().chain(columns).collect()
    };
    comparisons.extend(singles.into_iter().map(|element| binary(expr.clone(), compare.clone(), element)));
    comparisons.into_iter().reduce(|acc, next| binary(acc, joiner.clone(), next)).unwrap_or_else(null)
}

fn references_column(expr: &Expr) -> bool {
    let mut probe = expr.clone();
    column_reference_in(&mut probe)
}

fn column_reference_in(expr: &mut Expr) -> bool {
    matches!(expr, Expr::Identifier(_) | Expr::CompoundIdentifier(_))
        || super::tree::expr_children(expr).into_iter().any(|child| match child {
            super::tree::Child::Expr(e) => column_reference_in(e),
            super::tree::Child::Query(_) => true,
        })
}

/// AND/OR chains associate to the left whatever the parentheses: `a AND (b AND c)` = `a AND b AND c`.
fn left_deep(left: Expr, op: BinaryOperator, right: Expr) -> Expr {
    let mut operands = Vec::new();
    collect_operands(left, &op, &mut operands);
    collect_operands(right, &op, &mut operands);
    operands.into_iter().reduce(|acc, next| binary(acc, op.clone(), next)).unwrap_or_else(null)
}

fn collect_operands(expr: Expr, op: &BinaryOperator, operands: &mut Vec<Expr>) {
    match expr {
        Expr::BinaryOp { left, op: inner, right } if inner == *op => {
            collect_operands(*left, op, operands);
            collect_operands(*right, op, operands);
        }
        other => operands.push(other),
    }
}

fn escaped_pattern(function: &str, pattern: Expr, escape: Option<Expr>) -> Expr {
    match escape {
        Some(escape) => call(function, vec![pattern, escape]),
        None => pattern,
    }
}

/// Function names fold like identifiers, and `pg_catalog.` is dropped since the catalog is always searched.
fn normalize_function(mut function: Function) -> Function {
    // keyword-named functions (`coalesce`, `current_timestamp`) print bare; only case and odd characters quote
    let mut name = ObjectName(
        function
            .name
            .0
            .iter()
            .map(|part| match part {
                ObjectNamePart::Identifier(ident) => {
                    let folded = fold(ident);
                    let bare = folded.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
                    ObjectNamePart::Identifier(if bare { Ident::new(folded) } else { Ident::with_quote('"', folded) })
                }
                other => other.clone(),
            })
            .collect(),
    );
    if name.0.len() == 2 && name.0[0].to_string() == "pg_catalog" {
        name.0.remove(0);
    }
    function.name = name;
    function
}

fn literal_text(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Value(value) => match &value.value {
            Value::SingleQuotedString(s) => Some(s),
            _ => None,
        },
        _ => None,
    }
}

pub fn binary(left: Expr, op: BinaryOperator, right: Expr) -> Expr {
    Expr::BinaryOp { left: Box::new(left), op, right: Box::new(right) }
}

fn call(name: &str, args: Vec<Expr>) -> Expr {
    Expr::Function(Function {
        name: ObjectName::from(vec![Ident::new(name)]),
        uses_odbc_syntax: false,
        parameters: FunctionArguments::None,
        args: FunctionArguments::List(FunctionArgumentList {
            duplicate_treatment: None,
            args: args.into_iter().map(|e| FunctionArg::Unnamed(FunctionArgExpr::Expr(e))).collect(),
            clauses: vec![],
        }),
        within_group: vec![],
        filter: None,
        null_treatment: None,
        over: None,
    })
}

fn string(text: String) -> Expr {
    Expr::Value(Value::SingleQuotedString(text).into())
}

fn null() -> Expr {
    Expr::Value(Value::Null.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exponents_are_expanded() {
        for (written, expanded) in [
            ("1e3", "1000"),
            ("1.5e3", "1500"),
            ("1.5E-3", "0.0015"),
            ("-2e2", "-200"),
            ("12.5e1", "125"),
            ("42", "42"),
            ("0.5", "0.5"),
        ] {
            assert_eq!(expand_exponent(written), expanded, "{written}");
        }
    }
}
