//! Table-driven tests: each case is a plan's changes against one current model, and the codes (with change
//! indexes) every analyzer reports.

use super::*;
use driftless_model::builders::{
    add_table, column, database, enum_type, foreign_key, index, keyed_table, not_null, table, unique, with_index,
};
use driftless_model::{
    Check, Column, ColumnChange, Deferrable, EnumColumn, Exclusion, ExclusionElement, Expr, ForeignKey, Index,
    IndexPart, PartitionOf, Policy, PolicyCommand, PrimaryKey, RowSecurity, Table, UniqueConstraint,
};

fn users() -> QualifiedName {
    QualifiedName::new("public", "users")
}

/// `users (id bigint primary key, email varchar(255), name text, age integer)` with an index on name.
fn current() -> Database {
    let users = keyed_table(
        "users",
        "bigint",
        [column("email", "character varying(255)"), column("name", "text"), column("age", "integer")],
    );
    database(|db| add_table(db, with_index(users, index("users_name_idx", &["name"]))))
}

fn alter(column_name: &str, from_type: &str, to_type: &str, changes: Vec<ColumnChange>) -> Change {
    Change::AlterColumn {
        table: users(),
        from: column(column_name, from_type),
        to: column(column_name, to_type),
        changes,
    }
}

fn org_key() -> ForeignKey {
    foreign_key("users_org_fkey", &["age"], "orgs", &["id"])
}

/// A named plan and the (code, change index) findings it must produce.
type Case = (&'static str, Vec<Change>, Vec<(&'static str, usize)>);

fn codes(changes: &[Change], online: OnlineOptions) -> Vec<(&'static str, usize)> {
    lint(changes, &current(), &online, &LintPolicy::default()).iter().map(|f| (f.code, f.change)).collect()
}

#[test]
fn every_analyzer_reports_its_codes() {
    let check = Check {
        not_valid: false,
        comment: None,
        name: "users_age_check".into(),
        expr: Expr::new("age > 0", "age > 0"),
        no_inherit: false,
    };
    let new_table = table("orgs", [not_null(column("id", "bigint"))]);
    let cases: Vec<Case> = vec![
        ("drop schema", vec![Change::DropSchema { name: "audit".into() }], vec![("DS101", 0)]),
        ("drop table", vec![Change::DropTable { name: users() }], vec![("DS102", 0)]),
        ("drop column", vec![Change::DropColumn { table: users(), column: "age".into() }], vec![("DS103", 0)]),
        (
            "a generated column dropped and added again loses nothing",
            vec![
                Change::DropColumn { table: users(), column: "age".into() },
                Change::AddColumn {
                    table: users(),
                    column: Column {
                        generated: Some(Box::new(Expr::new("id * 2", "id * 2"))),
                        ..column("age", "bigint")
                    },
                },
            ],
            vec![("PG302", 1)],
        ),
        (
            "unique constraint on existing rows",
            vec![Change::AddUnique {
                table: users(),
                unique: UniqueConstraint {
                    comment: None,
                    name: "users_email_key".into(),
                    columns: vec!["email".into()],
                    nulls_not_distinct: false,
                    deferrable: Default::default(),
                },
            }],
            vec![("MF101", 0), ("PG304", 0)],
        ),
        (
            "unique index on existing rows",
            vec![Change::CreateIndex { table: users(), index: unique(index("users_email_idx", &["email"])) }],
            vec![("MF101", 0), ("PG101", 0)],
        ),
        (
            "a unique index over a column added in the same plan meets no duplicates",
            vec![
                Change::AddColumn { table: users(), column: column("code", "text") },
                Change::CreateIndex { table: users(), index: unique(index("users_code_idx", &["code"])) },
            ],
            vec![("PG101", 1)],
        ),
        (
            "a primary key re-created over the same columns meets no duplicates",
            vec![
                Change::DropPrimaryKey { table: users(), name: "users_pkey".into() },
                Change::AddPrimaryKey {
                    table: users(),
                    key: PrimaryKey { comment: None, name: "users_pkey".into(), columns: vec!["id".into()] },
                },
            ],
            vec![("PG304", 1)],
        ),
        (
            "NOT NULL column without default",
            vec![Change::AddColumn { table: users(), column: not_null(column("code", "text")) }],
            vec![("MF103", 0)],
        ),
        (
            "NOT NULL column with a constant default is fine",
            vec![Change::AddColumn {
                table: users(),
                column: Column { default: Some(Box::new(Expr::new("0", "0"))), ..not_null(column("score", "integer")) },
            }],
            vec![],
        ),
        (
            "volatile default rewrites",
            vec![Change::AddColumn {
                table: users(),
                column: Column {
                    default: Some(Box::new(Expr::new("gen_random_uuid()", "gen_random_uuid()"))),
                    ..not_null(column("token", "uuid"))
                },
            }],
            vec![("PG302", 0)],
        ),
        (
            "stable default does not rewrite",
            vec![Change::AddColumn {
                table: users(),
                column: Column {
                    default: Some(Box::new(Expr::new("now()", "now()"))),
                    ..column("at", "timestamp with time zone")
                },
            }],
            vec![],
        ),
        (
            "SET NOT NULL",
            vec![alter("email", "character varying(255)", "character varying(255)", vec![ColumnChange::SetNotNull])],
            vec![("MF104", 0), ("PG303", 0)],
        ),
        (
            "narrowing type change",
            vec![alter(
                "email",
                "character varying(255)",
                "character varying(100)",
                vec![ColumnChange::Type {
                    from: "character varying(255)".into(),
                    to: "character varying(100)".into(),
                    explicit_cast: false,
                }],
            )],
            vec![("MF105", 0), ("PG301", 0)],
        ),
        (
            "widening varchar neither narrows nor rewrites",
            vec![alter(
                "email",
                "character varying(255)",
                "text",
                vec![ColumnChange::Type {
                    from: "character varying(255)".into(),
                    to: "text".into(),
                    explicit_cast: false,
                }],
            )],
            vec![],
        ),
        (
            "integer to bigint rewrites",
            vec![alter(
                "age",
                "integer",
                "bigint",
                vec![ColumnChange::Type { from: "integer".into(), to: "bigint".into(), explicit_cast: false }],
            )],
            vec![("PG301", 0)],
        ),
        (
            "renames",
            vec![
                Change::RenameTable { from: users(), to: "people".into() },
                Change::RenameColumn { table: users(), from: "name".into(), to: "full_name".into() },
            ],
            vec![("BC101", 0), ("BC102", 1)],
        ),
        (
            "constraint drops",
            vec![
                Change::DropForeignKey { table: users(), name: "users_org_fkey".into() },
                Change::DropCheck { table: users(), name: "users_age_check".into() },
                Change::DropPrimaryKey { table: users(), name: "users_pkey".into() },
                Change::DropUnique { table: users(), name: "users_email_key".into() },
            ],
            vec![("CD101", 0), ("CD102", 1), ("CD103", 2), ("CD104", 3)],
        ),
        (
            "row-level security loosened",
            vec![
                Change::DropPolicy { table: users(), name: "users_own".into() },
                Change::SetRowSecurity {
                    table: users(),
                    from: RowSecurity { enabled: true, forced: true },
                    to: RowSecurity { enabled: true, forced: false },
                },
                Change::SetRowSecurity {
                    table: users(),
                    from: RowSecurity { enabled: false, forced: false },
                    to: RowSecurity { enabled: true, forced: true },
                },
            ],
            vec![("CD105", 0), ("CD106", 1)],
        ),
        (
            "a changed policy is dropped and created again: no finding",
            vec![
                Change::DropPolicy { table: users(), name: "users_own".into() },
                Change::CreatePolicy {
                    table: users(),
                    policy: Policy {
                        name: "users_own".into(),
                        permissive: true,
                        command: PolicyCommand::All,
                        roles: vec!["public".into()],
                        using: Some(Expr::new("true", "true")),
                        with_check: None,
                        comment: None,
                    },
                },
            ],
            vec![],
        ),
        (
            "an exclusion constraint added to an existing table, and one dropped",
            vec![
                Change::AddExclusion {
                    table: users(),
                    exclusion: Exclusion {
                        comment: None,
                        name: "users_email_excl".into(),
                        method: "gist".into(),
                        elements: vec![ExclusionElement { part: IndexPart::column("email"), operator: "=".into() }],
                        include: Vec::new(),
                        predicate: None,
                        deferrable: Deferrable::NotDeferrable,
                    },
                },
                Change::DropExclusion { table: users(), name: "users_org_excl".into() },
            ],
            vec![("MF110", 0), ("PG307", 0), ("CD107", 1)],
        ),
        (
            "an existing table becomes unlogged",
            vec![Change::SetUnlogged { table: users(), unlogged: true }],
            vec![("PG308", 0)],
        ),
        (
            "a changed check is dropped and added back: no constraint drop",
            vec![
                Change::DropCheck { table: users(), name: "users_age_check".into() },
                Change::AddCheck { table: users(), check: check.clone() },
            ],
            vec![("PG305", 1)],
        ),
        (
            "foreign key and check on an existing table",
            vec![
                Change::AddForeignKey { table: users(), foreign_key: org_key() },
                Change::AddCheck { table: users(), check: check.clone() },
            ],
            vec![("PG306", 0), ("PG305", 1)],
        ),
        (
            "a new table takes no lock anyone waits for",
            vec![
                Change::CreateTable { table: new_table.clone() },
                Change::CreateIndex { table: new_table.name.clone(), index: unique(index("orgs_idx", &["id"])) },
                Change::AddForeignKey {
                    table: new_table.name.clone(),
                    foreign_key: ForeignKey { ref_table: users(), ..org_key() },
                },
            ],
            vec![],
        ),
        (
            "drop index without CONCURRENTLY",
            vec![Change::DropIndex { table: users(), name: "users_name_idx".into() }],
            vec![("PG102", 0)],
        ),
        (
            "indexes of a dropped table go with it",
            vec![
                Change::DropIndex { table: users(), name: "users_name_idx".into() },
                Change::DropForeignKey { table: users(), name: "users_org_fkey".into() },
                Change::DropTable { name: users() },
            ],
            vec![("DS102", 2)],
        ),
    ];
    for (name, changes, expected) in cases {
        assert_eq!(codes(&changes, OnlineOptions::default()), expected, "{name}");
    }
}

#[test]
fn online_forms_silence_the_hazards_they_avoid() {
    let online = OnlineOptions { concurrent_create: true, concurrent_drop: true, validate_separately: true };
    let changes = vec![
        Change::CreateIndex { table: users(), index: index("users_age_idx", &["age"]) },
        Change::DropIndex { table: users(), name: "users_name_idx".into() },
        alter("email", "character varying(255)", "character varying(255)", vec![ColumnChange::SetNotNull]),
        Change::AddForeignKey { table: users(), foreign_key: org_key() },
    ];
    assert_eq!(codes(&changes, online), [("MF104", 2)]);
}

#[test]
fn data_dependent_findings_say_what_to_count() {
    let changes = vec![
        alter("email", "character varying(255)", "character varying(255)", vec![ColumnChange::SetNotNull]),
        alter(
            "age",
            "integer",
            "smallint",
            vec![ColumnChange::Type { from: "integer".into(), to: "smallint".into(), explicit_cast: false }],
        ),
        Change::AddColumn { table: users(), column: not_null(column("code", "text")) },
        Change::CreateIndex {
            table: users(),
            index: Index {
                predicate: Some(Expr::new("age > 0", "age > 0")),
                ..unique(index("users_email_idx", &["email"]))
            },
        },
    ];
    let checks: Vec<RowCheck> = lint(&changes, &current(), &OnlineOptions::default(), &LintPolicy::default())
        .into_iter()
        .filter_map(|f| f.row_check)
        .collect();
    assert_eq!(
        checks,
        [
            RowCheck::Nulls { table: users(), column: "email".into() },
            RowCheck::OutOfRange { table: users(), column: "age".into(), min: -32768, max: 32767 },
            RowCheck::Rows { table: users() },
            RowCheck::Duplicates {
                table: users(),
                columns: vec!["email".into()],
                nulls_distinct: true,
                predicate: Some("age > 0".into())
            },
        ]
    );
}

#[test]
fn policy_levels_decide_severity_and_blocking() {
    let changes = vec![
        Change::DropTable { name: QualifiedName::new("public", "legacy") },
        Change::RenameColumn { table: users(), from: "name".into(), to: "full_name".into() },
    ];
    let findings = lint(&changes, &current(), &OnlineOptions::default(), &LintPolicy::default());
    assert_eq!(findings.iter().map(|f| f.severity).collect::<Vec<_>>(), [Severity::Error, Severity::Warning]);
    assert!(is_blocked(&findings));
    assert_eq!(findings[0].message, "table public.legacy is dropped with all its rows");

    let mut policy = LintPolicy::default();
    policy.set(Analyzer::Destructive, Level::Warn);
    policy.set(Analyzer::BackwardIncompatible, Level::Off);
    let findings = lint(&changes, &current(), &OnlineOptions::default(), &policy);
    assert_eq!(findings.len(), 1);
    assert!(!is_blocked(&findings));

    policy.set(Analyzer::BackwardIncompatible, Level::Error);
    assert!(is_blocked(&lint(&changes, &current(), &OnlineOptions::default(), &policy)));
}

#[test]
fn analyzer_names_round_trip() {
    for analyzer in Analyzer::ALL {
        assert_eq!(Analyzer::from_name(analyzer.name()), Some(analyzer));
    }
    assert_eq!(Analyzer::from_name("nonsense"), None);
}

#[test]
fn suppressed_findings_stay_visible_and_never_block() {
    use driftless_model::ObjectRef;
    let changes = vec![
        Change::DropColumn { table: users(), column: "age".into() },
        Change::DropTable { name: QualifiedName::new("public", "legacy") },
    ];
    let mut findings = lint(&changes, &current(), &OnlineOptions::default(), &LintPolicy::default());
    let on_users =
        Suppression { object: ObjectRef::Relation(users()), codes: Some(["DS103".to_string()].into()), line: 7 };
    suppress(&mut findings, &changes, &[on_users]);
    assert_eq!(
        findings.iter().map(|f| (f.code, f.suppressed)).collect::<Vec<_>>(),
        [("DS103", Some(Suppressed { line: 7 })), ("DS102", None),]
    );
    assert!(is_blocked(&findings), "the table drop is not suppressed");
    findings.truncate(1);
    assert!(!is_blocked(&findings));
}

#[test]
fn an_enum_losing_labels_counts_the_rows_holding_them_and_enum_renames_break_clients() {
    let mood = || QualifiedName::new("public", "mood");
    let converted = |name: &str, data_type: &str| EnumColumn {
        table: users(),
        column: name.into(),
        data_type: column(name, data_type).data_type,
        has_default: false,
        default: None,
    };
    let recreate = |from: &[&str], to: &[&str]| Change::RecreateEnum {
        from: enum_type("mood", from),
        to: enum_type("mood", to),
        old_name: "mood__driftless_old".into(),
        columns: vec![converted("mood", "mood"), converted("moods", "mood[]")],
    };
    let changes = vec![
        recreate(&["sad", "ok", "happy"], &["happy", "sad"]),
        // reordered only: every row converts
        recreate(&["sad", "happy"], &["happy", "sad"]),
        Change::RenameEnumValue { name: mood(), from: "sad".into(), to: "unhappy".into() },
        Change::RenameEnum { from: mood(), to: "feeling".into() },
    ];
    let findings = lint(&changes, &current(), &OnlineOptions::default(), &LintPolicy::default());
    let found: Vec<_> = findings.iter().map(|f| (f.code, f.change, f.row_check.clone())).collect();
    let labels = |column: &str, array: bool| {
        Some(RowCheck::Labels { table: users(), column: column.into(), labels: vec!["ok".into()], array })
    };
    assert_eq!(
        found,
        [
            ("MF107", 0, labels("mood", false)),
            ("MF107", 0, labels("moods", true)),
            ("BC103", 2, None),
            ("BC104", 3, None),
        ]
    );
    assert!(findings[0].message.contains("enum type public.mood loses 'ok'"), "{}", findings[0].message);
    // a row holding a removed label fails the conversion: the plan cannot succeed
    let counted = |rows| Finding { violations: Some(rows), ..findings[0].clone() };
    assert!(counted(2).certain_failure(Dialect::Postgres));
    assert!(!counted(0).certain_failure(Dialect::Postgres));
}

#[test]
fn a_dropped_partition_is_its_own_finding() {
    let partition = |name: &str, bound: &str| Table {
        partition_of: Some(PartitionOf { parent: users(), bound: bound.into() }),
        ..table(name, [])
    };
    let current = database(|db| {
        add_table(db, Table { partition_key: Some("RANGE (id)".into()), ..table("users", [column("id", "bigint")]) });
        add_table(db, partition("users_1", "FOR VALUES FROM (1) TO (100)"));
    });
    let changes = vec![Change::DropTable { name: QualifiedName::new("public", "users_1") }];
    let findings = lint(&changes, &current, &OnlineOptions::default(), &LintPolicy::default());
    assert_eq!(findings.iter().map(|f| (f.code, f.severity)).collect::<Vec<_>>(), [("DS106", Severity::Error)]);
    assert!(findings[0].message.contains("partition public.users_1 of public.users"), "{}", findings[0].message);
}
