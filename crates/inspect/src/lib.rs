//! Reads a live database's schema into the model.

mod mysql;
mod postgres;
mod sqlite;

pub use mysql::{MYSQL_PARALLEL_FROM_TABLES, MYSQL_ROUND_TRIPS, inspect_mysql, mysql_database_collation};
pub use postgres::{Leftover, inspect_postgres, leftovers_postgres, literal_output_forms};
pub use sqlite::inspect_sqlite;

#[derive(Debug, thiserror::Error)]
pub enum InspectError {
    #[error("inspecting the database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("reading {family} from the catalog: {source}")]
    Query {
        /// The object family the failed query reads, e.g. `indexes`.
        family: &'static str,
        #[source]
        source: sqlx::Error,
    },
    #[error("unexpected catalog content: {0}")]
    Catalog(String),
}
