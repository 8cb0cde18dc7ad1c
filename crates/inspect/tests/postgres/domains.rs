//! Domains as the catalog holds them, compared with what the parser makes of the same SQL.

use super::inspect_after;
use driftless_model::QualifiedName;
use driftless_parse::{ParseOptions, parse_schema};

const DOMAINS: &str = r#"
    create table t (a int constraint d_check check (a > 0));
    create domain d int default 3 not null check (value > 0) check (VALUE < 10);
    create domain code varchar(10) collate "C" default 'none' check (value <> '') check (length(value) > 1);
    comment on domain code is 'a short code';
    create domain "bıgınt" as bigint;
    create domain f as d;
    alter domain f add check (value > 1) not valid;
    create type mood as enum ('sad', 'ok');
    create domain good_mood as mood check (value <> 'sad');
    create table film (c code, cs code[], n "bıgınt", m good_mood);
"#;

#[tokio::test]
async fn domains_read_as_the_parser_reads_their_sql() {
    let live = inspect_after(DOMAINS, &["public"]).await;
    let desired = parse_schema(DOMAINS, &ParseOptions::new(driftless_model::Dialect::Postgres)).unwrap();
    let (live, desired) = (&live.schemas["public"].domains, &desired.schemas["public"].domains);
    assert_eq!(live.keys().collect::<Vec<_>>(), desired.keys().collect::<Vec<_>>());
    for (name, domain) in live {
        assert_eq!(domain, &desired[name], "{name}");
    }
    let d = &live["d"];
    assert_eq!(d.checks.keys().collect::<Vec<_>>(), ["d_check1", "d_check2"]);
    assert_eq!(d.checks.get("d_check1").unwrap().expr.sql, "(VALUE > 0)");
    let f = &live["f"];
    assert_eq!(f.name, QualifiedName::new("public", "f"));
    assert!(f.checks.get("f_check").unwrap().not_valid);
    assert_eq!(f.default.as_ref().unwrap().sql, "3", "copied from d when f was created");
    assert_eq!(live["code"].collation.as_deref(), Some("C"));
    assert_eq!(live["bıgınt"].data_type.as_str(), "bigint");
}
