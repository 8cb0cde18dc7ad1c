//! Inspection of a real PostgreSQL server (start one with `scripts/test-env`): each test creates objects in a
//! fresh database, inspects it and compares the model field by field.

mod domains;
mod proxy;

use driftless_inspect::inspect_postgres;
use driftless_model::{
    ArgMode, Check, CompactString, Database, Deferrable, EnumType, Expr, Extension, ForeignKey, FunctionArg,
    FunctionKind, Identity, Index, IndexKey, IndexPart, PrimaryKey, QualifiedName, ReferentialAction, Schema, Sequence,
    SequenceOptions, Table, Trigger, TriggerAction, TriggerEvent, TriggerTiming, UniqueConstraint, Volatility,
};
use driftless_parse::canon;
use driftless_testkit::TestDb;
use proxy::RoundTripCounter;
use sqlx::{Connection, PgConnection};

/// Runs `ddl` in a fresh database and inspects `schemas` with `public` as the default schema.
async fn inspect_after(ddl: &'static str, schemas: &[&str]) -> Database {
    inspect_with_default(ddl, schemas, "public").await
}

async fn inspect_with_default(ddl: &'static str, schemas: &[&str], default_schema: &str) -> Database {
    let db = TestDb::postgres().await;
    let mut conn = db.connect().await;
    sqlx::raw_sql(ddl).execute(&mut conn).await.expect("test DDL");
    let schemas: Vec<String> = schemas.iter().map(|s| s.to_string()).collect();
    inspect_postgres(&mut conn, &schemas, default_schema).await.expect("inspection")
}

fn schema<'d>(database: &'d Database, name: &str) -> &'d Schema {
    database.schemas.get(name).unwrap_or_else(|| panic!("schema {name} missing from {:?}", database.schemas.keys()))
}

fn table<'d>(database: &'d Database, schema: &str, name: &str) -> &'d Table {
    database.table(&QualifiedName::new(schema, name)).unwrap_or_else(|| panic!("table {schema}.{name} missing"))
}

/// An expression the way inspection builds it from the text the database printed.
fn printed(sql: &str) -> Expr {
    Expr::new(sql, canon::expr(sql))
}

/// Asserts the text the database printed, not only the canonical form `Expr` equality compares.
fn assert_printed(actual: Option<&Expr>, expected: Option<&str>) {
    assert_eq!(actual.map(|e| e.sql.as_str()), expected);
    if let Some(expr) = actual {
        assert_eq!(expr.canonical, canon::expr(&expr.sql));
    }
}

fn names(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| v.to_string()).collect()
}

fn column_names(values: &[&str]) -> Vec<CompactString> {
    values.iter().map(|&v| v.into()).collect()
}

#[tokio::test]
async fn columns_have_printed_types_nullability_defaults_collations_and_comments() {
    let database = inspect_after(
        r#"
        create table items (
            id integer not null,
            gone text,
            name varchar(255) collate "C" not null default 'x',
            price numeric(10,2) default 0,
            at timestamp(3) with time zone default now(),
            at_local timestamp,
            tags integer[],
            matrix text[][],
            flag bool,
            ratio float,
            code char(3),
            "Mixed Case" int8
        );
        alter table items drop column gone;
        comment on table items is 'things for sale';
        comment on column items.name is 'display name';
        "#,
        &["public"],
    )
    .await;
    let items = table(&database, "public", "items");
    let summary: Vec<(&str, &str, bool)> =
        items.columns.iter().map(|c| (c.name.as_str(), c.data_type.as_str(), c.nullable)).collect();
    assert_eq!(
        summary,
        vec![
            ("id", "integer", false),
            ("name", "character varying(255)", false),
            ("price", "numeric(10,2)", true),
            ("at", "timestamp(3) with time zone", true),
            ("at_local", "timestamp without time zone", true),
            ("tags", "integer[]", true),
            ("matrix", "text[]", true),
            ("flag", "boolean", true),
            ("ratio", "double precision", true),
            ("code", "character(3)", true),
            ("Mixed Case", "bigint", true),
        ]
    );
    let name = items.column("name").unwrap();
    assert_printed(name.default.as_deref(), Some("'x'::character varying"));
    assert_eq!(name.collation.as_deref(), Some("C"));
    assert_eq!(name.comment.as_deref(), Some("display name"));
    assert_printed(items.column("price").unwrap().default.as_deref(), Some("0"));
    assert_printed(items.column("at").unwrap().default.as_deref(), Some("now()"));
    assert_printed(items.column("id").unwrap().default.as_deref(), None);
    assert!(items.columns.iter().all(|c| c.identity.is_none() && c.generated.is_none()));
    assert_eq!(items.columns.iter().filter(|c| c.collation.is_some()).count(), 1);
    assert_eq!(items.comment.as_deref(), Some("things for sale"));
}

#[tokio::test]
async fn identity_columns_carry_their_sequence_options_and_the_sequence_is_not_listed() {
    let database = inspect_after(
        "create table a (id bigint generated always as identity primary key);
         create table b (
             id int generated by default as identity (start with 10 increment by 5 cache 20 cycle),
             down smallint generated always as identity (increment by -1)
         );",
        &["public"],
    )
    .await;
    assert_eq!(
        table(&database, "public", "a").column("id").unwrap().identity.as_deref(),
        Some(&Identity { always: true, sequence: SequenceOptions::postgres_defaults("bigint", 1) })
    );
    let b = table(&database, "public", "b");
    assert_eq!(
        b.column("id").unwrap().identity.as_deref(),
        Some(&Identity {
            always: false,
            sequence: SequenceOptions {
                data_type: "integer".into(),
                start: 10,
                increment: 5,
                min_value: 1,
                max_value: i32::MAX as i64,
                cache: 20,
                cycle: true,
            },
        })
    );
    assert_eq!(
        b.column("down").unwrap().identity.as_deref(),
        Some(&Identity { always: true, sequence: SequenceOptions::postgres_defaults("smallint", -1) })
    );
    assert!(b.columns.iter().all(|c| !c.nullable && c.default.is_none()));
    assert!(schema(&database, "public").sequences.is_empty());
}

#[tokio::test]
async fn serial_sequences_are_owned_by_their_column_and_standalone_ones_are_listed() {
    let database = inspect_after(
        "create schema other;
         create table users (id serial primary key);
         create table other.orders (id bigserial primary key);
         create sequence other.invoice_numbers as integer increment by 2 start with 100 maxvalue 100000;
         comment on sequence other.invoice_numbers is 'invoice numbers';",
        &["public", "other"],
    )
    .await;
    let users_id = table(&database, "public", "users").column("id").unwrap();
    assert_eq!((users_id.data_type.as_str(), users_id.nullable), ("integer", false));
    assert_printed(users_id.default.as_deref(), Some("nextval('users_id_seq'::regclass)"));
    assert_printed(
        table(&database, "other", "orders").column("id").unwrap().default.as_deref(),
        Some("nextval('other.orders_id_seq'::regclass)"),
    );
    assert_eq!(
        schema(&database, "public").sequences.values().collect::<Vec<_>>(),
        vec![&Sequence {
            name: QualifiedName::new("public", "users_id_seq"),
            options: SequenceOptions::postgres_defaults("integer", 1),
            owned_by: Some(("users".into(), "id".into())),
            comment: None,
        }]
    );
    let other = schema(&database, "other");
    assert_eq!(other.sequences["orders_id_seq"].owned_by, Some(("orders".into(), "id".into())));
    assert_eq!(other.sequences["orders_id_seq"].options, SequenceOptions::postgres_defaults("bigint", 1));
    assert_eq!(
        other.sequences["invoice_numbers"],
        Sequence {
            name: QualifiedName::new("other", "invoice_numbers"),
            options: SequenceOptions {
                data_type: "integer".into(),
                start: 100,
                increment: 2,
                min_value: 1,
                max_value: 100_000,
                cache: 1,
                cycle: false,
            },
            owned_by: None,
            comment: Some("invoice numbers".into()),
        }
    );
}

#[tokio::test]
async fn stored_generated_columns_keep_their_expression_apart_from_defaults() {
    let database =
        inspect_after("create table boxes (w int, h int, area int generated always as (w * h) stored);", &["public"])
            .await;
    let area = table(&database, "public", "boxes").column("area").unwrap();
    assert_printed(area.generated.as_deref(), Some("(w * h)"));
    assert_printed(area.default.as_deref(), None);
}

#[tokio::test]
async fn constraints_are_read_with_their_options_and_their_indexes_are_not_listed() {
    let database = inspect_after(
        "create schema other;
         create table users (id bigint primary key, email text unique, org int, handle text,
             unique nulls not distinct (org, handle));
         create table other.orders (
             id int,
             user_id bigint references public.users on delete cascade on update set null
                 deferrable initially deferred,
             amount numeric check (amount > 0),
             constraint orders_pk primary key (id, user_id),
             constraint positive_id check (id > 0) no inherit,
             constraint late unique (amount) deferrable
         );",
        &["public", "other"],
    )
    .await;
    let users = table(&database, "public", "users");
    assert_eq!(
        users.primary_key,
        Some(PrimaryKey { comment: None, name: "users_pkey".into(), columns: column_names(&["id"]) })
    );
    assert_eq!(
        users.uniques.values().cloned().collect::<Vec<_>>(),
        vec![
            UniqueConstraint {
                comment: None,
                name: "users_email_key".into(),
                columns: column_names(&["email"]),
                nulls_not_distinct: false,
                deferrable: Deferrable::NotDeferrable,
            },
            UniqueConstraint {
                comment: None,
                name: "users_org_handle_key".into(),
                columns: column_names(&["org", "handle"]),
                nulls_not_distinct: true,
                deferrable: Deferrable::NotDeferrable,
            },
        ]
    );
    assert!(users.indexes.is_empty(), "constraint indexes listed: {:?}", users.indexes.keys().collect::<Vec<_>>());

    let orders = table(&database, "other", "orders");
    assert_eq!(
        orders.primary_key,
        Some(PrimaryKey { comment: None, name: "orders_pk".into(), columns: column_names(&["id", "user_id"]) })
    );
    assert_eq!(orders.uniques["late"].deferrable, Deferrable::InitiallyImmediate);
    assert_eq!(
        orders.foreign_keys.values().collect::<Vec<_>>(),
        vec![&ForeignKey {
            not_valid: false,
            match_full: false,
            comment: None,
            name: "orders_user_id_fkey".into(),
            columns: column_names(&["user_id"]),
            ref_table: QualifiedName::new("public", "users"),
            ref_columns: column_names(&["id"]),
            on_delete: ReferentialAction::Cascade,
            on_update: ReferentialAction::SetNull,
            deferrable: Deferrable::InitiallyDeferred,
        }]
    );
    assert_eq!(orders.checks.keys().collect::<Vec<_>>(), vec!["orders_amount_check", "positive_id"]);
    let amount_check = &orders.checks["orders_amount_check"];
    assert_eq!(amount_check.expr.sql, "(amount > (0)::numeric)");
    assert_eq!(
        orders.checks["positive_id"],
        Check {
            not_valid: false,
            comment: None,
            name: "positive_id".into(),
            expr: printed("(id > 0)"),
            no_inherit: true
        }
    );
    assert!(!amount_check.no_inherit);
    assert!(orders.indexes.is_empty());
}

/// Key columns come from the catalog as column numbers: a dropped column leaves a gap in them, and a table
/// outside the inspected schemas has no columns read to name them from.
#[tokio::test]
async fn key_columns_are_named_across_dropped_columns_and_schemas_not_inspected() {
    let database = inspect_after(
        "create schema billing;
         create table billing.accounts (gone int, code text, region text, primary key (region, code));
         alter table billing.accounts drop column gone;
         create table orders (old int, id int primary key, region text, code text, note text,
             foreign key (region, code) references billing.accounts (region, code));
         alter table orders drop column old;
         create index orders_note_idx on orders (note) include (code, region);",
        &["public"],
    )
    .await;
    let orders = table(&database, "public", "orders");
    assert_eq!(orders.primary_key.as_ref().map(|pk| pk.columns.clone()), Some(column_names(&["id"])));
    let foreign_key = &orders.foreign_keys["orders_region_code_fkey"];
    assert_eq!(foreign_key.columns, column_names(&["region", "code"]));
    assert_eq!(foreign_key.ref_table, QualifiedName::new("billing", "accounts"));
    assert_eq!(foreign_key.ref_columns, column_names(&["region", "code"]));
    assert_eq!(orders.indexes["orders_note_idx"].include, column_names(&["code", "region"]));
    assert_eq!(orders.columns.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["id", "region", "code", "note"]);
}

#[tokio::test]
async fn indexes_have_their_parts_method_include_and_predicate() {
    let database = inspect_after(
        r#"
        create extension pg_trgm;
        create table people (id int primary key, name text, email text, score int, bio text, code text collate "C");
        create index people_lower_name_idx on people (lower(name) desc nulls last, email text_pattern_ops)
            include (score) where score > 10;
        create index people_name_idx on people (name collate "C" desc);
        create index people_score_idx on people (score nulls first);
        create unique index people_email_key_idx on people (email) nulls not distinct;
        create index people_bio_idx on people using gin (bio gin_trgm_ops);
        comment on index people_score_idx is 'leaderboard';
        create index people_lower_code_idx on people (lower(code));
        create index people_posix_code_idx on people ((lower(code)) collate "POSIX");
        "#,
        &["public"],
    )
    .await;
    let people = table(&database, "public", "people");
    assert_eq!(
        people.indexes.keys().collect::<Vec<_>>(),
        vec![
            "people_bio_idx",
            "people_email_key_idx",
            "people_lower_code_idx",
            "people_lower_name_idx",
            "people_name_idx",
            "people_posix_code_idx",
            "people_score_idx",
        ]
    );
    let part = |key: IndexKey| IndexPart { key, descending: false, nulls_first: None, collation: None, opclass: None };
    let column = |name: &str| part(IndexKey::Column(name.into()));

    let lower_name = &people.indexes["people_lower_name_idx"];
    assert_eq!(
        lower_name.parts,
        vec![
            IndexPart {
                descending: true,
                nulls_first: Some(false),
                ..part(IndexKey::Expression(printed("lower(name)")))
            },
            IndexPart { opclass: Some("text_pattern_ops".into()), ..column("email") },
        ]
    );
    let IndexKey::Expression(key) = &lower_name.parts[0].key else { unreachable!() };
    assert_eq!(key.sql, "lower(name)");
    assert_eq!(lower_name.include, column_names(&["score"]));
    assert_printed(lower_name.predicate.as_ref(), Some("(score > 10)"));
    assert_eq!((lower_name.unique, lower_name.method.as_str()), (false, "btree"));

    assert_eq!(
        people.indexes["people_name_idx"].parts,
        vec![IndexPart { descending: true, collation: Some("C".into()), ..column("name") }]
    );
    // An expression takes its column's collation; only a different one is the index's own.
    let lower_code = || part(IndexKey::Expression(printed("lower(code)")));
    assert_eq!(people.indexes["people_lower_code_idx"].parts, vec![lower_code()]);
    assert_eq!(
        people.indexes["people_posix_code_idx"].parts,
        vec![IndexPart { collation: Some("POSIX".into()), ..lower_code() }]
    );
    let score = &people.indexes["people_score_idx"];
    assert_eq!(score.parts, vec![IndexPart { nulls_first: Some(true), ..column("score") }]);
    assert_eq!(score.comment.as_deref(), Some("leaderboard"));
    assert_eq!(
        people.indexes["people_email_key_idx"],
        Index {
            name: "people_email_key_idx".into(),
            unique: true,
            method: "btree".into(),
            parts: vec![column("email")],
            include: vec![],
            predicate: None,
            nulls_not_distinct: true,
            storage: Default::default(),
            comment: None,
        }
    );
    let bio = &people.indexes["people_bio_idx"];
    assert_eq!(bio.method, "gin");
    assert_eq!(bio.parts, vec![IndexPart { opclass: Some("gin_trgm_ops".into()), ..column("bio") }]);
}

#[tokio::test]
async fn enum_types_keep_label_order_and_user_types_are_qualified_outside_the_default_schema() {
    let ddl = "create schema other;
         create type mood as enum ('sad', 'ok', 'happy');
         alter type mood add value 'meh' before 'ok';
         create type other.color as enum ('red', 'green');
         comment on type other.color is 'paint';
         create table paintings (m mood, c other.color, cs other.color[]);";
    let database = inspect_after(ddl, &["public", "other"]).await;
    assert_eq!(
        schema(&database, "public").enums["mood"],
        EnumType {
            name: QualifiedName::new("public", "mood"),
            values: names(&["sad", "meh", "ok", "happy"]),
            comment: None
        }
    );
    assert_eq!(schema(&database, "other").enums["color"].comment.as_deref(), Some("paint"));
    let types = |database: &Database| {
        let paintings = table(database, "public", "paintings");
        paintings.columns.iter().map(|c| c.data_type.clone()).collect::<Vec<_>>()
    };
    assert_eq!(types(&database), names(&["mood", "other.color", "other.color[]"]));

    let from_other = inspect_with_default(ddl, &["public", "other"], "other").await;
    assert_eq!(types(&from_other), names(&["public.mood", "color", "color[]"]));
}

#[tokio::test]
async fn views_and_materialized_views_with_their_indexes() {
    let database = inspect_after(
        "create table users (id int primary key, email text, active bool);
         create view active_users as select id, email from users where active;
         comment on view active_users is 'who is in';
         create materialized view user_count as select count(*) as n from users;
         create unique index user_count_n_idx on user_count (n);",
        &["public"],
    )
    .await;
    let public = schema(&database, "public");
    let view = &public.views["active_users"];
    assert!(!view.materialized);
    assert_eq!(view.query.sql, "SELECT users.id,\n    users.email\n   FROM users\n  WHERE users.active");
    assert_eq!(view.query.canonical, canon::query(&view.query.sql));
    assert_eq!(view.comment.as_deref(), Some("who is in"));
    assert!(view.indexes.is_empty());

    let materialized = &public.views["user_count"];
    assert!(materialized.materialized);
    assert_eq!(materialized.query.sql, "SELECT count(*) AS n\n   FROM users");
    assert_eq!(materialized.indexes.keys().collect::<Vec<_>>(), vec!["user_count_n_idx"]);
    assert!(materialized.indexes["user_count_n_idx"].unique);
    assert!(!public.tables.contains_key("active_users"));
}

#[tokio::test]
async fn functions_and_procedures_with_arguments_results_and_attributes() {
    let database = inspect_after(
        "create schema other;
         create function add(a int, b int default 1) returns int
             language sql immutable strict as $$ select a + b $$;
         create function lookup(inout key text, out found boolean, variadic rest int[] default '{}')
             language plpgsql stable security definer as $$begin found := true; end$$;
         create function pairs() returns table(n int, label text) language sql as 'select 1, ''one''';
         create function unnamed(int, text) returns setof text language sql as 'select $2';
         create procedure other.archive(days int) language plpgsql as $$ begin null; end $$;
         comment on function add(int, int) is 'sums';",
        &["public", "other"],
    )
    .await;
    let public = schema(&database, "public");
    assert_eq!(
        public.functions.keys().collect::<Vec<_>>(),
        vec!["add(integer, integer)", "lookup(text, integer[])", "pairs()", "unnamed(integer, text)"]
    );
    let add = &public.functions["add(integer, integer)"];
    let arg = |name: Option<&str>, data_type: &str, mode: ArgMode, default: Option<&str>| FunctionArg {
        name: name.map(str::to_string),
        data_type: data_type.into(),
        mode,
        default: default.map(printed),
    };
    assert_eq!(
        add.args,
        vec![arg(Some("a"), "integer", ArgMode::In, None), arg(Some("b"), "integer", ArgMode::In, Some("1"))]
    );
    assert_eq!(
        (&add.kind, add.returns.as_str(), add.language.as_str(), add.body.as_str()),
        (&FunctionKind::Function, "integer", "sql", " select a + b ")
    );
    assert_eq!((add.volatility, add.strict, add.security_definer), (Volatility::Immutable, true, false));
    assert_eq!(add.comment.as_deref(), Some("sums"));

    let lookup = &public.functions["lookup(text, integer[])"];
    assert_eq!(
        lookup.args,
        vec![
            arg(Some("key"), "text", ArgMode::InOut, None),
            arg(Some("found"), "boolean", ArgMode::Out, None),
            arg(Some("rest"), "integer[]", ArgMode::Variadic, Some("'{}'::integer[]")),
        ]
    );
    assert_eq!(lookup.returns, "record");
    assert_eq!(lookup.body, "begin found := true; end");
    assert_eq!((lookup.volatility, lookup.strict, lookup.security_definer), (Volatility::Stable, false, true));

    let pairs = &public.functions["pairs()"];
    assert!(pairs.args.is_empty());
    assert_eq!(pairs.returns, "TABLE(n integer, label text)");

    let unnamed = &public.functions["unnamed(integer, text)"];
    assert_eq!(unnamed.args, vec![arg(None, "integer", ArgMode::In, None), arg(None, "text", ArgMode::In, None)]);
    assert_eq!(unnamed.returns, "SETOF text");

    let archive = &schema(&database, "other").functions["archive(integer)"];
    assert_eq!((&archive.kind, archive.returns.as_str()), (&FunctionKind::Procedure, ""));
    assert_eq!(archive.name, QualifiedName::new("other", "archive"));
}

#[tokio::test]
async fn triggers_decode_timing_events_condition_and_arguments() {
    let database = inspect_after(
        "create table accounts (id int, name text, email text);
         create function touch() returns trigger language plpgsql as $$ begin return new; end $$;
         create trigger accounts_touch before insert or update of email, name on accounts
             for each row when (new.name is not null) execute function touch('a', 'b c', '');
         create trigger accounts_audit after delete or truncate on accounts
             for each statement execute function touch();",
        &["public"],
    )
    .await;
    let accounts = table(&database, "public", "accounts");
    assert_eq!(
        accounts.triggers["accounts_touch"],
        Trigger {
            constraint: None,
            comment: None,
            name: "accounts_touch".into(),
            timing: TriggerTiming::Before,
            events: vec![TriggerEvent::Insert, TriggerEvent::Update { columns: column_names(&["email", "name"]) }],
            for_each_row: true,
            when: Some(printed("new.name IS NOT NULL")),
            action: TriggerAction::Function {
                function: QualifiedName::new("public", "touch"),
                args: names(&["a", "b c", ""]),
            },
        }
    );
    assert_eq!(accounts.triggers["accounts_touch"].when.as_ref().unwrap().sql, "new.name IS NOT NULL");
    assert_eq!(
        accounts.triggers["accounts_audit"],
        Trigger {
            constraint: None,
            comment: None,
            name: "accounts_audit".into(),
            timing: TriggerTiming::After,
            events: vec![TriggerEvent::Delete, TriggerEvent::Truncate],
            for_each_row: false,
            when: None,
            action: TriggerAction::Function { function: QualifiedName::new("public", "touch"), args: vec![] },
        }
    );
}

#[tokio::test]
async fn instead_of_triggers_on_views_are_not_table_triggers() {
    let database = inspect_after(
        "create table t (id int);
         create view v as select id from t;
         create function redirect() returns trigger language plpgsql as $$ begin return new; end $$;
         create trigger v_insert instead of insert on v for each row execute function redirect();",
        &["public"],
    )
    .await;
    assert!(table(&database, "public", "t").triggers.is_empty());
    assert!(schema(&database, "public").views.contains_key("v"));
}

#[tokio::test]
async fn objects_owned_by_extensions_are_left_out() {
    let database = inspect_after(
        "create schema ext;
         create extension citext;
         create extension pg_trgm schema ext;
         create table users (email citext);",
        &["public", "ext"],
    )
    .await;
    assert_eq!(
        database.extensions.values().collect::<Vec<_>>(),
        vec![
            &Extension { name: "citext".into(), schema: "public".into() },
            &Extension { name: "pg_trgm".into(), schema: "ext".into() },
        ],
        "plpgsql lives in pg_catalog, outside the requested schemas"
    );
    for schema in database.schemas.values() {
        assert!(
            schema.functions.is_empty(),
            "extension functions listed in {}: {:?}",
            schema.name,
            schema.functions.keys()
        );
        assert!(schema.enums.is_empty() && schema.sequences.is_empty() && schema.views.is_empty());
    }
    assert_eq!(schema(&database, "public").tables.keys().collect::<Vec<_>>(), vec!["users"]);
    assert_eq!(table(&database, "public", "users").column("email").unwrap().data_type, "citext");
}

#[tokio::test]
async fn only_requested_schemas_are_read_and_partitions_hold_only_what_they_declare() {
    let database = inspect_after(
        "create schema hidden;
         create schema shown;
         comment on schema shown is 'visible';
         create table hidden.secrets (id int);
         create function hidden.f() returns int language sql as 'select 1';
         create table shown.events (at date not null, id int) partition by range (at);
         create table shown.events_2024 partition of shown.events
             for values from ('2024-01-01') to ('2025-01-01');
         create index on shown.events (id);
         alter table shown.events add primary key (at, id);
         create index events_2024_own on shown.events_2024 (at);",
        &["shown", "missing"],
    )
    .await;
    assert_eq!(database.schemas.keys().collect::<Vec<_>>(), vec!["shown"]);
    let shown = schema(&database, "shown");
    assert_eq!(shown.comment.as_deref(), Some("visible"));
    assert_eq!(shown.tables.keys().collect::<Vec<_>>(), vec!["events", "events_2024"]);
    let events = &shown.tables["events"];
    assert_eq!(events.partition_key.as_deref(), Some("RANGE (at)"));
    assert_eq!(events.indexes.keys().collect::<Vec<_>>(), vec!["events_id_idx"]);
    // the partition's columns, key and attached index copy are its parent's
    let partition = &shown.tables["events_2024"];
    let of = partition.partition_of.as_ref().expect("a partition");
    assert_eq!(of.parent, QualifiedName::new("shown", "events"));
    assert_eq!(of.bound, "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')");
    assert!(partition.columns.is_empty() && partition.primary_key.is_none(), "{partition:?}");
    assert_eq!(partition.indexes.keys().collect::<Vec<_>>(), vec!["events_2024_own"]);
}

#[tokio::test]
async fn search_path_is_restored_after_inspection() {
    let db = TestDb::postgres().await;
    let mut conn = db.connect().await;
    sqlx::raw_sql("create schema other; set search_path = other, public").execute(&mut conn).await.unwrap();
    inspect_postgres(&mut conn, &names(&["public", "other"]), "public").await.unwrap();
    let search_path: String = sqlx::query_scalar("show search_path").fetch_one(&mut conn).await.unwrap();
    assert_eq!(search_path, "other, public");
}

#[tokio::test]
async fn round_trips_do_not_grow_with_the_number_of_tables() {
    let few = round_trips_to_inspect(2).await;
    let many = round_trips_to_inspect(200).await;
    assert_eq!(few, many, "round trips for 2 tables vs 200 tables");
    // BEGIN and COMMIT, then the search_path setting and sixteen family queries (schemas, extensions,
    // relations, identity sequences, columns, constraints, operator classes, collations, indexes, triggers,
    // policies, sequences, enums, domains, functions, aggregates), each prepared and then executed on a fresh
    // connection.
    assert_eq!(few, 2 + 17 * 2);
}

/// Creates `tables` tables (with a few columns, a key, an index and a check each) and counts the round trips
/// one inspection takes on a fresh connection through a counting proxy.
async fn round_trips_to_inspect(tables: usize) -> usize {
    let db = TestDb::postgres().await;
    let mut setup = db.connect().await;
    let ddl: String = (0..tables)
        .map(|n| {
            format!(
                "create table t{n} (id serial primary key, name text not null check (name <> ''), at timestamptz);
                 create index on t{n} (lower(name));"
            )
        })
        .collect();
    sqlx::raw_sql(sqlx::AssertSqlSafe(ddl)).execute(&mut setup).await.unwrap();

    let counter = RoundTripCounter::start(db.url()).await;
    let mut conn = PgConnection::connect_with(&counter.connect_options()).await.unwrap();
    let before = counter.round_trips();
    let database = inspect_postgres(&mut conn, &names(&["public"]), "public").await.unwrap();
    let round_trips = counter.round_trips() - before;
    assert_eq!(schema(&database, "public").tables.len(), tables);
    assert_eq!(schema(&database, "public").sequences.len(), tables);
    round_trips
}
