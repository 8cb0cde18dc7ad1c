//! Snapshots of every change kind rendered for PostgreSQL, of plans diffed from hand-built models, and of
//! hostile names.

use driftless_diff::diff;
use driftless_model::builders::*;
use driftless_model::*;
use driftless_plan::{Plan, plan, render_schema};

/// Each change's kind as a SQL comment, followed by its statements.
fn rendered(changes: Vec<Change>) -> String {
    script_by_change(&plan(changes, &Database::new(Dialect::Postgres)).unwrap())
}

fn script_by_change(plan: &Plan) -> String {
    let mut out = String::new();
    for (index, change) in plan.changes.iter().enumerate() {
        out.push_str(&format!("-- {}\n", change.kind()));
        for statement in plan.statements.iter().filter(|s| s.change == index) {
            out.push_str(&format!("{};\n", statement.sql));
        }
    }
    out
}

fn diffed(current: &Database, desired: &Database) -> String {
    rendered(diff(current, desired))
}

fn identity(always: bool, data_type: &str) -> Identity {
    Identity { always, sequence: SequenceOptions::postgres_defaults(data_type, 1) }
}

/// A table with every column feature, constraint kind and comment.
fn rich_table() -> Table {
    let mut id = not_null(column("id", "bigint"));
    id.identity = Some(Box::new(Identity {
        always: true,
        sequence: SequenceOptions { start: 1000, cache: 20, ..SequenceOptions::postgres_defaults("bigint", 1) },
    }));
    let mut email = not_null(column("email", "character varying(255)"));
    email.collation = Some("C".into());
    email.comment = Some("login, unique per tenant".into());
    let mut created = not_null(column("created_at", "timestamp with time zone"));
    created.default = Some(Box::new(expr("now()")));
    let mut total = column("total", "numeric(10,2)");
    total.generated = Some(Box::new(expr("price * quantity")));
    let mut t = Table { comment: Some("people's accounts".into()), ..keyed_table("accounts", "bigint", vec![]) };
    t.columns = vec![
        id,
        email,
        column("tenant_id", "integer"),
        created,
        column("price", "numeric(10,2)"),
        column("quantity", "integer"),
        total,
        column("user", "text"),
    ];
    t.uniques.insert(UniqueConstraint {
        comment: None,
        name: "accounts_tenant_id_email_key".into(),
        columns: vec!["tenant_id".into(), "email".into()],
        nulls_not_distinct: true,
        deferrable: Deferrable::InitiallyDeferred,
    });
    t.checks.insert(Check {
        not_valid: false,
        comment: None,
        name: "accounts_price_check".into(),
        expr: expr("price > 0"),
        no_inherit: false,
    });
    t.checks.insert(Check {
        not_valid: false,
        comment: None,
        name: "accounts_quantity_check".into(),
        expr: expr("quantity >= 0"),
        no_inherit: true,
    });
    t
}

fn rich_index() -> Index {
    Index {
        name: "accounts_search_idx".into(),
        unique: true,
        method: "btree".into(),
        parts: vec![
            IndexPart {
                key: IndexKey::Expression(expr("lower(email)")),
                descending: true,
                nulls_first: Some(false),
                collation: Some("C".into()),
                opclass: Some("text_pattern_ops".into()),
            },
            IndexPart {
                key: IndexKey::Column("tenant_id".into()),
                descending: false,
                nulls_first: Some(true),
                collation: None,
                opclass: None,
            },
        ],
        include: vec!["created_at".into()],
        predicate: Some(expr("tenant_id IS NOT NULL")),
        nulls_not_distinct: true,
        storage: Default::default(),
        comment: Some("case-insensitive search".into()),
    }
}

fn rich_function() -> Function {
    Function {
        args: vec![
            FunctionArg { name: Some("a".into()), data_type: "integer".into(), mode: ArgMode::In, default: None },
            FunctionArg {
                name: Some("b".into()),
                data_type: "text".into(),
                mode: ArgMode::In,
                default: Some(expr("'x'")),
            },
            FunctionArg { name: Some("total".into()), data_type: "bigint".into(), mode: ArgMode::Out, default: None },
        ],
        volatility: Volatility::Stable,
        strict: true,
        security_definer: true,
        parallel: Parallel::Safe,
        cost: "5".into(),
        config: vec!["search_path=app, pg_temp".into()],
        comment: Some("adds things".into()),
        ..function("app.add_things", "bigint", "BEGIN total := a + length(b); END")
    }
}

#[test]
fn tables_columns_and_constraints() {
    let table = name("accounts");
    let mut recolumn = column("score", "text");
    recolumn.comment = Some("it's new".into());
    let changes = vec![
        Change::CreateTable { table: rich_table() },
        Change::DropTable { name: table.clone() },
        Change::RenameTable { from: table.clone(), to: "users".into() },
        Change::AddColumn { table: table.clone(), column: recolumn.clone() },
        Change::DropColumn { table: table.clone(), column: "score".into() },
        Change::RenameColumn { table: table.clone(), from: "score".into(), to: "points".into() },
        Change::AddPrimaryKey {
            table: table.clone(),
            key: PrimaryKey {
                comment: None,
                name: "accounts_pkey".into(),
                columns: vec!["id".into(), "tenant_id".into()],
            },
        },
        Change::DropPrimaryKey { table: table.clone(), name: "accounts_pkey".into() },
        Change::AddUnique { table: table.clone(), unique: rich_table().uniques.into_values().next().unwrap() },
        Change::DropUnique { table: table.clone(), name: "accounts_tenant_id_email_key".into() },
        Change::AddForeignKey {
            table: table.clone(),
            foreign_key: ForeignKey {
                on_delete: ReferentialAction::Cascade,
                on_update: ReferentialAction::SetNull,
                deferrable: Deferrable::InitiallyImmediate,
                ..foreign_key("accounts_tenant_id_fkey", &["tenant_id"], "app.tenants", &["id"])
            },
        },
        Change::DropForeignKey { table: table.clone(), name: "accounts_tenant_id_fkey".into() },
        Change::AddCheck {
            table: table.clone(),
            check: Check {
                not_valid: false,
                comment: None,
                name: "accounts_price_check".into(),
                expr: expr("price > 0"),
                no_inherit: false,
            },
        },
        Change::DropCheck { table: table.clone(), name: "accounts_price_check".into() },
        Change::CreateIndex { table: table.clone(), index: rich_index() },
        Change::CreateIndex {
            table: table.clone(),
            index: Index { method: "gin".into(), ..index("accounts_tags_idx", &["tags"]) },
        },
        Change::DropIndex { table: table.clone(), name: "accounts_search_idx".into() },
    ];
    insta::assert_snapshot!(rendered(changes));
}

#[test]
fn column_alterations() {
    let table = name("accounts");
    let from = column("score", "text");
    let alter = |to: Column, changes: Vec<ColumnChange>| Change::AlterColumn {
        table: table.clone(),
        from: from.clone(),
        to,
        changes,
    };
    let mut with_identity = not_null(column("score", "integer"));
    with_identity.identity = Some(Box::new(identity(false, "integer")));
    let changes = vec![
        alter(
            column("score", "integer"),
            vec![ColumnChange::Type { from: "text".into(), to: "integer".into(), explicit_cast: true }],
        ),
        alter(
            Column { collation: Some("en_US".into()), ..column("score", "character varying(20)") },
            vec![ColumnChange::Type { from: "text".into(), to: "character varying(20)".into(), explicit_cast: false }],
        ),
        alter(
            Column { collation: Some("C".into()), ..column("score", "text") },
            vec![ColumnChange::Collation { from: None, to: Some("C".into()) }],
        ),
        alter(column("score", "text"), vec![ColumnChange::Collation { from: Some("C".into()), to: None }]),
        alter(
            not_null(column("score", "text")),
            vec![
                ColumnChange::DropDefault,
                ColumnChange::SetNotNull,
                ColumnChange::SetDefault { default: expr("'n/a'::text") },
            ],
        ),
        alter(column("score", "text"), vec![ColumnChange::DropNotNull, ColumnChange::DropGenerated]),
        alter(
            with_identity.clone(),
            vec![ColumnChange::AddIdentity {
                identity: Identity {
                    always: true,
                    sequence: SequenceOptions {
                        increment: 5,
                        cycle: true,
                        ..SequenceOptions::postgres_defaults("integer", 5)
                    },
                },
            }],
        ),
        alter(
            with_identity.clone(),
            vec![ColumnChange::AlterIdentity {
                from: identity(false, "integer"),
                to: Identity {
                    always: true,
                    sequence: SequenceOptions {
                        start: 100,
                        max_value: 1000,
                        ..SequenceOptions::postgres_defaults("integer", 1)
                    },
                },
            }],
        ),
        alter(column("score", "integer"), vec![ColumnChange::DropIdentity]),
    ];
    insta::assert_snapshot!(rendered(changes));
}

#[test]
fn schemas_extensions_types_and_sequences() {
    let mood = enum_type("mood", &["sad", "it's ok", "happy"]);
    let sequence = Sequence {
        name: name("app.tickets"),
        options: SequenceOptions {
            start: 100,
            increment: 10,
            cache: 5,
            ..SequenceOptions::postgres_defaults("integer", 10)
        },
        owned_by: None,
        comment: Some("ticket numbers".into()),
    };
    let changes = vec![
        Change::CreateSchema { name: "app".into(), comment: Some("application".into()) },
        Change::CreateSchema { name: "Reporting".into(), comment: None },
        Change::DropSchema { name: "app".into() },
        Change::CreateExtension { extension: Extension { name: "uuid-ossp".into(), schema: "public".into() } },
        Change::SetExtensionSchema { name: "citext".into(), schema: "app".into() },
        Change::DropExtension { name: "citext".into() },
        Change::CreateEnum { enum_type: EnumType { comment: Some("how people feel".into()), ..mood.clone() } },
        Change::AddEnumValue { name: name("mood"), value: "meh".into(), before: Some("happy".into()) },
        Change::AddEnumValue { name: name("mood"), value: "ecstatic".into(), before: None },
        Change::RecreateEnum {
            from: mood.clone(),
            to: enum_type("mood", &["happy", "sad"]),
            old_name: "mood__driftless_old".into(),
            columns: vec![
                EnumColumn {
                    table: name("people"),
                    column: "mood".into(),
                    data_type: "mood".into(),
                    has_default: true,
                    default: Some(expr("'happy'::mood")),
                },
                EnumColumn {
                    table: name("people"),
                    column: "history".into(),
                    data_type: "mood[]".into(),
                    has_default: false,
                    default: None,
                },
            ],
        },
        Change::DropEnum { name: name("mood") },
        Change::CreateSequence { sequence: sequence.clone() },
        Change::CreateSequence {
            sequence: Sequence {
                name: name("events_id_seq"),
                options: SequenceOptions::postgres_defaults("integer", 1),
                owned_by: None,
                comment: None,
            },
        },
        Change::AlterSequence {
            name: name("events_id_seq"),
            from: SequenceOptions::postgres_defaults("integer", 1),
            to: SequenceOptions::postgres_defaults("bigint", 1),
        },
        Change::AlterSequence {
            name: name("app.tickets"),
            from: sequence.options.clone(),
            to: SequenceOptions { cycle: true, cache: 1, ..sequence.options.clone() },
        },
        Change::SetSequenceOwner { name: name("events_id_seq"), owned_by: Some(("events".into(), "id".into())) },
        Change::SetSequenceOwner { name: name("app.tickets"), owned_by: None },
        Change::DropSequence { name: name("app.tickets") },
    ];
    insta::assert_snapshot!(rendered(changes));
}

#[test]
fn views_functions_triggers_and_comments() {
    let mut matview = view("app.totals", "SELECT tenant_id, sum(total) AS total FROM accounts GROUP BY tenant_id");
    matview.materialized = true;
    matview.comment = Some("refreshed nightly".into());
    let procedure = Function {
        kind: FunctionKind::Procedure,
        returns: String::new(),
        language: "sql".into(),
        args: vec![FunctionArg { name: None, data_type: "integer".into(), mode: ArgMode::InOut, default: None }],
        ..function("archive", "", "SELECT $1 + 1")
    };
    let full_trigger = Trigger {
        timing: TriggerTiming::After,
        events: vec![
            TriggerEvent::Insert,
            TriggerEvent::Update { columns: vec!["email".into(), "order".into()] },
            TriggerEvent::Delete,
        ],
        when: Some(expr("pg_trigger_depth() = 0")),
        action: TriggerAction::Function { function: name("app.audit"), args: vec!["audit".into(), "it's".into()] },
        ..trigger("accounts_audit", "app.audit")
    };
    let changes = vec![
        Change::CreateView { view: view("active_accounts", "SELECT id, email FROM accounts WHERE active") },
        Change::CreateView { view: matview },
        Change::DropView { name: name("active_accounts"), materialized: false },
        Change::DropView { name: name("app.totals"), materialized: true },
        Change::CreateFunction { function: rich_function() },
        Change::ReplaceFunction {
            from: rich_function(),
            to: Function { body: "BEGIN total := a; END".into(), ..rich_function() },
        },
        Change::DropFunction { function: rich_function() },
        Change::CreateFunction { function: procedure.clone() },
        Change::DropFunction { function: procedure },
        Change::CreateTrigger { table: name("accounts"), trigger: full_trigger },
        Change::CreateTrigger {
            table: name("accounts"),
            trigger: Trigger {
                for_each_row: false,
                events: vec![TriggerEvent::Truncate],
                ..trigger("no_truncate", "deny")
            },
        },
        Change::DropTrigger { table: name("accounts"), name: "accounts_audit".into() },
        Change::SetComment {
            target: CommentTarget::Schema { name: "app".into() },
            comment: Some("application".into()),
        },
        Change::SetComment { target: CommentTarget::Table { name: name("accounts") }, comment: None },
        Change::SetComment {
            target: CommentTarget::Column { table: name("accounts"), column: "email".into() },
            comment: Some("it's the login".into()),
        },
        Change::SetComment {
            target: CommentTarget::View { name: name("app.totals"), materialized: true },
            comment: Some("x".into()),
        },
        Change::SetComment {
            target: CommentTarget::Index { schema: "public".into(), name: "accounts_search_idx".into() },
            comment: Some("x".into()),
        },
        Change::SetComment { target: CommentTarget::Sequence { name: name("app.tickets") }, comment: Some("x".into()) },
        Change::SetComment { target: CommentTarget::Type { name: name("mood") }, comment: Some("x".into()) },
        Change::SetComment { target: CommentTarget::function(&rich_function()), comment: Some("x".into()) },
    ];
    insta::assert_snapshot!(rendered(changes));
}

#[test]
fn function_bodies_get_a_dollar_tag_they_do_not_contain() {
    let tricky = Function {
        language: "sql".into(),
        ..function("f", "text", "SELECT '$function$' || '$function1$' -- x$function")
    };
    let sql = plan(vec![Change::CreateFunction { function: tricky }], &Database::new(Dialect::Postgres))
        .unwrap()
        .statements[0]
        .sql
        .clone();
    assert!(sql.ends_with("AS $function2$SELECT '$function$' || '$function1$' -- x$function$function2$"), "{sql}");
}

#[test]
fn hostile_names_are_quoted_and_round_trip() {
    let hostile = r#"x"; drop table y; --"#;
    let mut t = table(&format!("public.{hostile}"), vec![column(hostile, "text"), column("Mixed Case", "integer")]);
    t.comment = Some("it's'; drop table z; --".into());
    t.indexes.insert(index(hostile, &[hostile]));
    let current = database(|_| {});
    let desired = database(|db| {
        db.schema_mut("Weird Schema");
        add_table(db, t);
    });
    let script = diffed(&current, &desired);
    assert!(script.contains(r#"CREATE TABLE public."x""; drop table y; --" ("#), "{script}");
    assert!(script.contains(r#"COMMENT ON TABLE public."x""; drop table y; --" IS 'it''s''; drop table z; --'"#));
    insta::assert_snapshot!(script);
}

fn ecommerce() -> Database {
    database(|db| {
        db.schema_mut("app");
        db.extensions.insert("citext".into(), Extension { name: "citext".into(), schema: "public".into() });
        add_enum(db, enum_type("order_status", &["pending", "paid", "shipped"]));
        let mut serial_id = not_null(column("id", "integer"));
        serial_id.default = Some(Box::new(expr("nextval('users_id_seq'::regclass)")));
        let mut users = table("users", vec![serial_id, not_null(column("email", "citext"))]);
        users.primary_key = Some(PrimaryKey { comment: None, name: "users_pkey".into(), columns: vec!["id".into()] });
        users.comment = Some("customers".into());
        add_table(db, users);
        add_sequence(
            db,
            Sequence {
                name: name("users_id_seq"),
                options: SequenceOptions::postgres_defaults("integer", 1),
                owned_by: Some(("users".into(), "id".into())),
                comment: None,
            },
        );
        let mut orders = with_foreign_key(
            keyed_table(
                "app.orders",
                "bigint",
                vec![not_null(column("user_id", "integer")), column("status", "order_status")],
            ),
            ForeignKey {
                on_delete: ReferentialAction::Cascade,
                ..foreign_key("orders_user_id_fkey", &["user_id"], "users", &["id"])
            },
        );
        orders.indexes.insert(index("orders_user_id_idx", &["user_id"]));
        orders.triggers.insert(trigger("orders_touch", "app.touch"));
        add_table(db, orders);
        add_function(db, function("app.touch", "trigger", "BEGIN NEW.status := 'pending'; RETURN NEW; END"));
        add_view(db, view("app.paid_orders", "SELECT id, user_id FROM app.orders WHERE status = 'paid'"));
        add_view(db, view("app.big_spenders", "SELECT user_id FROM app.paid_orders GROUP BY user_id"));
    })
}

#[test]
fn whole_schema_renders_in_dependency_order() {
    let schema = render_schema(&ecommerce()).unwrap();
    insta::assert_snapshot!(schema);
}

#[test]
fn dropping_everything_runs_in_reverse_dependency_order() {
    insta::assert_snapshot!(diffed(&ecommerce(), &database(|_| {})));
}

#[test]
fn plans_are_deterministic_and_empty_without_differences() {
    let empty = database(|_| {});
    let first = plan(diff(&empty, &ecommerce()), &empty).unwrap();
    let second = plan(diff(&empty, &ecommerce()), &empty).unwrap();
    assert_eq!(first, second);
    assert_eq!(first.hash(), second.hash());
    assert!(plan(diff(&ecommerce(), &ecommerce()), &ecommerce()).unwrap().is_empty());
}

#[test]
fn a_column_retyped_under_a_view_with_an_explicit_cast() {
    let current = database(|db| {
        let mut code = column("code", "text");
        code.default = Some(Box::new(expr("'0'::text")));
        add_table(db, keyed_table("items", "integer", vec![code]));
        add_view(db, view("coded", "SELECT id, code FROM items"));
    });
    let desired = database(|db| {
        let mut code = not_null(column("code", "integer"));
        code.default = Some(Box::new(expr("0")));
        add_table(db, keyed_table("items", "integer", vec![code]));
        add_view(db, view("coded", "SELECT id, code FROM items"));
    });
    insta::assert_snapshot!(diffed(&current, &desired));
}

#[test]
fn serial_column_becomes_identity() {
    let serial_sequence = Sequence {
        name: name("users_id_seq"),
        options: SequenceOptions::postgres_defaults("integer", 1),
        owned_by: Some(("users".into(), "id".into())),
        comment: None,
    };
    let current = database(|db| {
        let mut id = not_null(column("id", "integer"));
        id.default = Some(Box::new(expr("nextval('users_id_seq'::regclass)")));
        add_table(db, table("users", vec![id]));
        add_sequence(db, serial_sequence);
    });
    let desired = database(|db| {
        let mut id = not_null(column("id", "bigint"));
        id.identity = Some(Box::new(identity(true, "bigint")));
        add_table(db, table("users", vec![id]));
    });
    insta::assert_snapshot!(diffed(&current, &desired));
}

#[test]
fn enum_label_removed_while_columns_use_it() {
    let current = database(|db| {
        add_enum(db, enum_type("mood", &["sad", "meh", "happy"]));
        let mut mood = column("mood", "mood");
        mood.default = Some(Box::new(expr("'meh'::mood")));
        add_table(db, table("people", vec![mood, column("history", "mood[]")]));
    });
    let desired = database(|db| {
        add_enum(db, enum_type("mood", &["sad", "happy"]));
        let mut mood = column("mood", "mood");
        mood.default = Some(Box::new(expr("'happy'::mood")));
        add_table(db, table("people", vec![mood, column("history", "mood[]")]));
    });
    insta::assert_snapshot!(diffed(&current, &desired));
}

/// Statements as `[alone] sql` lines, in order.
fn online_script(changes: Vec<Change>) -> String {
    let online = OnlineOptions { concurrent_create: true, concurrent_drop: true, validate_separately: true };
    driftless_plan::plan_online(changes, &Database::new(Dialect::Postgres), &online)
        .unwrap()
        .statements
        .iter()
        .map(|s| format!("{}{};\n", if s.transactional { "" } else { "[alone] " }, s.sql))
        .collect()
}

#[test]
fn online_forms_on_existing_tables_only() {
    let users = name("public.users");
    let mut commented = index("users_email_idx", &["email"]);
    commented.comment = Some("lookups".into());
    let email = not_null(column("email", "character varying(100)"));
    let changes = vec![
        Change::DropIndex { table: users.clone(), name: "users_old_idx".into() },
        Change::CreateTable { table: table("public.orgs", vec![column("id", "integer")]) },
        Change::AlterColumn {
            table: users.clone(),
            from: column("email", "text"),
            to: email,
            changes: vec![
                ColumnChange::Type { from: "text".into(), to: "character varying(100)".into(), explicit_cast: false },
                ColumnChange::SetNotNull,
            ],
        },
        Change::AddUnique {
            table: users.clone(),
            unique: UniqueConstraint {
                comment: None,
                name: "users_email_key".into(),
                columns: vec!["email".into()],
                nulls_not_distinct: true,
                deferrable: Deferrable::InitiallyDeferred,
            },
        },
        Change::AddPrimaryKey {
            table: users.clone(),
            key: PrimaryKey { comment: None, name: "users_pkey".into(), columns: vec!["id".into()] },
        },
        Change::CreateIndex { table: users.clone(), index: commented },
        Change::CreateIndex { table: name("public.orgs"), index: index("orgs_id_idx", &["id"]) },
        Change::AddCheck {
            table: users.clone(),
            check: Check {
                not_valid: false,
                comment: None,
                name: "users_id_check".into(),
                expr: expr("id > 0"),
                no_inherit: false,
            },
        },
        Change::AddForeignKey {
            table: users.clone(),
            foreign_key: foreign_key("users_org_fkey", &["org"], "public.orgs", &["id"]),
        },
        Change::AddForeignKey {
            table: name("public.orgs"),
            foreign_key: foreign_key("orgs_user_fkey", &["id"], "public.users", &["id"]),
        },
    ];
    insta::assert_snapshot!(online_script(changes), @r"
    [alone] DROP INDEX CONCURRENTLY public.users_old_idx;
    CREATE TABLE public.orgs (
      id integer
    );
    ALTER TABLE public.users ALTER COLUMN email TYPE character varying(100);
    ALTER TABLE public.users ADD CONSTRAINT driftless_email_not_null CHECK (email IS NOT NULL) NOT VALID;
    [alone] ALTER TABLE public.users VALIDATE CONSTRAINT driftless_email_not_null;
    ALTER TABLE public.users ALTER COLUMN email SET NOT NULL;
    ALTER TABLE public.users DROP CONSTRAINT driftless_email_not_null;
    [alone] CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON public.users (email) NULLS NOT DISTINCT;
    ALTER TABLE public.users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key DEFERRABLE INITIALLY DEFERRED;
    [alone] CREATE UNIQUE INDEX CONCURRENTLY users_pkey ON public.users (id);
    ALTER TABLE public.users ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_pkey;
    [alone] CREATE INDEX CONCURRENTLY users_email_idx ON public.users (email);
    COMMENT ON INDEX public.users_email_idx IS 'lookups';
    CREATE INDEX orgs_id_idx ON public.orgs (id);
    ALTER TABLE public.users ADD CONSTRAINT users_id_check CHECK (id > 0) NOT VALID;
    [alone] ALTER TABLE public.users VALIDATE CONSTRAINT users_id_check;
    ALTER TABLE public.users ADD CONSTRAINT users_org_fkey FOREIGN KEY (org) REFERENCES public.orgs (id) NOT VALID;
    [alone] ALTER TABLE public.users VALIDATE CONSTRAINT users_org_fkey;
    ALTER TABLE public.orgs ADD CONSTRAINT orgs_user_fkey FOREIGN KEY (id) REFERENCES public.users (id);
    ");
}

#[test]
fn schema_hashes_tell_schemas_apart_and_ignore_how_they_were_built() {
    let parse = |sql: &str| {
        let options = driftless_parse::ParseOptions {
            dialect: driftless_model::Dialect::Postgres,
            default_schema: "public".into(),
        };
        driftless_parse::parse_schema(sql, &options).unwrap()
    };
    let hash = |sql: &str| driftless_plan::schema_hash(&parse(sql));
    let base = hash("create table a (id int primary key); create table b (x text);");
    assert_eq!(base, hash("create table b (x text);\ncreate table a (id integer, primary key (id));"));
    assert_ne!(base, hash("create table a (id int primary key); create table b (x varchar);"));
    assert_eq!(base.len(), 16);
}
