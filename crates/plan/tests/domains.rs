//! Domain changes rendered for PostgreSQL, and refused where no statement makes them.

use driftless_model::builders::{domain, expr, name};
use driftless_model::*;
use driftless_plan::{PlanError, plan};

fn statements(changes: Vec<Change>) -> Vec<String> {
    let plan = plan(changes, &Database::new(Dialect::Postgres)).unwrap();
    plan.statements.iter().map(|statement| statement.sql.to_string()).collect()
}

fn check(name: &str, sql: &str, not_valid: bool) -> DomainCheck {
    DomainCheck { name: name.into(), expr: expr(sql), not_valid }
}

#[test]
fn every_domain_change_has_its_statement() {
    let mut code = domain("app.Code", "character varying(10)");
    code.collation = Some("C".into());
    code.default = Some(expr("'none'::character varying"));
    code.not_null = true;
    code.checks.insert(check("code_check", "(VALUE <> '')", false));
    code.comment = Some("a code".into());
    let year = name("public.bıgınt");
    assert_eq!(
        statements(vec![
            Change::CreateDomain { domain: code },
            Change::SetDomainDefault { name: year.clone(), default: Some(expr("1")) },
            Change::SetDomainDefault { name: year.clone(), default: None },
            Change::SetDomainNotNull { name: year.clone(), not_null: false },
            Change::AddDomainCheck { name: year.clone(), check: check("positive", "(VALUE > 0)", true) },
            Change::ValidateDomainCheck { name: year.clone(), check: "positive".into() },
            Change::DropDomainCheck { name: year.clone(), check: "positive".into() },
            Change::DropDomain { name: year },
        ]),
        [
            "CREATE DOMAIN app.\"Code\" AS character varying(10) COLLATE \"C\" DEFAULT 'none'::character varying \
             NOT NULL CONSTRAINT code_check CHECK ((VALUE <> ''))",
            "COMMENT ON TYPE app.\"Code\" IS 'a code'",
            "ALTER DOMAIN public.\"bıgınt\" SET DEFAULT 1",
            "ALTER DOMAIN public.\"bıgınt\" DROP DEFAULT",
            "ALTER DOMAIN public.\"bıgınt\" DROP NOT NULL",
            "ALTER DOMAIN public.\"bıgınt\" ADD CONSTRAINT positive CHECK ((VALUE > 0)) NOT VALID",
            "ALTER DOMAIN public.\"bıgınt\" VALIDATE CONSTRAINT positive",
            "ALTER DOMAIN public.\"bıgınt\" DROP CONSTRAINT positive",
            "DROP DOMAIN public.\"bıgınt\"",
        ]
    );
}

#[test]
fn a_used_domain_retyped_is_refused_before_any_statement() {
    let from = domain("public.year", "integer");
    let to = domain("public.year", "bigint");
    let changes = vec![
        Change::CreateSchema { name: "app".into(), comment: None },
        Change::RetypeDomain { from: from.clone(), to: to.clone() },
    ];
    let error = plan(changes, &Database::new(Dialect::Postgres)).unwrap_err();
    let message = error.to_string();
    assert!(matches!(error, PlanError::Refused { .. }));
    assert!(message.contains("domain public.year cannot change its base type from integer to bigint"), "{message}");
    for dialect in [Dialect::Mysql, Dialect::Sqlite] {
        let create = vec![Change::CreateDomain { domain: to.clone() }];
        let error = plan(create, &Database::new(dialect)).unwrap_err();
        assert!(matches!(error, PlanError::Unsupported { .. }), "{dialect:?}: {error}");
    }
}
