//! SQLite plans from pairs of schemas: in-place `ALTER TABLE` where SQLite allows it, the table rebuild
//! otherwise, foreign keys inside `CREATE TABLE`.

use driftless_diff::diff;
use driftless_model::Dialect;
use driftless_parse::{ParseOptions, parse_schema};
use driftless_plan::{plan, render_schema};

fn statements(current: &str, desired: &str) -> Vec<String> {
    let options = ParseOptions::new(Dialect::Sqlite);
    let current = parse_schema(current, &options).expect("current schema parses");
    let desired = parse_schema(desired, &options).expect("desired schema parses");
    plan(diff(&current, &desired), &current).unwrap().statements.into_iter().map(|s| s.sql).collect()
}

#[test]
fn a_nullable_column_is_added_in_place() {
    assert_eq!(
        statements("create table t (id integer primary key);", "create table t (id integer primary key, note text);"),
        ["ALTER TABLE t ADD COLUMN note text"]
    );
}

#[test]
fn a_dropped_column_and_indexes_are_altered_in_place() {
    let sql = statements(
        "create table t (id integer primary key, a text, b text); create index t_a on t (a);",
        "create table t (id integer primary key, a text); create unique index t_a2 on t (a desc) where a is not null;",
    );
    assert_eq!(
        sql,
        ["DROP INDEX t_a", "CREATE UNIQUE INDEX t_a2 ON t (a DESC) WHERE a IS NOT NULL", "ALTER TABLE t DROP COLUMN b"]
    );
}

#[test]
fn a_type_or_constraint_change_rebuilds_the_table_and_keeps_the_rows_of_common_columns() {
    let sql = statements(
        "create table t (id integer primary key, a text, gone int); create index t_a on t (a);",
        "create table t (id integer primary key, a varchar(10) not null check (length(a) > 0), added int default 1);
         create index t_a on t (a);",
    );
    assert_eq!(
        sql,
        [
            "CREATE TABLE _driftless_new_t (\n  id integer,\n  a varchar(10) NOT NULL,\n  added int DEFAULT 1,\n  \
         CONSTRAINT t_pkey PRIMARY KEY (id),\n  CONSTRAINT t_check CHECK (length(a) > 0)\n)",
            "INSERT INTO _driftless_new_t (id, a) SELECT id, a FROM t",
            "DROP TABLE t",
            "ALTER TABLE _driftless_new_t RENAME TO t",
            "CREATE INDEX t_a ON t (a)",
        ]
    );
}

#[test]
fn new_tables_carry_their_foreign_keys() {
    let sql = statements(
        "",
        "create table teams (id integer primary key);
         create table users (id integer primary key, team_id integer references teams on delete cascade);",
    );
    assert_eq!(sql.len(), 2);
    assert!(
        sql[1].contains("CONSTRAINT users_team_id_fkey FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE"),
        "{sql:?}"
    );
}

#[test]
fn a_rendered_schema_reads_back_as_the_same_model() {
    let sql = "create table teams (id integer primary key, name text not null unique);
               create table users (id integer primary key, team_id integer references teams (id), score real default 0.5 check (score >= 0));
               create index users_team on users (team_id, lower(score));";
    let options = ParseOptions::new(Dialect::Sqlite);
    let model = parse_schema(sql, &options).unwrap();
    let rendered = render_schema(&model).unwrap();
    assert_eq!(parse_schema(&rendered, &options).unwrap(), model, "{rendered}");
}

#[test]
fn a_reference_to_an_undeclared_table_names_no_columns() {
    let sql = statements("", "create table r (l references later);");
    assert_eq!(sql, ["CREATE TABLE r (\n  l,\n  CONSTRAINT r_l_fkey FOREIGN KEY (l) REFERENCES later\n)"]);
}
