//! Row-level security policies (`pg_policy`); whether a table has row security on is read with the table.

use super::{Catalog, Relations, expr, left_join_comment, with_relations_in_scope};
use crate::InspectError;
use driftless_model::{Database, Policy, PolicyCommand};
use sqlx::Row;
use sqlx::postgres::types::Oid;

/// Roles by name, `public` for the role oid 0 (everyone).
const POLICIES: &str = with_relations_in_scope!(
    "select r.oid as table_oid, p.polname::text as name, p.polpermissive as permissive, p.polcmd::text as command,
        array(
            select coalesce(a.rolname::text, 'public')
            from unnest(p.polroles) k(role)
            left join pg_roles a on a.oid = k.role
        ) as roles,
        pg_get_expr(p.polqual, p.polrelid) as using_expr,
        pg_get_expr(p.polwithcheck, p.polrelid) as with_check,
        dsc.description as comment
    from rel r
    join pg_policy p on p.polrelid = r.oid",
    left_join_comment!("pg_policy", "p.oid", "0")
);

pub(super) async fn read_policies(
    catalog: &mut Catalog<'_>,
    relations: &Relations,
    database: &mut Database,
) -> Result<(), InspectError> {
    catalog
        .for_each_row("policies", POLICIES, |row| {
            let name: String = row.try_get("name")?;
            let command = match row.try_get::<String, _>("command")?.as_str() {
                "r" => PolicyCommand::Select,
                "a" => PolicyCommand::Insert,
                "w" => PolicyCommand::Update,
                "d" => PolicyCommand::Delete,
                _ => PolicyCommand::All,
            };
            let mut roles: Vec<String> = row.try_get("roles")?;
            roles.sort();
            let policy = Policy {
                permissive: row.try_get("permissive")?,
                command,
                roles,
                using: row.try_get::<Option<String>, _>("using_expr")?.map(expr),
                with_check: row.try_get::<Option<String>, _>("with_check")?.map(expr),
                comment: row.try_get("comment")?,
                name,
            };
            relations.table(row.try_get::<Oid, _>("table_oid")?, database)?.policies.insert(policy);
            Ok(())
        })
        .await
}
