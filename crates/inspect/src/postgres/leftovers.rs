//! What an interrupted online plan leaves behind: an index whose `CREATE INDEX CONCURRENTLY` failed stays
//! in the catalog marked invalid (`pg_index.indisvalid`), unused by queries yet still maintained on every
//! write. The model has no place for that state, so such indexes are reported apart and the engine drops them
//! before building them again. (A foreign key or check whose `VALIDATE CONSTRAINT` failed is `NOT VALID` in
//! the model, which the diff validates when the desired schema wants it valid.)

use crate::InspectError;
use crate::postgres::with_relations_in_scope;
use driftless_model::QualifiedName;
use sqlx::{PgConnection, Row};

/// An object left unfinished by an interrupted online plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Leftover {
    InvalidIndex { table: QualifiedName, name: String },
}

const LEFTOVERS: &str = with_relations_in_scope!(
    "select r.nspname::text as schema, r.relname::text as table_name, i.relname::text as name
     from rel r
     join pg_index x on x.indrelid = r.oid
     join pg_class i on i.oid = x.indexrelid
     where not x.indisvalid
     order by 1, 2, 3"
);

/// Invalid indexes on the tables of the given schemas.
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
            Ok(Leftover::InvalidIndex { table, name: row.try_get("name")? })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(|source| InspectError::Query { family: "unfinished objects", source })
}
