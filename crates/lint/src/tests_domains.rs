//! Domain changes: the rows of every column of the domain (or of a domain over it) are in the way.

use super::*;
use driftless_model::DomainCheck;
use driftless_model::builders::{add_domain, add_table, column, database, domain, expr, table};

fn year() -> QualifiedName {
    QualifiedName::new("public", "year")
}

/// `year` over integer, `film_year` over `year`; `film (y year, fy film_year, ys year[], n integer)`.
fn current() -> Database {
    database(|db| {
        add_domain(db, domain("public.year", "integer"));
        add_domain(db, domain("public.film_year", "year"));
        add_table(
            db,
            table(
                "public.film",
                [column("y", "year"), column("fy", "film_year"), column("ys", "year[]"), column("n", "integer")],
            ),
        );
    })
}

fn findings(changes: &[Change]) -> Vec<Finding> {
    lint(changes, &current(), &OnlineOptions::default(), &LintPolicy::default())
}

#[test]
fn a_new_check_counts_the_failing_values_of_every_column_of_the_domain() {
    let check = DomainCheck { name: "year_check".into(), expr: expr("(VALUE >= 1901)"), not_valid: false };
    let found = findings(&[Change::AddDomainCheck { name: year(), check: check.clone() }]);
    let checked: Vec<(&str, Option<RowCheck>)> = found.iter().map(|f| (f.code, f.row_check.clone())).collect();
    let counting = |column: &str, array: bool| RowCheck::DomainCheck {
        table: QualifiedName::new("public", "film"),
        column: column.into(),
        expr: "(VALUE >= 1901)".into(),
        array,
    };
    assert_eq!(
        checked,
        [
            ("MF108", Some(counting("y", false))),
            ("MF108", Some(counting("fy", false))),
            ("MF108", Some(counting("ys", true)))
        ]
    );
    let mut failing = found[0].clone();
    failing.violations = Some(3);
    assert!(failing.certain_failure(Dialect::Postgres));
    let not_valid = Change::AddDomainCheck { name: year(), check: DomainCheck { not_valid: true, ..check } };
    assert!(findings(&[not_valid]).is_empty(), "NOT VALID checks no stored value");
}

#[test]
fn not_null_counts_nulls_and_a_drop_with_columns_left_is_destructive() {
    let not_null = findings(&[Change::SetDomainNotNull { name: year(), not_null: true }]);
    let codes: Vec<(&str, bool)> =
        not_null.iter().map(|f| (f.code, matches!(f.row_check, Some(RowCheck::Nulls { .. })))).collect();
    assert_eq!(codes, [("MF109", true), ("MF109", true)], "arrays hold no NULL of the domain itself");

    let drop = Change::DropDomain { name: QualifiedName::new("public", "film_year") };
    let found = findings(&[drop.clone()]);
    assert_eq!(found.iter().map(|f| (f.code, f.severity)).collect::<Vec<_>>(), [("DS105", Severity::Error)]);
    let film = QualifiedName::new("public", "film");
    let retyped = Change::AlterColumn {
        table: film.clone(),
        from: column("fy", "film_year"),
        to: column("fy", "integer"),
        changes: vec![driftless_model::ColumnChange::Type {
            from: "film_year".into(),
            to: "integer".into(),
            explicit_cast: false,
        }],
    };
    assert!(findings(&[retyped, drop]).iter().all(|f| f.code != "DS105"), "the column leaves the domain first");
}
