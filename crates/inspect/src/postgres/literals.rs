//! The form PostgreSQL stores a typed literal in: a constant default is kept as its type's output function
//! prints it, in the session's `TimeZone` and `DateStyle` (`'2024-01-02 03:04:00'::timestamptz` comes back as
//! `'2024-01-02 03:04:00+00'`), so a desired literal is compared in the form the server would give it.

use crate::InspectError;
use sqlx::{Connection, PgConnection};

/// The output form of each of `values` read as `data_type`, in order; `None` for a value the server does
/// not read as that type (the apply reports it). `data_type` must be a built-in type's name: it is written
/// into the query, the values are bound.
pub async fn literal_output_forms(
    conn: &mut PgConnection,
    data_type: &str,
    values: &[String],
) -> Result<Vec<Option<String>>, InspectError> {
    // `format` prints with the output function, as the catalog does; a cast to text may not (`inet` keeps
    // its netmask)
    let query = format!(
        "select format('%s', cast(value as {data_type})) from unnest($1::text[]) with ordinality as given(value, n) \
         order by n"
    );
    match read_only(conn, &query, values).await {
        Ok(forms) => Ok(forms.into_iter().map(Some).collect()),
        // one value the type does not read fails them all: ask again one by one
        Err(sqlx::Error::Database(_)) => {
            let mut forms = Vec::with_capacity(values.len());
            for value in values {
                forms.push(
                    read_only(conn, &query, std::slice::from_ref(value)).await.ok().and_then(|mut form| form.pop()),
                );
            }
            Ok(forms)
        }
        Err(error) => Err(InspectError::Query { family: "literal defaults", source: error }),
    }
}

async fn read_only(conn: &mut PgConnection, query: &str, values: &[String]) -> Result<Vec<String>, sqlx::Error> {
    let mut tx = conn.begin_with("begin read only").await?;
    let forms = sqlx::query_scalar(sqlx::AssertSqlSafe(query.to_string())).bind(values).fetch_all(&mut *tx).await?;
    tx.rollback().await?;
    Ok(forms)
}
