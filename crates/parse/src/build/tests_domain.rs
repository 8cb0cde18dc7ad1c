//! Domains as PostgreSQL 15 stores them: checks by the server's names, defaults and base types as
//! `format_type` and `pg_get_expr` print them.

use crate::{ParseError, ParseOptions, parse_schema};
use driftless_model::*;

fn parse(sql: &str) -> Database {
    parse_schema(sql, &ParseOptions::new(Dialect::Postgres)).unwrap_or_else(|e| panic!("{e}"))
}

fn error(sql: &str) -> ParseError {
    parse_schema(sql, &ParseOptions::new(Dialect::Postgres)).expect_err("the SQL should be refused")
}

fn domain<'a>(db: &'a Database, name: &str) -> &'a Domain {
    &db.schemas["public"].domains[name]
}

#[test]
fn unnamed_checks_get_the_servers_names_and_pg_dump_forms_read() {
    let db = parse(
        r#"
        create table t (a int constraint d_check check (a > 0));
        create domain d int default 3 not null check (value > 0) check (VALUE < 10);
        CREATE DOMAIN public."bıgınt" AS bigint;
        ALTER DOMAIN public."bıgınt" OWNER TO postgres;
        CREATE DOMAIN public.year AS integer
            CONSTRAINT year_check CHECK (((VALUE >= 1901) AND (VALUE <= 2155)));
        create domain e as varchar(10) collate "C" default 'x';
        comment on domain e is 'short';
        create table film (release_year public.year, n "bıgınt", ys year[]);
        "#,
    );
    let d = domain(&db, "d");
    let checks: Vec<&str> = d.checks.keys().map(String::as_str).collect();
    assert_eq!(checks, ["d_check1", "d_check2"], "names avoid the table's constraint");
    assert!(d.not_null);
    assert_eq!(d.default.as_ref().unwrap().canonical, "3");
    assert_eq!(d.checks.get("d_check1").unwrap().expr, Expr::new("", canon_of("(VALUE > 0)")));
    assert_eq!(domain(&db, "bıgınt").data_type.as_str(), "bigint");
    assert_eq!(domain(&db, "year").checks.keys().collect::<Vec<_>>(), ["year_check"]);
    let e = domain(&db, "e");
    assert_eq!((e.data_type.as_str(), e.collation.as_deref()), ("character varying(10)", Some("C")));
    assert_eq!(e.default.as_ref().unwrap().canonical, canon_of("'x'::character varying"));
    assert_eq!(e.comment.as_deref(), Some("short"));
    let film = &db.schemas["public"].tables["film"];
    let types: Vec<&str> = film.columns.iter().map(|c| c.data_type.as_str()).collect();
    assert_eq!(types, ["year", "\"bıgınt\"", "year[]"]);
}

fn canon_of(sql: &str) -> String {
    crate::canon::expr(sql)
}

#[test]
fn alterations_fold_into_the_domain() {
    let db = parse(
        "create domain d as int;
         create domain f as d;
         alter domain d set default 5;
         alter domain d add constraint positive check (value > 0) not valid;
         alter domain d add check (value < 100);
         alter domain d rename constraint d_check to below_100;
         alter domain d set not null;
         alter domain d drop not null;
         create domain g as int;
         alter domain g rename to h;
         alter domain h add constraint gone check (value > 1);
         alter domain h drop constraint gone;
         alter domain h drop constraint if exists gone;",
    );
    let d = domain(&db, "d");
    assert_eq!(d.checks.keys().collect::<Vec<_>>(), ["below_100", "positive"]);
    assert!(d.checks.get("positive").unwrap().not_valid);
    assert!(!d.not_null);
    assert_eq!(domain(&db, "f").default, None, "the base's default when f was created: none");
    assert!(domain(&db, "h").checks.is_empty());
    assert!(!db.schemas["public"].domains.contains_key("g"));
    let validated = parse(
        "create domain d as int; alter domain d add constraint c check (value > 0) not valid; \
         alter domain d validate constraint c;",
    );
    assert!(!domain(&validated, "d").checks.get("c").unwrap().not_valid);
    let inherited = parse("create domain d as int default 7; create domain f as d;");
    assert_eq!(domain(&inherited, "f").default.as_ref().unwrap().canonical, "7", "copied from the base");
}

#[test]
fn what_the_model_cannot_hold_is_refused_with_its_line() {
    let named_not_null = error("create domain d as int\n  constraint nn not null;");
    assert!(named_not_null.to_string().contains("constraint name"), "{named_not_null}");
    assert!(matches!(
        error("create domain d int;\nalter domain d set schema other;"),
        ParseError::Syntax { line: 2, .. }
    ));
    assert!(
        error("create domain d int; create table t (c d); alter domain d rename to e;").to_string().contains("in use")
    );
    assert!(error("alter domain missing set not null;").to_string().contains("not declared"));
    assert!(error("create domain d int; alter domain d drop constraint nope;").to_string().contains("no check"));
}

#[test]
fn mysql_and_sqlite_refuse_domains_with_the_line() {
    for dialect in [Dialect::Mysql, Dialect::Sqlite] {
        let refused = parse_schema("create table t (a int);\ncreate domain d as int;", &ParseOptions::new(dialect))
            .expect_err("no domains outside PostgreSQL");
        assert!(refused.to_string().contains("line 2"), "{dialect:?}: {refused}");
    }
}

#[test]
fn a_quoted_type_modifier_reads_back_as_itself() {
    let db = parse(r#"create domain o as geo("x""y", Point, 4326)"#);
    let printed = domain(&db, "o").data_type.to_string();
    assert_eq!(printed, r#"geo("x""y",Point,4326)"#);
    let again = parse(&format!("create domain o as {printed}"));
    assert_eq!(domain(&again, "o").data_type.to_string(), printed);
}
