use crate::InspectError;
use driftless_model::{Database, Dialect};
use sqlx::PgConnection;

/// Inspects the given schemas (those that exist) and the extensions of a PostgreSQL database.
/// `default_schema` is the one whose names are printed unqualified, as the parser does for the desired side.
pub async fn inspect_postgres(
    _conn: &mut PgConnection,
    _schemas: &[String],
    _default_schema: &str,
) -> Result<Database, InspectError> {
    Ok(Database::new(Dialect::Postgres))
}
