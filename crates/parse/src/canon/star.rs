//! `SELECT *` as PostgreSQL stores it: the parser expands every `*` and `t.*` of a view's query into the
//! columns they stand for when the view is created, and `pg_get_viewdef` prints them qualified
//! (`SELECT w.a, w.b FROM w`). The desired side expands them the same way, against the desired model's
//! columns, so that a view over `*` compares equal to what the database kept.
//!
//! Expanded: the select lists of the query (through set operations), of its CTEs and of derived tables in
//! FROM, over tables whose columns the caller knows, CTEs and derived tables with named outputs, and joins
//! (`USING` and `NATURAL` merge their columns: the join columns first, then the left side's others, then the
//! right side's, as PostgreSQL orders them). A `*` over anything else (a function, a table the model does
//! not hold, a FULL JOIN's merged columns) stays as written. With the same columns, an unqualified column over
//! several relations gets its relation's qualifier, as both servers print it.

use super::select::derived_name;
use super::tree::{Child, expr_children};
use crate::ident::{fold, printable};
use sqlparser::ast::{
    Expr, GroupByExpr, JoinConstraint, JoinOperator, ObjectName, ObjectNamePart, Query, Select, SelectItem, SetExpr,
    TableAlias, TableFactor, TableWithJoins,
};

/// The columns of a table, by its name's folded parts (`["w"]`, `["s2", "w"]`); `None` when not known.
pub type Columns<'a> = dyn Fn(&[String]) -> Option<Vec<String>> + 'a;

/// One relation in FROM: the name its columns are qualified with, and its columns.
#[derive(Clone)]
pub struct Relation {
    qualifier: String,
    columns: Vec<String>,
}

/// What a FROM item contributes: the relations `t.*` can name, and the columns of `*` with their qualifiers.
struct Scope {
    relations: Vec<Relation>,
    star: Vec<(String, String)>,
}

/// Expands the wildcards of `query`; `ctes` are the CTEs visible from outside it.
pub fn expand(query: &mut Query, columns: &Columns, ctes: &[Relation]) {
    let mut visible = ctes.to_vec();
    if let Some(with) = &mut query.with {
        for cte in &mut with.cte_tables {
            expand(&mut cte.query, columns, &visible);
            let Some(mut names) = output_names(&cte.query) else { continue };
            if !cte.alias.columns.is_empty() {
                rename(&mut names, cte.alias.columns.iter().map(|c| fold(&c.name)));
            }
            visible.push(Relation { qualifier: fold(&cte.alias.name), columns: names });
        }
    }
    expand_body(&mut query.body, columns, &visible);
}

fn expand_body(body: &mut SetExpr, columns: &Columns, ctes: &[Relation]) {
    let mut stack = vec![body];
    while let Some(body) = stack.pop() {
        match body {
            SetExpr::Select(select) => expand_select(select, columns, ctes),
            SetExpr::Query(query) => expand(query, columns, ctes),
            SetExpr::SetOperation { left, right, .. } => {
                stack.push(right);
                stack.push(left);
            }
            _ => {}
        }
    }
}

fn expand_select(select: &mut Select, columns: &Columns, ctes: &[Relation]) {
    let mut scopes = Vec::new();
    for table in &mut select.from {
        scopes.push(table_scope(table, columns, ctes));
    }
    qualify_columns(select, &scopes);
    if !select.projection.iter().any(|item| matches!(item, SelectItem::Wildcard(_) | SelectItem::QualifiedWildcard(..)))
    {
        return;
    }
    let mut projection = Vec::with_capacity(select.projection.len());
    for item in std::mem::take(&mut select.projection) {
        let expanded = match &item {
            SelectItem::Wildcard(_) => {
                let star: Option<Vec<(String, String)>> = scopes
                    .iter()
                    .map(|s| s.as_ref().map(|s| s.star.clone()))
                    .collect::<Option<Vec<_>>>()
                    .map(|stars| stars.into_iter().flatten().collect());
                star.filter(|s| !s.is_empty())
            }
            SelectItem::QualifiedWildcard(kind, _) => {
                let qualifier = match kind {
                    sqlparser::ast::SelectItemQualifiedWildcardKind::ObjectName(name) => match name.0.last() {
                        Some(ObjectNamePart::Identifier(ident)) => Some(fold(ident)),
                        _ => None,
                    },
                    _ => None,
                };
                qualifier.and_then(|q| {
                    scopes
                        .iter()
                        .flatten()
                        .flat_map(|s| &s.relations)
                        .find(|r| r.qualifier == q)
                        .map(|r| r.columns.iter().map(|c| (r.qualifier.clone(), c.clone())).collect())
                })
            }
            _ => None,
        };
        match expanded {
            Some(columns) => projection.extend(columns.into_iter().map(|(qualifier, column)| {
                SelectItem::UnnamedExpr(Expr::CompoundIdentifier(vec![printable(&qualifier), printable(&column)]))
            })),
            None => projection.push(item),
        }
    }
    select.projection = projection;
}

/// Over several relations, PostgreSQL and MariaDB print every column qualified (`SELECT d.dept_no FROM d JOIN
/// l ON ...`): an unqualified column of the select list, `ON`, `WHERE`, `GROUP BY` or `HAVING` that exactly
/// one relation has gets that relation's qualifier, when the columns of every relation are known. Sub-queries
/// keep their own scope and are not entered.
fn qualify_columns(select: &mut Select, scopes: &[Option<Scope>]) {
    let Some(scopes) = scopes.iter().map(Option::as_ref).collect::<Option<Vec<&Scope>>>() else { return };
    let relations: Vec<&Relation> = scopes.iter().flat_map(|scope| &scope.relations).collect();
    if relations.len() < 2 {
        return;
    }
    let owner = |name: &str| {
        let mut owners = relations.iter().filter(|relation| relation.columns.iter().any(|column| column == name));
        let first = owners.next()?;
        owners.next().is_none().then(|| first.qualifier.clone())
    };
    let mut stack: Vec<&mut Expr> = Vec::new();
    for item in &mut select.projection {
        if let SelectItem::UnnamedExpr(expr) | SelectItem::ExprWithAlias { expr, .. } = item {
            stack.push(expr);
        }
    }
    stack.extend(select.selection.as_mut());
    stack.extend(select.having.as_mut());
    if let GroupByExpr::Expressions(expressions, _) = &mut select.group_by {
        stack.extend(expressions.iter_mut());
    }
    for join in select.from.iter_mut().flat_map(|table| table.joins.iter_mut()) {
        if let Some(JoinConstraint::On(on)) = join_constraint(&mut join.join_operator) {
            stack.push(on);
        }
    }
    while let Some(expr) = stack.pop() {
        if let Expr::Identifier(ident) = expr {
            if let Some(qualifier) = owner(&fold(ident)) {
                *expr = Expr::CompoundIdentifier(vec![printable(&qualifier), ident.clone()]);
            }
            continue;
        }
        stack.extend(expr_children(expr).into_iter().filter_map(|child| match child {
            Child::Expr(expr) => Some(expr),
            Child::Query(_) => None,
        }));
    }
}

fn join_constraint(operator: &mut JoinOperator) -> Option<&mut JoinConstraint> {
    match operator {
        JoinOperator::Join(constraint)
        | JoinOperator::Inner(constraint)
        | JoinOperator::Left(constraint)
        | JoinOperator::LeftOuter(constraint)
        | JoinOperator::Right(constraint)
        | JoinOperator::RightOuter(constraint)
        | JoinOperator::FullOuter(constraint) => Some(constraint),
        _ => None,
    }
}

/// The scope of one FROM item with its joins; `None` when some of its columns are not known.
fn table_scope(table: &mut TableWithJoins, columns: &Columns, ctes: &[Relation]) -> Option<Scope> {
    let mut scope = factor_scope(&mut table.relation, columns, ctes);
    for join in &mut table.joins {
        let right = factor_scope(&mut join.relation, columns, ctes);
        scope = match (scope, right) {
            (Some(left), Some(right)) => {
                spell_out_natural(&mut join.join_operator, &left, &right);
                join_scopes(left, right, &join.join_operator)
            }
            _ => None,
        };
    }
    scope
}

/// PostgreSQL stores `a NATURAL JOIN b` as `a JOIN b USING (the columns they share)`.
fn spell_out_natural(operator: &mut JoinOperator, left: &Scope, right: &Scope) {
    let Some(constraint) = join_constraint(operator) else {
        return;
    };
    if !matches!(constraint, JoinConstraint::Natural) {
        return;
    }
    let shared: Vec<ObjectName> = left
        .star
        .iter()
        .filter(|(_, c)| right.star.iter().any(|(_, r)| r == c))
        .map(|(_, c)| ObjectName(vec![ObjectNamePart::Identifier(printable(c))]))
        .collect();
    if !shared.is_empty() {
        *constraint = JoinConstraint::Using(shared);
    }
}

fn join_scopes(left: Scope, right: Scope, operator: &JoinOperator) -> Option<Scope> {
    let (constraint, right_wins) = match operator {
        JoinOperator::Join(c) | JoinOperator::Inner(c) | JoinOperator::Left(c) | JoinOperator::LeftOuter(c) => {
            (c, false)
        }
        JoinOperator::Right(c) | JoinOperator::RightOuter(c) => (c, true),
        JoinOperator::CrossJoin(c) => (c, false),
        _ => return None,
    };
    let merged: Vec<String> = match constraint {
        JoinConstraint::Using(names) => names
            .iter()
            .map(|name| match name.0.last() {
                Some(ObjectNamePart::Identifier(ident)) => Some(fold(ident)),
                _ => None,
            })
            .collect::<Option<_>>()?,
        JoinConstraint::Natural => {
            left.star.iter().filter(|(_, c)| right.star.iter().any(|(_, r)| r == c)).map(|(_, c)| c.clone()).collect()
        }
        JoinConstraint::On(_) | JoinConstraint::None => Vec::new(),
        _ => return None,
    };
    let mut star = Vec::new();
    for name in &merged {
        let side = if right_wins { &right.star } else { &left.star };
        star.push(side.iter().find(|(_, c)| c == name)?.clone());
    }
    star.extend(left.star.into_iter().filter(|(_, c)| !merged.contains(c)));
    star.extend(right.star.into_iter().filter(|(_, c)| !merged.contains(c)));
    let mut relations = left.relations;
    relations.extend(right.relations);
    Some(Scope { relations, star })
}

fn factor_scope(factor: &mut TableFactor, columns: &Columns, ctes: &[Relation]) -> Option<Scope> {
    let (qualifier, mut names, alias) = match factor {
        TableFactor::Table { name, alias, args: None, .. } => {
            let parts: Vec<String> = name
                .0
                .iter()
                .map(|part| match part {
                    ObjectNamePart::Identifier(ident) => Some(fold(ident)),
                    _ => None,
                })
                .collect::<Option<_>>()?;
            let cte = (parts.len() == 1).then(|| ctes.iter().rev().find(|c| c.qualifier == parts[0])).flatten();
            let names = match cte {
                Some(cte) => cte.columns.clone(),
                None => columns(&parts)?,
            };
            (parts.last()?.clone(), names, alias.as_ref())
        }
        TableFactor::Derived { subquery, alias: Some(alias), .. } => {
            expand(subquery, columns, ctes);
            (fold(&alias.name), output_names(subquery)?, Some(&*alias))
        }
        TableFactor::NestedJoin { table_with_joins, alias: None } => {
            return table_scope(table_with_joins, columns, ctes);
        }
        _ => return None,
    };
    let qualifier = match alias {
        Some(TableAlias { name, columns: renamed, .. }) => {
            rename(&mut names, renamed.iter().map(|c| fold(&c.name)));
            fold(name)
        }
        None => qualifier,
    };
    let star = names.iter().map(|c| (qualifier.clone(), c.clone())).collect();
    Some(Scope { relations: vec![Relation { qualifier, columns: names }], star })
}

/// `AS s (x, y)`: the first columns take the listed names.
fn rename(names: &mut [String], renamed: impl Iterator<Item = String>) {
    for (name, new) in names.iter_mut().zip(renamed) {
        *name = new;
    }
}

/// The names of a query's output columns, when every one is known (its leftmost SELECT's).
pub(super) fn output_names(query: &Query) -> Option<Vec<String>> {
    let mut body = query.body.as_ref();
    loop {
        body = match body {
            SetExpr::SetOperation { left, .. } => left,
            SetExpr::Query(query) => &query.body,
            SetExpr::Select(select) => {
                return select
                    .projection
                    .iter()
                    .map(|item| match item {
                        SelectItem::UnnamedExpr(expr) => derived_name(expr),
                        SelectItem::ExprWithAlias { alias, .. } => Some(fold(alias)),
                        _ => None,
                    })
                    .collect();
            }
            _ => return None,
        };
    }
}
