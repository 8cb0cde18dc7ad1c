//! Enumerating the direct sub-expressions and sub-queries of sqlparser's AST nodes, so that the rewriting
//! passes can recurse without knowing every node's shape.

use sqlparser::ast::{
    AccessExpr, Distinct, Expr, FunctionArg, FunctionArgExpr, FunctionArgumentClause, FunctionArguments, GroupByExpr,
    InTarget, JoinConstraint, JoinOperator, LimitClause, OrderByExpr, OrderByKind, Query, Select, SelectItem, SetExpr,
    Subscript, TableFactor, TableWithJoins, WindowType,
};

/// A direct child of a node.
pub enum Child<'a> {
    Expr(&'a mut Expr),
    Query(&'a mut Query),
}

/// The direct sub-expressions and sub-queries of an expression. Node kinds PostgreSQL never prints are not
/// entered; their insides stay as written.
pub fn expr_children(expr: &mut Expr) -> Vec<Child<'_>> {
    let mut children = Vec::new();
    match expr {
        Expr::CompoundFieldAccess { root, access_chain } => {
            children.push(Child::Expr(root));
            for access in access_chain {
                match access {
                    AccessExpr::Dot(e) => children.push(Child::Expr(e)),
                    AccessExpr::Subscript(subscript) => subscript_children(subscript, &mut children),
                }
            }
        }
        Expr::JsonAccess { value, .. } => children.push(Child::Expr(value)),
        Expr::IsFalse(e)
        | Expr::IsNotFalse(e)
        | Expr::IsTrue(e)
        | Expr::IsNotTrue(e)
        | Expr::IsNull(e)
        | Expr::IsNotNull(e)
        | Expr::IsUnknown(e)
        | Expr::IsNotUnknown(e)
        | Expr::UnaryOp { expr: e, .. }
        | Expr::Cast { expr: e, .. }
        | Expr::Extract { expr: e, .. }
        | Expr::Ceil { expr: e, .. }
        | Expr::Floor { expr: e, .. }
        | Expr::Collate { expr: e, .. }
        | Expr::Nested(e)
        | Expr::Named { expr: e, .. } => children.push(Child::Expr(e)),
        Expr::IsDistinctFrom(a, b)
        | Expr::IsNotDistinctFrom(a, b)
        | Expr::BinaryOp { left: a, right: b, .. }
        | Expr::AnyOp { left: a, right: b, .. }
        | Expr::AllOp { left: a, right: b, .. }
        | Expr::AtTimeZone { timestamp: a, time_zone: b }
        | Expr::Position { expr: a, r#in: b } => {
            children.push(Child::Expr(a));
            children.push(Child::Expr(b));
        }
        Expr::In { expr, target, .. } => {
            children.push(Child::Expr(expr));
            match target {
                InTarget::List(list) => children.extend(list.iter_mut().map(Child::Expr)),
                InTarget::Subquery(query) => children.push(Child::Query(query)),
                InTarget::Unnest(e) => children.push(Child::Expr(e)),
                InTarget::Table { .. } => {}
            }
        }
        Expr::Between { expr, low, high, .. } => {
            children.extend([Child::Expr(expr), Child::Expr(low), Child::Expr(high)]);
        }
        Expr::Like { expr, pattern, escape_char, .. }
        | Expr::ILike { expr, pattern, escape_char, .. }
        | Expr::SimilarTo { expr, pattern, escape_char, .. } => {
            children.extend([Child::Expr(expr), Child::Expr(pattern)]);
            children.extend(escape_char.as_deref_mut().map(Child::Expr));
        }
        Expr::Substring { expr, substring_from, substring_for, .. } => {
            children.push(Child::Expr(expr));
            children.extend(substring_from.as_deref_mut().map(Child::Expr));
            children.extend(substring_for.as_deref_mut().map(Child::Expr));
        }
        Expr::Trim { expr, trim_what, trim_characters, .. } => {
            children.push(Child::Expr(expr));
            children.extend(trim_what.as_deref_mut().map(Child::Expr));
            children.extend(trim_characters.iter_mut().flatten().map(Child::Expr));
        }
        Expr::Overlay { expr, overlay_what, overlay_from, overlay_for } => {
            children.extend([Child::Expr(expr), Child::Expr(overlay_what), Child::Expr(overlay_from)]);
            children.extend(overlay_for.as_deref_mut().map(Child::Expr));
        }
        Expr::Function(function) => {
            function_arguments(&mut function.parameters, &mut children);
            function_arguments(&mut function.args, &mut children);
            order_by_children(&mut function.within_group, &mut children);
            children.extend(function.filter.as_deref_mut().map(Child::Expr));
            if let Some(WindowType::WindowSpec(spec)) = &mut function.over {
                children.extend(spec.partition_by.iter_mut().map(Child::Expr));
                order_by_children(&mut spec.order_by, &mut children);
            }
        }
        Expr::Case { operand, conditions, else_result, .. } => {
            children.extend(operand.as_deref_mut().map(Child::Expr));
            for when in conditions {
                children.extend([Child::Expr(&mut when.condition), Child::Expr(&mut when.result)]);
            }
            children.extend(else_result.as_deref_mut().map(Child::Expr));
        }
        Expr::Exists { subquery, .. } | Expr::Subquery(subquery) => children.push(Child::Query(subquery)),
        Expr::GroupingSets(sets) | Expr::Cube(sets) | Expr::Rollup(sets) => {
            children.extend(sets.iter_mut().flatten().map(Child::Expr));
        }
        Expr::Tuple(items) => children.extend(items.iter_mut().map(Child::Expr)),
        Expr::Array(array) => children.extend(array.elem.iter_mut().map(Child::Expr)),
        Expr::Interval(interval) => children.push(Child::Expr(&mut interval.value)),
        _ => {}
    }
    children
}

fn subscript_children<'a>(subscript: &'a mut Subscript, children: &mut Vec<Child<'a>>) {
    match subscript {
        Subscript::Index { index } => children.push(Child::Expr(index)),
        Subscript::Slice { lower_bound, upper_bound, stride } => {
            children.extend([lower_bound, upper_bound, stride].into_iter().flatten().map(Child::Expr));
        }
    }
}

fn function_arguments<'a>(arguments: &'a mut FunctionArguments, children: &mut Vec<Child<'a>>) {
    match arguments {
        FunctionArguments::None => {}
        FunctionArguments::Subquery(query) => children.push(Child::Query(query)),
        FunctionArguments::List(list) => {
            for arg in &mut list.args {
                let (FunctionArg::Named { arg, .. } | FunctionArg::ExprNamed { arg, .. } | FunctionArg::Unnamed(arg)) =
                    arg;
                if let FunctionArgExpr::Expr(e) = arg {
                    children.push(Child::Expr(e));
                }
            }
            for clause in &mut list.clauses {
                match clause {
                    FunctionArgumentClause::OrderBy(order_by) => order_by_children(order_by, children),
                    FunctionArgumentClause::Where(e) | FunctionArgumentClause::Limit(e) => {
                        children.push(Child::Expr(e))
                    }
                    _ => {}
                }
            }
        }
    }
}

fn order_by_children<'a>(order_by: &'a mut [OrderByExpr], children: &mut Vec<Child<'a>>) {
    children.extend(order_by.iter_mut().map(|o| Child::Expr(&mut o.expr)));
}

/// Every expression and sub-query a query holds directly (its own selects' clauses, its CTEs, derived
/// tables, ORDER BY and LIMIT), not those inside sub-queries.
pub fn query_children(query: &mut Query) -> Vec<Child<'_>> {
    let mut children = Vec::new();
    if let Some(with) = &mut query.with {
        children.extend(with.cte_tables.iter_mut().map(|cte| Child::Query(&mut cte.query)));
    }
    set_expr_children(&mut query.body, &mut children);
    if let Some(order_by) = &mut query.order_by
        && let OrderByKind::Expressions(exprs) = &mut order_by.kind
    {
        order_by_children(exprs, &mut children);
    }
    match &mut query.limit_clause {
        Some(LimitClause::LimitOffset { limit, offset, limit_by }) => {
            children.extend(limit.as_mut().map(Child::Expr));
            children.extend(offset.as_mut().map(|o| Child::Expr(&mut o.value)));
            children.extend(limit_by.iter_mut().map(Child::Expr));
        }
        Some(LimitClause::OffsetCommaLimit { offset, limit }) => {
            children.extend([Child::Expr(offset), Child::Expr(limit)]);
        }
        None => {}
    }
    children
}

fn set_expr_children<'a>(body: &'a mut SetExpr, children: &mut Vec<Child<'a>>) {
    // a chain of set operations is as deep as it is long: walked with a stack of its own, left to right
    let mut stack = vec![body];
    while let Some(body) = stack.pop() {
        match body {
            SetExpr::Select(select) => select_children(select, children),
            SetExpr::Query(query) => children.push(Child::Query(query)),
            SetExpr::SetOperation { left, right, .. } => {
                stack.push(right);
                stack.push(left);
            }
            SetExpr::Values(values) => {
                children.extend(values.rows.iter_mut().flat_map(|row| row.iter_mut()).map(Child::Expr))
            }
            _ => {}
        }
    }
}

pub fn select_children<'a>(select: &'a mut Select, children: &mut Vec<Child<'a>>) {
    if let Some(Distinct::On(exprs)) = &mut select.distinct {
        children.extend(exprs.iter_mut().map(Child::Expr));
    }
    for item in &mut select.projection {
        match item {
            SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => children.push(Child::Expr(e)),
            _ => {}
        }
    }
    for table in &mut select.from {
        table_with_joins_children(table, children);
    }
    children.extend(select.selection.as_mut().map(Child::Expr));
    if let GroupByExpr::Expressions(exprs, _) = &mut select.group_by {
        children.extend(exprs.iter_mut().map(Child::Expr));
    }
    children.extend(select.having.as_mut().map(Child::Expr));
    children.extend(select.qualify.as_mut().map(Child::Expr));
}

fn table_with_joins_children<'a>(table: &'a mut TableWithJoins, children: &mut Vec<Child<'a>>) {
    table_factor_children(&mut table.relation, children);
    for join in &mut table.joins {
        table_factor_children(&mut join.relation, children);
        if let Some(JoinConstraint::On(e)) = join_constraint(&mut join.join_operator) {
            children.push(Child::Expr(e));
        }
    }
}

fn table_factor_children<'a>(factor: &'a mut TableFactor, children: &mut Vec<Child<'a>>) {
    match factor {
        TableFactor::Derived { subquery, .. } => children.push(Child::Query(subquery)),
        TableFactor::TableFunction { expr, .. } => children.push(Child::Expr(expr)),
        TableFactor::Function { args, .. } => {
            for arg in args {
                let (FunctionArg::Named { arg, .. } | FunctionArg::ExprNamed { arg, .. } | FunctionArg::Unnamed(arg)) =
                    arg;
                if let FunctionArgExpr::Expr(e) = arg {
                    children.push(Child::Expr(e));
                }
            }
        }
        TableFactor::UNNEST { array_exprs, .. } => children.extend(array_exprs.iter_mut().map(Child::Expr)),
        TableFactor::NestedJoin { table_with_joins, .. } => table_with_joins_children(table_with_joins, children),
        _ => {}
    }
}

/// The constraint of a join, for the join kinds that have one.
fn join_constraint(operator: &mut JoinOperator) -> Option<&mut JoinConstraint> {
    match operator {
        JoinOperator::Join(c)
        | JoinOperator::Inner(c)
        | JoinOperator::Left(c)
        | JoinOperator::LeftOuter(c)
        | JoinOperator::Right(c)
        | JoinOperator::RightOuter(c)
        | JoinOperator::FullOuter(c)
        | JoinOperator::CrossJoin(c)
        | JoinOperator::Semi(c)
        | JoinOperator::LeftSemi(c)
        | JoinOperator::RightSemi(c)
        | JoinOperator::Anti(c)
        | JoinOperator::LeftAnti(c)
        | JoinOperator::RightAnti(c)
        | JoinOperator::StraightJoin(c)
        | JoinOperator::AsOf { constraint: c, .. } => Some(c),
        _ => None,
    }
}
