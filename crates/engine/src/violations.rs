//! Counts the rows that would violate data-dependent changes (`driftless_lint::RowCheck`), so a finding
//! says "3 rows hold NULL" instead of "may fail". Each dialect's [`crate::dialect::Live::count`] runs them,
//! bounded by [`COUNT_TIMEOUT`] where the dialect can; a count that fails or times out is left out (and
//! logged), never fatal.

use crate::dialect::Rules;
use driftless_lint::{Finding, RowCheck};
use driftless_model::QualifiedName;
use std::time::Duration;

/// Longest time one count may take: on a huge table the plan is shown without the number rather than late.
pub(crate) const COUNT_TIMEOUT: Duration = Duration::from_secs(5);

/// Adds the count to the finding's message, or logs why there is none.
pub(crate) fn annotate(finding: &mut Finding, result: Result<u64, sqlx::Error>) {
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

/// The `count(*)` query for a check.
pub(crate) fn count_query(check: &RowCheck, dialect: &dyn Rules) -> String {
    let quote_ident = |name: &str| dialect.quote_ident(name);
    let table_name = |table: &QualifiedName| dialect.quote_table(table);
    let length = dialect.char_length();
    match check {
        RowCheck::Rows { table } => format!("select count(*) from {}", table_name(table)),
        RowCheck::Nulls { table, column } => {
            format!("select count(*) from {} where {} is null", table_name(table), quote_ident(column))
        }
        RowCheck::Values { table, column } => {
            format!("select count(*) from {} where {} is not null", table_name(table), quote_ident(column))
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
                dialect.as_bigint("coalesce(sum(n), 0)"),
                table_name(table),
                keys.join(", ")
            )
        }
        RowCheck::LongerThan { table, column, length: limit } => {
            format!(
                "select count(*) from {} where {length}({}) > {limit}",
                table_name(table),
                dialect.cast_for_count(quote_ident(column), "text")
            )
        }
        RowCheck::OutOfRange { table, column, min, max } => {
            let column = quote_ident(column);
            format!("select count(*) from {} where {column} < {min} or {column} > {max}", table_name(table))
        }
        RowCheck::TooManyDigits { table, column, digits } => format!(
            "select count(*) from {} where abs({}) >= 1e{digits}",
            table_name(table),
            dialect.cast_for_count(quote_ident(column), "numeric")
        ),
        // the check reads `VALUE`: each value is offered under that name, in a scope of its own so that no
        // column of the table is taken for it
        RowCheck::DomainCheck { table, column, expr, array } => {
            let value = format!("r.{}", quote_ident(column));
            let values =
                if *array { format!("select unnest({value}) as value") } else { format!("select {value} as value") };
            format!(
                "select count(*) from {} as r where exists (select from ({values}) as v where not ({expr}))",
                table_name(table)
            )
        }
        RowCheck::Labels { table, column, labels, array } => {
            labels_query(&table_name(table), quote_ident(column), labels, *array, dialect)
        }
    }
}

/// Rows holding one of an enum's labels, compared as text (the labels a plan removes may no longer be
/// valid input for the column's type by the time it counts); an array column (PostgreSQL's, as enums are)
/// counts the rows whose array holds one.
fn labels_query(table: &str, column: String, labels: &[String], array: bool, dialect: &dyn Rules) -> String {
    let listed = labels.iter().map(|label| driftless_model::quote_literal(label)).collect::<Vec<_>>().join(", ");
    if array {
        format!("select count(*) from {table} where {} && array[{listed}]", dialect.cast_for_count(column, "text[]"))
    } else {
        format!("select count(*) from {table} where {} in ({listed})", dialect.cast_for_count(column, "text"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::rules;
    use driftless_model::Dialect;

    #[test]
    fn count_queries_quote_identifiers() {
        let table = QualifiedName::new("app", "Users");
        assert_eq!(
            count_query(&RowCheck::Nulls { table: table.clone(), column: "E-mail".into() }, rules(Dialect::Postgres)),
            r#"select count(*) from app."Users" where "E-mail" is null"#
        );
        let duplicates = RowCheck::Duplicates {
            table: table.clone(),
            columns: vec!["a".into(), "b".into()],
            nulls_distinct: true,
            predicate: Some("a > 0".into()),
        };
        assert_eq!(
            count_query(&duplicates, rules(Dialect::Postgres)),
            r#"select coalesce(sum(n), 0)::bigint from (select count(*) as n from app."Users" where a is not null and b is not null and (a > 0) group by a, b having count(*) > 1) duplicates"#
        );
        assert_eq!(
            count_query(&duplicates, rules(Dialect::Sqlite)),
            r#"select coalesce(sum(n), 0) from (select count(*) as n from app."Users" where a is not null and b is not null and (a > 0) group by a, b having count(*) > 1) duplicates"#
        );
        let longer = RowCheck::LongerThan { table, column: "name".into(), length: 10 };
        assert_eq!(
            count_query(&longer, rules(Dialect::Sqlite)),
            r#"select count(*) from app."Users" where length(name) > 10"#
        );
        assert_eq!(
            count_query(&longer, rules(Dialect::Mysql)),
            "select count(*) from app.Users where char_length(name) > 10"
        );
        let nulls = RowCheck::Nulls { table: QualifiedName::new("app", "order"), column: "E-mail".into() };
        assert_eq!(
            count_query(&nulls, rules(Dialect::Mysql)),
            "select count(*) from app.`order` where `E-mail` is null"
        );
    }
}
