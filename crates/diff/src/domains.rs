//! Domains. The default, NOT NULL and checks are altered in place (a changed check is dropped and added
//! again, a `NOT VALID` one that should be valid is validated). A new base type or collation has no
//! `ALTER DOMAIN`: an unused domain is dropped and created again, one that columns or other domains use gets
//! `RetypeDomain`, which the planners refuse.
//!
//! Domains are created in the phase after the types (an enum can be their base), a domain over another after
//! it; they are dropped after the columns and tables that use them, dependents first, before the types.

use crate::catalog::Catalog;
use crate::impact::Impact;
use crate::steps::Steps;
use driftless_model::{Change, CommentTarget, Domain, QualifiedName};

pub(crate) fn diff_domains(current: &Catalog, desired: &Catalog, impact: &mut Impact, steps: &mut Steps) {
    let wanted_domains: Vec<(&QualifiedName, &Domain)> = desired.domains.iter().map(|(n, d)| (n, *d)).collect();
    for (name, wanted) in dependencies_first(desired, wanted_domains) {
        let Some(existing) = current.domains.get(name) else {
            create(name, wanted, steps);
            continue;
        };
        if existing.data_type != wanted.data_type || existing.collation != wanted.collation {
            if is_used(name, current) {
                steps.domains.push(Change::RetypeDomain { from: (*existing).clone(), to: wanted.clone() });
            } else {
                impact.vanishing_types.insert(name.clone());
                steps.domains.push(Change::DropDomain { name: name.clone() });
                create(name, wanted, steps);
            }
            continue;
        }
        alter(name, existing, wanted, steps);
        if existing.comment != wanted.comment {
            steps.comments.push(Change::SetComment {
                target: CommentTarget::Type { name: name.clone() },
                comment: wanted.comment.clone(),
            });
        }
    }
    let dropped: Vec<(&QualifiedName, &Domain)> =
        current.domains.iter().filter(|(name, _)| !desired.domains.contains_key(*name)).map(|(n, d)| (n, *d)).collect();
    for (name, _) in dependencies_first(current, dropped).into_iter().rev() {
        impact.vanishing_types.insert(name.clone());
        steps.drop_domains.push(Change::DropDomain { name: name.clone() });
    }
}

/// `CREATE DOMAIN` takes no `NOT VALID` check: those are added after it.
fn create(name: &QualifiedName, domain: &Domain, steps: &mut Steps) {
    let mut created = domain.clone();
    created.checks.retain(|check| !check.not_valid);
    steps.domains.push(Change::CreateDomain { domain: created });
    for check in domain.checks.values().filter(|check| check.not_valid) {
        steps.domains.push(Change::AddDomainCheck { name: name.clone(), check: check.clone() });
    }
}

/// The in-place alterations: changed and removed checks dropped first, then the default and NOT NULL, then
/// the checks added (so a replaced check never holds both versions at once).
fn alter(name: &QualifiedName, existing: &Domain, wanted: &Domain, steps: &mut Steps) {
    let mut added = Vec::new();
    for check in existing.checks.values() {
        match wanted.checks.get(&check.name) {
            Some(new) if new.expr == check.expr && new.not_valid == check.not_valid => {}
            // validating checks the stored values, as adding it would, without a moment unchecked
            Some(new) if new.expr == check.expr && check.not_valid => {
                steps.domains.push(Change::ValidateDomainCheck { name: name.clone(), check: check.name.clone() })
            }
            Some(new) => {
                steps.domains.push(Change::DropDomainCheck { name: name.clone(), check: check.name.clone() });
                added.push(new.clone());
            }
            None => steps.domains.push(Change::DropDomainCheck { name: name.clone(), check: check.name.clone() }),
        }
    }
    added.extend(wanted.checks.values().filter(|check| !existing.checks.contains_key(&check.name)).cloned());
    if existing.default != wanted.default {
        steps.domains.push(Change::SetDomainDefault { name: name.clone(), default: wanted.default.clone() });
    }
    if existing.not_null != wanted.not_null {
        steps.domains.push(Change::SetDomainNotNull { name: name.clone(), not_null: wanted.not_null });
    }
    steps.domains.extend(added.into_iter().map(|check| Change::AddDomainCheck { name: name.clone(), check }));
}

/// Whether a live column (of any table) or another live domain has the domain as its type, or an array of it.
fn is_used(name: &QualifiedName, current: &Catalog) -> bool {
    let uses =
        |data_type: &driftless_model::DataType| data_type.user_type(current.default_schema).as_ref() == Some(name);
    current.tables.values().flat_map(|table| &table.columns).any(|column| uses(&column.data_type))
        || current.domains.values().any(|domain| uses(&domain.data_type))
}

/// The domains in an order where one over another of the list comes after it. The model cannot hold a cycle
/// (PostgreSQL refuses one), so the order is complete.
fn dependencies_first<'a>(
    catalog: &Catalog,
    mut remaining: Vec<(&'a QualifiedName, &'a Domain)>,
) -> Vec<(&'a QualifiedName, &'a Domain)> {
    let mut ordered = Vec::with_capacity(remaining.len());
    while !remaining.is_empty() {
        let base_is_pending = |domain: &Domain| {
            let base = domain.data_type.user_type(catalog.default_schema);
            remaining.iter().any(|(other, _)| Some(*other) == base.as_ref())
        };
        let free = remaining.iter().position(|(_, domain)| !base_is_pending(domain)).unwrap_or(0);
        ordered.push(remaining.remove(free));
    }
    ordered
}

#[cfg(test)]
mod tests {
    use super::*;
    use driftless_model::builders::{add_domain, database, domain, expr};
    use driftless_model::{DataType, DomainCheck};

    fn check(name: &str, sql: &str, not_valid: bool) -> DomainCheck {
        DomainCheck { name: name.into(), expr: expr(sql), not_valid }
    }

    #[test]
    fn a_domain_over_another_is_created_after_it_and_dropped_before_it() {
        let both = database(|db| {
            add_domain(db, domain("public.a_outer", "inner_d"));
            add_domain(db, domain("public.inner_d", "integer"));
        });
        let empty = database(|_| {});
        let kinds = |changes: Vec<Change>| -> Vec<String> {
            changes
                .iter()
                .map(|change| match change {
                    Change::CreateDomain { domain } => format!("create {}", domain.name.name),
                    Change::DropDomain { name } => format!("drop {}", name.name),
                    other => other.kind().to_string(),
                })
                .collect()
        };
        assert_eq!(kinds(crate::diff(&empty, &both)), ["create inner_d", "create a_outer"]);
        assert_eq!(kinds(crate::diff(&both, &empty)), ["drop a_outer", "drop inner_d"]);
    }

    #[test]
    fn checks_are_altered_in_place_and_a_used_domain_is_never_retyped() {
        let mut from = domain("public.year", "integer");
        from.checks.insert(check("year_check", "(VALUE > 0)", false));
        from.checks.insert(check("year_check1", "(VALUE < 3000)", true));
        let mut to = domain("public.year", "integer");
        to.checks.insert(check("year_check", "(VALUE >= 1901)", false));
        to.checks.insert(check("year_check1", "(VALUE < 3000)", false));
        to.not_null = true;
        let current = database(|db| add_domain(db, from.clone()));
        let desired = database(|db| add_domain(db, to.clone()));
        let kinds: Vec<&str> = crate::diff(&current, &desired).iter().map(Change::kind).collect::<Vec<_>>();
        assert_eq!(kinds, ["drop_domain_check", "validate_domain_check", "set_domain_not_null", "add_domain_check"]);

        let retyped = Domain { data_type: DataType::new("bigint"), ..to.clone() };
        let unused = crate::diff(&desired, &database(|db| add_domain(db, retyped.clone())));
        assert_eq!(unused.iter().map(Change::kind).collect::<Vec<_>>(), ["drop_domain", "create_domain"]);
        let with_column = |domain: &Domain| {
            database(|db| {
                add_domain(db, domain.clone());
                driftless_model::builders::add_table(
                    db,
                    driftless_model::builders::table("public.film", [driftless_model::builders::column("y", "year")]),
                );
            })
        };
        let used = crate::diff(&with_column(&to), &with_column(&retyped));
        assert!(matches!(used.as_slice(), [Change::RetypeDomain { .. }]), "{used:?}");
    }
}
