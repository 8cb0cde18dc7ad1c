//! What an interrupted online plan leaves behind: an index whose `CREATE INDEX CONCURRENTLY` failed stays
//! in the catalog marked invalid (`pg_index.indisvalid`), unused by queries yet still maintained on every
//! write; a foreign key or check whose `VALIDATE CONSTRAINT` failed stays `NOT VALID`
//! (`pg_constraint.convalidated`), enforced for new rows only. The model has no place for either state, so
//! they are reported apart and the engine drops them before building them again.

use crate::InspectError;
use crate::postgres::with_relations_in_scope;
use driftless_model::QualifiedName;
use sqlx::{PgConnection, Row};

/// An object left unfinished by an interrupted online plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Leftover {
    InvalidIndex { table: QualifiedName, name: String },
    UnvalidatedForeignKey { table: QualifiedName, name: String },
    UnvalidatedCheck { table: QualifiedName, name: String },
}

const LEFTOVERS: &str = with_relations_in_scope!(
    "select r.nspname::text as schema, r.relname::text as table_name, i.relname::text as name, 'i' as kind
     from rel r
     join pg_index x on x.indrelid = r.oid
     join pg_class i on i.oid = x.indexrelid
     where not x.indisvalid
     union all
     select r.nspname::text, r.relname::text, c.conname::text, c.contype::text
     from rel r
     join pg_constraint c on c.conrelid = r.oid
     where not c.convalidated and c.contype in ('f', 'c')
     order by 1, 2, 3"
);

/// Invalid indexes and unvalidated foreign keys and checks on the tables of the given schemas.
pub async fn leftovers_postgres(conn: &mut PgConnection, schemas: &[String]) -> Result<Vec<Leftover>, InspectError> {
    let rows = sqlx::query(LEFTOVERS)
        .bind(schemas)
        .fetch_all(conn)
        .await
        .map_err(|source| InspectError::Query { family: "unfinished objects", source })?;
    rows.iter()
        .map(|row| {
            let table =
                QualifiedName::new(row.try_get::<String, _>("schema")?, row.try_get::<String, _>("table_name")?);
            let name: String = row.try_get("name")?;
            let kind: String = row.try_get("kind")?;
            Ok(match kind.as_str() {
                "i" => Leftover::InvalidIndex { table, name },
                "f" => Leftover::UnvalidatedForeignKey { table, name },
                _ => Leftover::UnvalidatedCheck { table, name },
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(|source| InspectError::Query { family: "unfinished objects", source })
}
