//! Counts the rows that would violate data-dependent changes (`driftless_lint::RowCheck`), so a finding
//! says "3 rows hold NULL" instead of "may fail". On PostgreSQL each count runs in a read-only transaction
//! bounded by [`COUNT_TIMEOUT`]; a count that fails or times out is left out (and logged), never fatal.

use driftless_lint::{Finding, RowCheck};
use driftless_model::{Dialect, QualifiedName};
use sqlx::{Connection, MySqlConnection, PgConnection, SqliteConnection};
use std::time::Duration;

/// Longest time one count may take: on a huge table the plan is shown without the number rather than late.
const COUNT_TIMEOUT: Duration = Duration::from_secs(5);

pub(crate) async fn count_violations(conn: &mut PgConnection, findings: &mut [Finding]) {
    for finding in findings {
        let Some(check) = &finding.row_check else { continue };
        let result = count(conn, &count_query(check, Dialect::Postgres)).await;
        annotate(finding, result);
    }
}

/// The same on SQLite, inside the caller's transaction when there is one (an apply's `BEGIN IMMEDIATE`):
/// counts only read, and SQLite has no statement timeout to bound them.
pub(crate) async fn count_violations_sqlite(conn: &mut SqliteConnection, findings: &mut [Finding]) {
    for finding in findings {
        let Some(check) = &finding.row_check else { continue };
        let sql = count_query(check, Dialect::Sqlite);
        let result = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql)).fetch_one(&mut *conn).await;
        annotate(finding, result.map(|rows| rows.max(0) as u64));
    }
}

/// The same on MySQL/MariaDB, each count bounded by MariaDB's `max_statement_time` (MySQL refuses that
/// clause: the count is then left out, as any failed count is).
pub(crate) async fn count_violations_mysql(conn: &mut MySqlConnection, findings: &mut [Finding]) {
    for finding in findings {
        let Some(check) = &finding.row_check else { continue };
        let sql = format!(
            "SET STATEMENT max_statement_time = {} FOR {}",
            COUNT_TIMEOUT.as_secs(),
            count_query(check, Dialect::Mysql)
        );
        let result = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql)).fetch_one(&mut *conn).await;
        annotate(finding, result.map(|rows| rows.max(0) as u64));
    }
}

/// Adds the count to the finding's message, or logs why there is none.
fn annotate(finding: &mut Finding, result: Result<u64, sqlx::Error>) {
    let Some(check) = &finding.row_check else { return };
    match result {
        Ok(rows) => {
            finding.violations = Some(rows);
            let noun = if rows == 1 { "row" } else { "rows" };
            let detail = match check {
                RowCheck::Rows { .. } => format!("the table has {rows} {noun}"),
                _ => format!("{rows} {noun} in the way now"),
            };
            finding.message = format!("{} ({detail})", finding.message);
        }
        Err(error) => tracing::warn!(code = finding.code, %error, "counting the rows a change would violate failed"),
    }
}

async fn count(conn: &mut PgConnection, sql: &str) -> Result<u64, sqlx::Error> {
    let mut tx = conn.begin_with("begin read only").await?;
    sqlx::query("select set_config('statement_timeout', $1, true)")
        .bind(format!("{}ms", COUNT_TIMEOUT.as_millis()))
        .execute(&mut *tx)
        .await?;
    // Identifiers are quoted; a partial index's predicate is the desired schema's own SQL, run read-only.
    let rows: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string())).fetch_one(&mut *tx).await?;
    tx.rollback().await?;
    Ok(rows.max(0) as u64)
}

/// The `count(*)` query for a check.
fn count_query(check: &RowCheck, dialect: Dialect) -> String {
    // PostgreSQL needs the casts; SQLite's and MySQL's functions take values of any type
    let cast = |expr: String, to: &str| if dialect == Dialect::Postgres { format!("{expr}::{to}") } else { expr };
    // a sum is numeric on PostgreSQL and decimal on MySQL; the count is read as a 64-bit integer
    let as_bigint = |expr: &str| match dialect {
        Dialect::Postgres => format!("{expr}::bigint"),
        Dialect::Mysql => format!("cast({expr} as signed)"),
        Dialect::Sqlite => expr.to_string(),
    };
    let quote_ident = |name: &str| match dialect {
        Dialect::Mysql => driftless_model::mysql::quote_ident(name),
        _ => driftless_model::quote_ident(name),
    };
    let table_name = |table: &QualifiedName| match dialect {
        Dialect::Mysql => format!("{}.{}", quote_ident(&table.schema), quote_ident(&table.name)),
        _ => table.quoted(),
    };
    // MySQL's length() counts bytes; a varchar's limit is in characters
    let length = if dialect == Dialect::Mysql { "char_length" } else { "length" };
    match check {
        RowCheck::Rows { table } => format!("select count(*) from {}", table_name(table)),
        RowCheck::Nulls { table, column } => {
            format!("select count(*) from {} where {} is null", table_name(table), quote_ident(column))
        }
        RowCheck::Duplicates { table, columns, nulls_distinct, predicate } => {
            let keys: Vec<String> = columns.iter().map(|column| quote_ident(column)).collect();
            let mut conditions: Vec<String> = Vec::new();
            if *nulls_distinct {
                conditions.extend(keys.iter().map(|key| format!("{key} is not null")));
            }
            conditions.extend(predicate.iter().map(|predicate| format!("({predicate})")));
            let filter =
                if conditions.is_empty() { String::new() } else { format!(" where {}", conditions.join(" and ")) };
            format!(
                "select {} from (select count(*) as n from {}{filter} group by {} having count(*) > 1) duplicates",
                as_bigint("coalesce(sum(n), 0)"),
                table_name(table),
                keys.join(", ")
            )
        }
        RowCheck::LongerThan { table, column, length: limit } => {
            format!(
                "select count(*) from {} where {length}({}) > {limit}",
                table_name(table),
                cast(quote_ident(column), "text")
            )
        }
        RowCheck::OutOfRange { table, column, min, max } => {
            let column = quote_ident(column);
            format!("select count(*) from {} where {column} < {min} or {column} > {max}", table_name(table))
        }
        RowCheck::TooManyDigits { table, column, digits } => format!(
            "select count(*) from {} where abs({}) >= 1e{digits}",
            table_name(table),
            cast(quote_ident(column), "numeric")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use driftless_model::QualifiedName;

    #[test]
    fn count_queries_quote_identifiers() {
        let table = QualifiedName::new("app", "Users");
        assert_eq!(
            count_query(&RowCheck::Nulls { table: table.clone(), column: "E-mail".into() }, Dialect::Postgres),
            r#"select count(*) from app."Users" where "E-mail" is null"#
        );
        let duplicates = RowCheck::Duplicates {
            table: table.clone(),
            columns: vec!["a".into(), "b".into()],
            nulls_distinct: true,
            predicate: Some("a > 0".into()),
        };
        assert_eq!(
            count_query(&duplicates, Dialect::Postgres),
            r#"select coalesce(sum(n), 0)::bigint from (select count(*) as n from app."Users" where a is not null and b is not null and (a > 0) group by a, b having count(*) > 1) duplicates"#
        );
        assert_eq!(
            count_query(&duplicates, Dialect::Sqlite),
            r#"select coalesce(sum(n), 0) from (select count(*) as n from app."Users" where a is not null and b is not null and (a > 0) group by a, b having count(*) > 1) duplicates"#
        );
        let longer = RowCheck::LongerThan { table, column: "name".into(), length: 10 };
        assert_eq!(
            count_query(&longer, Dialect::Sqlite),
            r#"select count(*) from app."Users" where length(name) > 10"#
        );
        assert_eq!(count_query(&longer, Dialect::Mysql), "select count(*) from app.Users where char_length(name) > 10");
        let nulls = RowCheck::Nulls { table: QualifiedName::new("app", "order"), column: "E-mail".into() };
        assert_eq!(count_query(&nulls, Dialect::Mysql), "select count(*) from app.`order` where `E-mail` is null");
    }
}
