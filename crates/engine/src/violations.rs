//! Counts the rows that would violate data-dependent changes (`driftless_lint::RowCheck`), so a finding
//! says "3 rows hold NULL" instead of "may fail". Each count runs in a read-only transaction bounded by
//! [`COUNT_TIMEOUT`]; a count that fails or times out is left out (and logged), never fatal.

use driftless_lint::{Finding, RowCheck};
use driftless_model::quote_ident;
use sqlx::{Connection, PgConnection};
use std::time::Duration;

/// Longest time one count may take: on a huge table the plan is shown without the number rather than late.
const COUNT_TIMEOUT: Duration = Duration::from_secs(5);

pub(crate) async fn count_violations(conn: &mut PgConnection, findings: &mut [Finding]) {
    for finding in findings {
        let Some(check) = &finding.row_check else { continue };
        let sql = count_query(check);
        match count(conn, &sql).await {
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
fn count_query(check: &RowCheck) -> String {
    match check {
        RowCheck::Rows { table } => format!("select count(*) from {}", table.quoted()),
        RowCheck::Nulls { table, column } => {
            format!("select count(*) from {} where {} is null", table.quoted(), quote_ident(column))
        }
        RowCheck::Duplicates { table, columns, nulls_distinct, predicate } => {
            let keys: Vec<String> = columns.iter().map(|column| quote_ident(column)).collect();
            let mut conditions: Vec<String> = Vec::new();
            if *nulls_distinct {
                conditions.extend(keys.iter().map(|key| format!("{key} is not null")));
            }
            conditions.extend(predicate.iter().map(|predicate| format!("({predicate})")));
            let filter = if conditions.is_empty() { String::new() } else { format!(" where {}", conditions.join(" and ")) };
            format!(
                "select coalesce(sum(n), 0)::bigint from (select count(*) as n from {}{filter} group by {} having count(*) > 1) duplicates",
                table.quoted(),
                keys.join(", ")
            )
        }
        RowCheck::LongerThan { table, column, length } => {
            format!("select count(*) from {} where length({}::text) > {length}", table.quoted(), quote_ident(column))
        }
        RowCheck::OutOfRange { table, column, min, max } => {
            let column = quote_ident(column);
            format!("select count(*) from {} where {column} < {min} or {column} > {max}", table.quoted())
        }
        RowCheck::TooManyDigits { table, column, digits } => format!(
            "select count(*) from {} where abs({}::numeric) >= 1e{digits}",
            table.quoted(),
            quote_ident(column)
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
            count_query(&RowCheck::Nulls { table: table.clone(), column: "E-mail".into() }),
            r#"select count(*) from app."Users" where "E-mail" is null"#
        );
        assert_eq!(
            count_query(&RowCheck::Duplicates {
                table,
                columns: vec!["a".into(), "b".into()],
                nulls_distinct: true,
                predicate: Some("a > 0".into()),
            }),
            r#"select coalesce(sum(n), 0)::bigint from (select count(*) as n from app."Users" where a is not null and b is not null and (a > 0) group by a, b having count(*) > 1) duplicates"#
        );
    }
}
