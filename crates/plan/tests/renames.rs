//! Rename hints from desired SQL through the diff to the plan: each case is a current schema, a desired one
//! with hints, and the statements expected (or the conflict).

use driftless_diff::{RenameConflict, Renames, diff};
use driftless_model::{Database, Dialect, NotNullNames, QualifiedName};
use driftless_parse::{ParseOptions, parse_schema, parse_schema_with_hints};
use driftless_plan::plan;
use std::collections::BTreeMap;

fn parsed(sql: &str) -> Database {
    parse_schema(sql, &ParseOptions::new(Dialect::Postgres)).expect("current schema parses")
}

fn migration(current: &str, desired: &str) -> Result<Vec<String>, RenameConflict> {
    migration_from(parsed(current), desired)
}

fn migration_from(current: Database, desired: &str) -> Result<Vec<String>, RenameConflict> {
    let options = ParseOptions::new(Dialect::Postgres);
    let desired = parse_schema_with_hints(desired, &options).expect("desired schema parses");
    let renames = Renames::resolve(&current, &desired.database, &desired.hints.renames)?;
    let renamed = renames.apply(&current);
    let mut changes = renames.changes();
    changes.extend(diff(&renamed, &desired.database));
    Ok(plan(changes, &renamed).unwrap().statements.into_iter().map(|statement| statement.sql).collect())
}

fn planned(current: &str, desired: &str) -> Vec<String> {
    migration(current, desired).expect("the hints apply")
}

#[test]
fn a_renamed_column_is_renamed_not_dropped() {
    assert_eq!(
        planned(
            "create table users (id bigint not null, username text, age integer);",
            "create table users (
               id bigint not null,
               user_name text, -- @renamed from=username
               age integer
             );"
        ),
        ["ALTER TABLE public.users RENAME COLUMN username TO user_name"]
    );
}

#[test]
fn a_renamed_column_whose_type_changes_is_renamed_then_altered() {
    assert_eq!(
        planned(
            "create table users (id bigint not null, username varchar(100), age integer);",
            "create table users (
               id bigint not null,
               -- driftless:renamed from=username
               user_name text not null,
               age integer
             );"
        ),
        [
            "ALTER TABLE public.users RENAME COLUMN username TO user_name",
            "ALTER TABLE public.users ALTER COLUMN user_name TYPE text",
            "ALTER TABLE public.users ALTER COLUMN user_name SET NOT NULL",
        ]
    );
}

#[test]
fn a_renamed_table_keeps_its_rows_and_references_follow_it() {
    assert_eq!(
        planned(
            "create table old_accounts (id bigint primary key, user_name varchar(50), old_field text);
             create table posts (id int, account_id bigint references old_accounts (id));",
            "create table accounts ( -- @renamed from=old_accounts
               id bigint primary key,
               username varchar(100) not null -- driftless:renamed from=user_name
             );
             create table posts (id int, account_id bigint references accounts (id));"
        ),
        [
            "ALTER TABLE public.old_accounts RENAME TO accounts",
            "ALTER TABLE public.accounts RENAME COLUMN user_name TO username",
            "ALTER TABLE public.accounts RENAME CONSTRAINT old_accounts_pkey TO accounts_pkey",
            "ALTER TABLE public.accounts ALTER COLUMN username TYPE character varying(100)",
            "ALTER TABLE public.accounts ALTER COLUMN username SET NOT NULL",
            "ALTER TABLE public.accounts DROP COLUMN old_field",
        ]
    );
}

#[test]
fn implicit_names_of_keys_indexes_and_serial_sequences_follow_the_rename() {
    assert_eq!(
        planned(
            "create table users (id serial primary key, username text unique, score int check (score > 0));
             create index on users (username);",
            "create table members ( -- @renamed from=users
               id serial primary key,
               login text unique, -- @renamed from=username
               score int check (score > 0)
             );
             create index on members (login);"
        ),
        [
            "ALTER TABLE public.users RENAME TO members",
            "ALTER TABLE public.members RENAME COLUMN username TO login",
            "ALTER TABLE public.members RENAME CONSTRAINT users_pkey TO members_pkey",
            "ALTER TABLE public.members RENAME CONSTRAINT users_username_key TO members_login_key",
            "ALTER TABLE public.members RENAME CONSTRAINT users_score_check TO members_score_check",
            "ALTER INDEX public.users_username_idx RENAME TO members_login_idx",
            "ALTER SEQUENCE public.users_id_seq RENAME TO members_id_seq",
        ]
    );
}

#[test]
fn implicitly_named_not_null_constraints_of_postgres_18_follow_the_rename() {
    let mut current =
        parsed("create table users (id bigint primary key, username text not null, email text not null);");
    // as PostgreSQL 18's catalog names them: two by the table and column, one by the user
    let users = current.table_mut(&QualifiedName::new("public", "users")).unwrap();
    users.not_null_names = NotNullNames(BTreeMap::from([
        ("id".into(), "users_id_not_null".into()),
        ("username".into(), "users_username_not_null".into()),
        ("email".into(), "email_required".into()),
    ]));
    let desired = "create table members ( -- @renamed from=users
           id bigint primary key,
           login text not null, -- @renamed from=username
           email text not null
         );";
    assert_eq!(
        migration_from(current, desired).unwrap(),
        [
            "ALTER TABLE public.users RENAME TO members",
            "ALTER TABLE public.members RENAME COLUMN username TO login",
            "ALTER TABLE public.members RENAME CONSTRAINT users_pkey TO members_pkey",
            "ALTER TABLE public.members RENAME CONSTRAINT users_id_not_null TO members_id_not_null",
            "ALTER TABLE public.members RENAME CONSTRAINT users_username_not_null TO members_login_not_null",
        ]
    );
}

#[test]
fn hints_whose_old_name_is_gone_are_no_ops() {
    let desired = "create table users ( -- driftless:renamed from=accounts
                     id bigint,
                     user_name text -- @renamed from=username
                   );";
    let after_the_rename = "create table users (id bigint, user_name text);";
    assert_eq!(planned(after_the_rename, desired), Vec::<String>::new());
    assert_eq!(planned("", desired), ["CREATE TABLE public.users (\n  id bigint,\n  user_name text\n)"]);
}

#[test]
fn a_hint_whose_old_name_is_still_declared_is_a_conflict() {
    // With both names in the database, the rename already ran and the hint is a no-op; with only the old
    // one, the hint cannot tell whether `username` should stay or become `user_name`.
    let both = "create table users (id bigint, username text, user_name varchar(50));";
    let desired = "create table users (
           id bigint,
           username text,
           user_name varchar(100) -- @renamed from=username
         );";
    assert_eq!(planned(both, desired), ["ALTER TABLE public.users ALTER COLUMN user_name TYPE character varying(100)"]);
    let conflict = migration(
        "create table users (id bigint, username text);",
        "create table users (
           id bigint,
           username text,
           user_name varchar(100) -- @renamed from=username
         );",
    )
    .unwrap_err();
    assert_eq!(
        conflict.to_string(),
        "line 4: cannot rename column username of public.users to user_name: username is still declared"
    );
}

#[test]
fn a_renamed_index_is_renamed_and_a_changed_one_rebuilt_under_its_new_name() {
    let current = "create table t (a int, b int); create index old_a on t (a); create index old_b on t (b);";
    let desired = "create table t (a int, b int);
         create index new_a /* @renamed from=old_a */ on t (a);
         -- driftless:renamed from=old_b
         create index new_b on t (b, a);";
    assert_eq!(
        planned(current, desired),
        [
            "ALTER INDEX public.old_a RENAME TO new_a",
            "ALTER INDEX public.old_b RENAME TO new_b",
            "DROP INDEX public.new_b",
            "CREATE INDEX new_b ON public.t (b, a)",
        ]
    );
    let renamed = "create table t (a int, b int); create index new_a on t (a); create index new_b on t (b, a);";
    assert_eq!(planned(renamed, desired), Vec::<String>::new());
}

#[test]
fn a_renamed_enum_keeps_its_columns_and_a_renamed_label_its_rows() {
    let current = "create type order_state as enum ('pending', 'shipping');
         create table orders (id int, state order_state default 'pending', history order_state[]);";
    let desired = "create type order_status /* @renamed from=order_state */ as enum (
           'pending',
           'shipped', -- @renamed from=shipping
           'delivered'
         );
         create table orders (id int, state order_status default 'pending', history order_status[]);";
    let plan = planned(current, desired);
    assert_eq!(
        plan[..3],
        [
            "ALTER TYPE public.order_state RENAME TO order_status",
            "ALTER TYPE public.order_status RENAME VALUE 'shipping' TO 'shipped'",
            "ALTER TYPE public.order_status ADD VALUE 'delivered'",
        ]
    );
    assert!(plan[3..].iter().all(|statement| statement.contains("SET DEFAULT")), "{plan:#?}");
    let renamed = "create type order_status as enum ('pending', 'shipped', 'delivered');
         create table orders (id int, state order_status default 'pending', history order_status[]);";
    assert_eq!(planned(renamed, desired), Vec::<String>::new());
}

#[test]
fn enum_and_index_hints_whose_old_name_is_still_declared_are_conflicts() {
    let current = "create type mood as enum ('sad', 'ok'); create table t (a int); create index i on t (a);";
    for (desired, message) in [
        (
            "create type mood as enum ('sad', 'ok'); create type feeling /* @renamed from=mood */ as enum ('sad');
             create table t (a int); create index i on t (a);",
            "line 1: cannot rename type public.mood to feeling: public.mood is still declared",
        ),
        (
            "create type mood as enum ('sad', 'ok', 'fine' /* @renamed from=ok */);
             create table t (a int); create index i on t (a);",
            "line 1: cannot rename label 'ok' of public.mood to 'fine': 'ok' is still declared",
        ),
        (
            "create type mood as enum ('sad', 'ok');
             create table t (a int); create index i on t (a); create index j /* @renamed from=i */ on t (a);",
            "line 2: cannot rename index i of public.t to j: i is still declared",
        ),
    ] {
        assert_eq!(migration(current, desired).unwrap_err().to_string(), message);
    }
}
