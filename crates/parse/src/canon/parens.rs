//! Re-adding the parentheses precedence needs. The rewrite drops every parenthesis (PostgreSQL prints
//! far more than needed, users fewer); sqlparser prints a tree without adding any, so this pass wraps each
//! operand that binds more loosely than its position requires. The levels are the ones sqlparser's
//! PostgreSQL dialect parses with, so a printed canonical form reads back as the same tree.

use super::tree::{Child, expr_children, query_children};
use sqlparser::ast::{BinaryOperator, Expr, Query, UnaryOperator};

const OR: u8 = 10;
const AND: u8 = 20;
const NOT: u8 = 30;
const IS: u8 = 40;
const COMPARISON: u8 = 50;
const BETWEEN_IN_LIKE: u8 = 60;
const OTHER_OPERATOR: u8 = 70;
const XOR: u8 = 75;
const PLUS_MINUS: u8 = 80;
const MULTIPLY_DIVIDE: u8 = 90;
const CARET: u8 = 100;
const UNARY_SIGN: u8 = 105;
const AT_TIME_ZONE: u8 = 110;
const COLLATE: u8 = 120;
const SUBSCRIPT: u8 = 130;
const CAST: u8 = 140;
const ATOM: u8 = u8::MAX;

pub fn parenthesize_expr(expr: &mut Expr) {
    for child in expr_children(expr) {
        match child {
            Child::Expr(e) => parenthesize_expr(e),
            Child::Query(q) => parenthesize_query(q),
        }
    }
    match expr {
        Expr::BinaryOp { left, op, right } => {
            let level = operator_level(op);
            wrap_if(left, |l| l < level);
            wrap_if(right, |l| l <= level);
        }
        Expr::AnyOp { left, compare_op, .. } | Expr::AllOp { left, compare_op, .. } => {
            let level = operator_level(compare_op);
            wrap_if(left, |l| l < level);
        }
        Expr::UnaryOp { op: UnaryOperator::Not, expr } => wrap_if(expr, |l| l < NOT),
        Expr::UnaryOp { expr, .. } => wrap_if(expr, |l| l < UNARY_SIGN),
        Expr::IsFalse(e)
        | Expr::IsNotFalse(e)
        | Expr::IsTrue(e)
        | Expr::IsNotTrue(e)
        | Expr::IsNull(e)
        | Expr::IsNotNull(e)
        | Expr::IsUnknown(e)
        | Expr::IsNotUnknown(e) => wrap_if(e, |l| l <= IS),
        Expr::IsDistinctFrom(a, b) | Expr::IsNotDistinctFrom(a, b) => {
            wrap_if(a, |l| l <= IS);
            wrap_if(b, |l| l <= IS);
        }
        Expr::In { expr, .. } | Expr::Between { expr, .. } => wrap_if(expr, |l| l <= BETWEEN_IN_LIKE),
        Expr::Like { expr, .. } | Expr::ILike { expr, .. } | Expr::SimilarTo { expr, .. } => {
            wrap_if(expr, |l| l <= BETWEEN_IN_LIKE)
        }
        Expr::Cast { expr, .. } => wrap_if(expr, |l| l < CAST),
        Expr::Collate { expr, .. } => wrap_if(expr, |l| l < COLLATE),
        Expr::AtTimeZone { timestamp, time_zone } => {
            wrap_if(timestamp, |l| l < AT_TIME_ZONE);
            wrap_if(time_zone, |l| l <= AT_TIME_ZONE);
        }
        // `(x::int[])[1]` must keep its parentheses or the subscript would read as part of the type
        Expr::CompoundFieldAccess { root, .. } => wrap_if(root, |l| l < ATOM),
        _ => {}
    }
}

pub fn parenthesize_query(query: &mut Query) {
    for child in query_children(query) {
        match child {
            Child::Expr(e) => parenthesize_expr(e),
            Child::Query(q) => parenthesize_query(q),
        }
    }
}

fn wrap_if(operand: &mut Box<Expr>, needs_parens: impl Fn(u8) -> bool) {
    if needs_parens(level(operand)) {
        let inner = std::mem::replace(operand.as_mut(), Expr::Value(sqlparser::ast::Value::Null.into()));
        **operand = Expr::Nested(Box::new(inner));
    }
}

/// How tightly an expression binds as an operand.
fn level(expr: &Expr) -> u8 {
    match expr {
        Expr::BinaryOp { op, .. } => operator_level(op),
        Expr::AnyOp { compare_op, .. } | Expr::AllOp { compare_op, .. } => operator_level(compare_op),
        Expr::UnaryOp { op: UnaryOperator::Not, .. } => NOT,
        Expr::UnaryOp { .. } => UNARY_SIGN,
        Expr::IsFalse(_)
        | Expr::IsNotFalse(_)
        | Expr::IsTrue(_)
        | Expr::IsNotTrue(_)
        | Expr::IsNull(_)
        | Expr::IsNotNull(_)
        | Expr::IsUnknown(_)
        | Expr::IsNotUnknown(_)
        | Expr::IsDistinctFrom(..)
        | Expr::IsNotDistinctFrom(..) => IS,
        Expr::In { .. } | Expr::Between { .. } | Expr::Like { .. } | Expr::ILike { .. } | Expr::SimilarTo { .. } => {
            BETWEEN_IN_LIKE
        }
        Expr::AtTimeZone { .. } => AT_TIME_ZONE,
        Expr::Collate { .. } => COLLATE,
        Expr::CompoundFieldAccess { .. } => SUBSCRIPT,
        Expr::Cast { .. } => CAST,
        // a negative number prints with its sign, so it binds like a signed operand
        Expr::Value(value) if value.to_string().starts_with('-') => UNARY_SIGN,
        _ => ATOM,
    }
}

fn operator_level(op: &BinaryOperator) -> u8 {
    match op {
        BinaryOperator::Or => OR,
        BinaryOperator::And => AND,
        BinaryOperator::Xor => XOR,
        BinaryOperator::Eq
        | BinaryOperator::NotEq
        | BinaryOperator::Lt
        | BinaryOperator::Gt
        | BinaryOperator::LtEq
        | BinaryOperator::GtEq
        | BinaryOperator::Spaceship
        | BinaryOperator::PGRegexMatch
        | BinaryOperator::PGRegexIMatch
        | BinaryOperator::PGRegexNotMatch
        | BinaryOperator::PGRegexNotIMatch
        | BinaryOperator::PGLikeMatch
        | BinaryOperator::PGILikeMatch
        | BinaryOperator::PGNotLikeMatch
        | BinaryOperator::PGNotILikeMatch => COMPARISON,
        BinaryOperator::Plus | BinaryOperator::Minus => PLUS_MINUS,
        BinaryOperator::Multiply | BinaryOperator::Divide | BinaryOperator::Modulo => MULTIPLY_DIVIDE,
        BinaryOperator::PGExp => CARET,
        _ => OTHER_OPERATOR,
    }
}
