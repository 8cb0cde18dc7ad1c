//! Domains, with their checks, in one query.

use super::{Catalog, collation_name, expr, left_join_comment, not_owned_by_extension};
use crate::InspectError;
use driftless_model::{DataType, Database, Domain, DomainCheck, NameMap, QualifiedName};
use sqlx::Row;
use std::collections::BTreeMap;

/// A domain's collation is its own only when it differs from its base type's (which it inherits otherwise).
/// The checks come as three arrays in one order: names, `pg_get_constraintdef` texts and validity.
const DOMAINS: &str = concat!(
    "select n.nspname::text as schema, t.typname::text as name,
        format_type(t.typbasetype, t.typtypmod) as data_type,
        t.typnotnull as not_null,
        pg_get_expr(t.typdefaultbin, 0) as default_expr,
        case when t.typcollation <> bt.typcollation then ",
    collation_name!("co", "cn"),
    " end as collation,
        array(select c.conname::text from pg_constraint c where c.contypid = t.oid and c.contype = 'c'
              order by c.oid) as check_names,
        array(select pg_get_constraintdef(c.oid) from pg_constraint c where c.contypid = t.oid and c.contype = 'c'
              order by c.oid) as check_defs,
        array(select c.convalidated from pg_constraint c where c.contypid = t.oid and c.contype = 'c'
              order by c.oid) as check_valid,
        dsc.description as comment
    from pg_type t
    join pg_namespace n on n.oid = t.typnamespace
    join pg_type bt on bt.oid = t.typbasetype
    left join (pg_collation co join pg_namespace cn on cn.oid = co.collnamespace) on co.oid = t.typcollation",
    left_join_comment!("pg_type", "t.oid", "0"),
    "where n.nspname = any($1) and t.typtype = 'd' and ",
    not_owned_by_extension!("pg_type", "t.oid")
);

pub(super) async fn read_domains(
    catalog: &mut Catalog<'_>,
    default_schema: &str,
    database: &mut Database,
) -> Result<(), InspectError> {
    let mut domains = BTreeMap::new();
    catalog
        .for_each_row("domains", DOMAINS, |row| {
            let name = QualifiedName::new(row.try_get::<String, _>("schema")?, row.try_get::<String, _>("name")?);
            let names: Vec<String> = row.try_get("check_names")?;
            let definitions: Vec<String> = row.try_get("check_defs")?;
            let valid: Vec<bool> = row.try_get("check_valid")?;
            let mut checks = NameMap::new();
            for ((check, definition), valid) in names.into_iter().zip(definitions).zip(valid) {
                let expression = check_expression(&definition).ok_or_else(|| {
                    InspectError::Catalog(format!("check {check} of domain {name}: unexpected `{definition}`"))
                })?;
                checks.insert(DomainCheck { name: check, expr: expr(expression.to_string()), not_valid: !valid });
            }
            let domain = Domain {
                data_type: DataType::new(row.try_get::<String, _>("data_type")?),
                collation: row.try_get("collation")?,
                default: row.try_get::<Option<String>, _>("default_expr")?.map(expr),
                not_null: row.try_get("not_null")?,
                checks,
                comment: row.try_get("comment")?,
                name: name.clone(),
            };
            domains.insert(name, domain);
            Ok(())
        })
        .await?;
    let roots: Vec<(QualifiedName, Option<DataType>)> =
        domains.keys().map(|name| (name.clone(), root_base(name, &domains, default_schema))).collect();
    for (name, root) in roots {
        let mut domain = domains.remove(&name).expect("read above");
        if let Some(root) = root {
            for check in domain.checks.values_mut() {
                check.expr = expr(without_value_casts(&check.expr.sql, root.as_str()));
            }
        }
        database.schema_mut(&name.schema).domains.insert(name.name.clone(), domain);
    }
    Ok(())
}

/// The expression of `CHECK (expr)` or `CHECK (expr) NOT VALID`, as `pg_get_constraintdef` prints them.
fn check_expression(definition: &str) -> Option<&str> {
    let definition = definition.strip_suffix(" NOT VALID").unwrap_or(definition);
    definition.strip_prefix("CHECK (")?.strip_suffix(')')
}

/// For a domain over another domain, the type at the bottom of the chain; `None` for a domain over a type
/// that is not a domain read here.
fn root_base(
    name: &QualifiedName,
    domains: &BTreeMap<QualifiedName, Domain>,
    default_schema: &str,
) -> Option<DataType> {
    let mut base = domains.get(name)?.data_type.clone();
    let mut over_domain = false;
    // PostgreSQL refuses cycles, and a chain is never longer than the domains read
    for _ in 0..domains.len() {
        match base.user_type(default_schema).and_then(|next| domains.get(&next)) {
            Some(next) => {
                base = next.data_type.clone();
                over_domain = true;
            }
            None => break,
        }
    }
    over_domain.then_some(base)
}

/// PostgreSQL prints `VALUE` of a domain over a domain cast to the bottom type (`(VALUE)::integer > 1` for
/// `VALUE > 1`): the cast is its own, not what was declared, so it is taken out.
fn without_value_casts(sql: &str, root: &str) -> String {
    sql.replace(&format!("(VALUE)::{root}"), "VALUE")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_definitions_and_casts_of_value_read_as_declared() {
        assert_eq!(check_expression("CHECK ((VALUE > 0))"), Some("(VALUE > 0)"));
        assert_eq!(check_expression("CHECK (((VALUE)::integer > 1)) NOT VALID"), Some("((VALUE)::integer > 1)"));
        assert_eq!(without_value_casts("((VALUE)::integer > 1)", "integer"), "(VALUE > 1)");
        let mut domains = BTreeMap::new();
        for (name, base) in [("d", "integer"), ("f", "d"), ("g", "f")] {
            let domain = Domain {
                name: QualifiedName::new("public", name),
                data_type: DataType::new(base),
                collation: None,
                default: None,
                not_null: false,
                checks: NameMap::new(),
                comment: None,
            };
            domains.insert(domain.name.clone(), domain);
        }
        let root = |name: &str| root_base(&QualifiedName::new("public", name), &domains, "public");
        assert_eq!(root("g"), Some(DataType::new("integer")));
        assert_eq!(root("d"), None);
    }
}
