//! Row-level security as `pg_policy` and `pg_class` keep it.

use crate::{ParseError, ParseOptions, parse_schema};
use driftless_model::*;

fn parse(sql: &str) -> Database {
    parse_schema(sql, &ParseOptions::new(Dialect::Postgres)).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn policies_and_row_security_read_as_the_server_keeps_them() {
    let db = parse(
        "create table docs (id int, owner_name text);
         alter table docs enable row level security, force row level security;
         create policy own on docs as restrictive for update to app, \"Admin\", app using (owner_name = current_user)
             with check (id > 0);
         create policy everyone on docs for select using (true);
         create policy mixed on docs to app, public using (true);
         comment on policy own on docs is 'only yours';",
    );
    let docs = &db.schemas["public"].tables["docs"];
    assert_eq!(docs.row_security, RowSecurity { enabled: true, forced: true });
    let own = &docs.policies["own"];
    assert!(!own.permissive);
    assert_eq!(own.command, PolicyCommand::Update);
    assert_eq!(own.roles, ["Admin", "app"], "sorted, once each");
    assert_eq!(own.comment.as_deref(), Some("only yours"));
    assert!(own.with_check.is_some() && own.using.is_some());
    assert_eq!(docs.policies["everyone"].roles, ["public"]);
    assert_eq!(docs.policies["mixed"].roles, ["public"], "PUBLIC among others stands alone");
    let off = parse(
        "create table t (a int); alter table t enable row level security; alter table t disable row level security;",
    );
    assert!(off.schemas["public"].tables["t"].row_security.is_off());
}

#[test]
fn policies_the_server_would_refuse_or_resolve_are_refused_with_their_line() {
    for (sql, why) in [
        ("create policy p on t to current_user using (true)", "name the role"),
        ("create policy p on t for insert using (a > 0)", "only WITH CHECK"),
        ("create policy p on t for select with check (a > 0)", "only USING"),
        ("create policy p on missing using (true)", "not declared"),
        ("create policy p on t using (true);\ncreate policy p on t using (false)", "declared twice"),
        ("comment on policy nope on t is 'x'", "not declared"),
    ] {
        let error = parse_schema(&format!("create table t (a int);\n{sql};"), &ParseOptions::new(Dialect::Postgres))
            .expect_err(sql);
        assert!(matches!(error, ParseError::Invalid { .. } | ParseError::Unsupported { .. }), "{sql}: {error:?}");
        assert!(error.line() >= 2 && error.to_string().contains(why), "{sql}: {error}");
    }
}
