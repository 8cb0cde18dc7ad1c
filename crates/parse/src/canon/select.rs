//! Query-level rules: the names PostgreSQL derives for select items (and prints as `AS x` anyway), column
//! qualifiers it adds, and spellings of joins, aliases and sort orders.

use super::rewrite::{cast_type_name, normalize_ident, normalize_object_name};
use super::tree::{Child, expr_children, query_children, select_children};
use crate::ident::fold;
use crate::types::catalog_type_name;
use sqlparser::ast::{
    AccessExpr, Expr, GroupByExpr, JoinOperator, ObjectNamePart, OrderByExpr, OrderByKind, OrderBySort, Query, Select,
    SelectItem, SetExpr, TableAlias, TableFactor, TableWithJoins,
};

/// How sure PostgreSQL is of a derived name (`FigureColnameInternal`'s strength): a column or function
/// name beats the type name of a cast around a constant.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Strength {
    TypeName,
    Named,
}

/// The output column name PostgreSQL derives for an expression (`FigureColname`): a column's name, a
/// function's name, `case`, `array`, a cast's type name for constants; `None` for `?column?`.
pub fn derived_name(expr: &Expr) -> Option<String> {
    derive(expr).map(|(name, _)| name)
}

fn derive(expr: &Expr) -> Option<(String, Strength)> {
    let named = |name: &str| Some((name.to_string(), Strength::Named));
    match expr {
        Expr::Identifier(ident) => Some((fold(ident), Strength::Named)),
        Expr::CompoundIdentifier(parts) => parts.last().map(|p| (fold(p), Strength::Named)),
        Expr::CompoundFieldAccess { root, access_chain } => match access_chain.last() {
            Some(AccessExpr::Dot(Expr::Identifier(field))) => Some((fold(field), Strength::Named)),
            _ => derive(root),
        },
        Expr::Function(function) => match function.name.0.last() {
            Some(ObjectNamePart::Identifier(ident)) => Some((fold(ident), Strength::Named)),
            _ => None,
        },
        Expr::Cast { expr, data_type, .. } => match derive(expr) {
            Some(found @ (_, Strength::Named)) => Some(found),
            _ => Some((catalog_type_name(&cast_type_name(data_type).into()), Strength::TypeName)),
        },
        Expr::TypedString(typed) => {
            Some((catalog_type_name(&cast_type_name(&typed.data_type).into()), Strength::TypeName))
        }
        Expr::Interval(_) => Some(("interval".into(), Strength::TypeName)),
        Expr::Nested(inner) | Expr::Collate { expr: inner, .. } => derive(inner),
        Expr::Case { .. } => Some(("case".into(), Strength::TypeName)),
        Expr::Array(_) => Some(("array".into(), Strength::TypeName)),
        Expr::Tuple(_) => Some(("row".into(), Strength::TypeName)),
        Expr::Exists { .. } => named("exists"),
        Expr::Extract { .. } => named("extract"),
        Expr::Substring { .. } => named("substring"),
        Expr::Position { .. } => named("position"),
        Expr::Overlay { .. } => named("overlay"),
        Expr::Ceil { .. } => named("ceil"),
        Expr::Floor { .. } => named("floor"),
        Expr::AtTimeZone { .. } => named("timezone"),
        Expr::Subquery(query) => match query.body.as_ref() {
            SetExpr::Select(select) => match select.projection.first() {
                Some(SelectItem::ExprWithAlias { alias, .. }) => Some((fold(alias), Strength::Named)),
                Some(SelectItem::UnnamedExpr(e)) => derive(e).map(|(name, _)| (name, Strength::Named)),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}

/// `SELECT id AS id`, `count(*) AS count`: an alias equal to the derived name says nothing, and PostgreSQL
/// prints one for every expression that is not a plain column.
pub fn drop_derived_aliases(query: &mut Query) {
    for_each_select(&mut query.body, &mut |select| {
        for item in &mut select.projection {
            // `?column?` is the name of an expression nothing names, which PostgreSQL spells out
            if let SelectItem::ExprWithAlias { expr, alias } = item
                && derived_name(expr).map_or(fold(alias) == "?column?", |name| name == fold(alias))
            {
                *item =
                    SelectItem::UnnamedExpr(std::mem::replace(expr, Expr::Value(sqlparser::ast::Value::Null.into())));
            }
        }
    });
}

/// The query-level rewrites that run once the expressions are canonical.
pub fn normalize_clauses(query: &mut Query) {
    if let Some(with) = &mut query.with {
        for cte in &mut with.cte_tables {
            normalize_alias(&mut cte.alias);
        }
    }
    if let Some(order_by) = &mut query.order_by
        && let OrderByKind::Expressions(exprs) = &mut order_by.kind
    {
        exprs.iter_mut().for_each(normalize_order);
    }
    unwrap_set_operands(&mut query.body);
    for_each_select(&mut query.body, &mut |select| {
        for item in &mut select.projection {
            if let SelectItem::ExprWithAlias { alias, .. } = item {
                *alias = normalize_ident(alias);
            }
        }
        select.from.iter_mut().for_each(normalize_from);
        expand_group_by_aliases(select);
    });
    if let (SetExpr::Select(select), Some(order_by)) = (query.body.as_ref(), &mut query.order_by)
        && let OrderByKind::Expressions(exprs) = &mut order_by.kind
    {
        exprs.iter_mut().for_each(|o| expand_alias(&mut o.expr, select));
    }
    // PostgreSQL qualifies every column (`users.id`); with one relation read, the qualifier adds nothing.
    if let SetExpr::Select(select) = query.body.as_ref() {
        if let Some(relation) = single_relation(select) {
            for child in query_children(query) {
                if let Child::Expr(e) = child {
                    unqualify(e, &relation);
                }
            }
        }
    } else {
        for_each_select(&mut query.body, &mut |select| {
            if let Some(relation) = single_relation(select) {
                let mut children = Vec::new();
                select_children(select, &mut children);
                for child in children {
                    if let Child::Expr(e) = child {
                        unqualify(e, &relation);
                    }
                }
            }
        });
    }
}

/// Calls `visit` on every SELECT of a query body, through set operations but not into sub-queries.
fn for_each_select(body: &mut SetExpr, visit: &mut impl FnMut(&mut Select)) {
    // a chain of set operations is as deep as it is long: walked with a stack of its own, left to right
    let mut stack = vec![body];
    while let Some(body) = stack.pop() {
        match body {
            SetExpr::Select(select) => visit(select),
            SetExpr::SetOperation { left, right, .. } => {
                stack.push(right);
                stack.push(left);
            }
            _ => {}
        }
    }
}

/// The name columns of the only relation a SELECT reads are qualified with (its alias, else its name).
fn single_relation(select: &Select) -> Option<String> {
    let [TableWithJoins { relation, joins }] = select.from.as_slice() else {
        return None;
    };
    if !joins.is_empty() {
        return None;
    }
    match relation {
        TableFactor::Table { alias: Some(alias), .. }
        | TableFactor::Derived { alias: Some(alias), .. }
        | TableFactor::Function { alias: Some(alias), .. } => Some(alias.name.value.clone()),
        TableFactor::Table { name, alias: None, .. } => match name.0.last() {
            Some(ObjectNamePart::Identifier(ident)) => Some(ident.value.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// `relation.column` (or `schema.relation.column`) → `column`, in this expression but not in sub-queries,
/// whose columns belong to their own relations.
fn unqualify(expr: &mut Expr, relation: &str) {
    if let Expr::CompoundIdentifier(parts) = expr {
        let qualifier = match parts.len() {
            2 => Some(&parts[0]),
            3 => Some(&parts[1]),
            _ => None,
        };
        if qualifier.is_some_and(|q| q.value == relation)
            && let Some(column) = parts.pop()
        {
            *expr = Expr::Identifier(column);
        }
        return;
    }
    for child in expr_children(expr) {
        if let Child::Expr(e) = child {
            unqualify(e, relation);
        }
    }
}

/// `(SELECT 1) UNION (SELECT 2)`: parentheses around a plain operand change nothing, and PostgreSQL drops them.
fn unwrap_set_operands(body: &mut SetExpr) {
    let mut stack = vec![body];
    while let Some(body) = stack.pop() {
        if let SetExpr::SetOperation { left, right, .. } = body {
            stack.push(right);
            stack.push(left);
            continue;
        }
        let plain_query = matches!(body, SetExpr::Query(q) if q.with.is_none() && q.order_by.is_none()
            && q.limit_clause.is_none() && q.fetch.is_none() && q.locks.is_empty());
        if plain_query {
            let taken = std::mem::replace(
                body,
                SetExpr::Values(sqlparser::ast::Values { explicit_row: false, value_keyword: false, rows: vec![] }),
            );
            if let SetExpr::Query(query) = taken {
                *body = *query.body;
            }
        }
    }
}

/// `GROUP BY event_year` where `event_year` names an output column: PostgreSQL stores (and prints) the
/// output column's expression.
fn expand_group_by_aliases(select: &mut Select) {
    let mut group_by = std::mem::replace(&mut select.group_by, GroupByExpr::Expressions(vec![], vec![]));
    if let GroupByExpr::Expressions(exprs, _) = &mut group_by {
        exprs.iter_mut().for_each(|e| expand_alias(e, select));
    }
    select.group_by = group_by;
}

/// An output column's name used as an expression (in GROUP BY or ORDER BY) becomes that column's expression.
fn expand_alias(expr: &mut Expr, select: &Select) {
    let Expr::Identifier(name) = expr else {
        return;
    };
    let aliased = select.projection.iter().find_map(|item| match item {
        SelectItem::ExprWithAlias { expr: aliased, alias } if alias.value == name.value => Some(aliased),
        _ => None,
    });
    if let Some(aliased) = aliased
        && !matches!(aliased, Expr::Identifier(column) if column.value == name.value)
    {
        *expr = aliased.clone();
    }
}

fn normalize_from(table: &mut TableWithJoins) {
    // `FROM ((a JOIN b ON ...) JOIN c ON ...)`, as pg_dump prints joins: joins are left-associative, so
    // parentheses around the left operand say nothing (those around a right operand do, and stay)
    while let TableFactor::NestedJoin { table_with_joins, alias: None } = &mut table.relation {
        let inner = table_with_joins.as_ref().clone();
        let outer_joins = std::mem::take(&mut table.joins);
        *table = inner;
        table.joins.extend(outer_joins);
    }
    normalize_factor(&mut table.relation);
    for join in &mut table.joins {
        normalize_factor(&mut join.relation);
        // PostgreSQL prints `JOIN` for INNER JOIN and drops OUTER
        let operator = std::mem::replace(&mut join.join_operator, JoinOperator::CrossApply);
        join.join_operator = match operator {
            JoinOperator::Inner(c) => JoinOperator::Join(c),
            JoinOperator::LeftOuter(c) => JoinOperator::Left(c),
            JoinOperator::RightOuter(c) => JoinOperator::Right(c),
            other => other,
        };
    }
}

fn normalize_factor(factor: &mut TableFactor) {
    match factor {
        TableFactor::Table { name, alias, .. } => {
            *name = normalize_object_name(name);
            alias.iter_mut().for_each(normalize_alias);
        }
        TableFactor::Derived { alias, .. } | TableFactor::Function { alias, .. } => {
            alias.iter_mut().for_each(normalize_alias)
        }
        TableFactor::NestedJoin { table_with_joins, alias } => {
            normalize_from(table_with_joins);
            alias.iter_mut().for_each(normalize_alias);
        }
        _ => {}
    }
}

fn normalize_alias(alias: &mut TableAlias) {
    alias.explicit = false;
    alias.name = normalize_ident(&alias.name);
}

/// `ASC` and the direction's default `NULLS` placement are what PostgreSQL leaves out.
fn normalize_order(order: &mut OrderByExpr) {
    let descending = matches!(order.options.sort, Some(OrderBySort::Desc));
    if matches!(order.options.sort, Some(OrderBySort::Asc)) {
        order.options.sort = None;
    }
    if order.options.nulls_first == Some(descending) {
        order.options.nulls_first = None;
    }
}
