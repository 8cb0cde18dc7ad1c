//! Table-driven diff tests over hand-built models: each case lists the changes expected, in order.

mod support;

use driftless_diff::diff;
use driftless_model::builders::*;
use driftless_model::*;
use support::summary;

struct Case {
    name: &'static str,
    current: Database,
    desired: Database,
    expected: &'static [&'static str],
}

fn users() -> Table {
    keyed_table("users", "bigint", vec![not_null(column("email", "text"))])
}

fn orders_referencing_users() -> Table {
    with_foreign_key(
        keyed_table("orders", "bigint", vec![column("user_id", "bigint")]),
        foreign_key("orders_user_id_fkey", &["user_id"], "users", &["id"]),
    )
}

/// `name (id bigint not null)`, partitioned by `key`.
fn partitioned(name: &str, key: &str) -> Table {
    Table { partition_key: Some(key.into()), ..table(name, [not_null(column("id", "bigint"))]) }
}

/// `table` as a partition of `parent`; its columns are the parent's, so the model holds none.
fn partition(table: Table, parent: &str, bound: &str) -> Table {
    let partition_of = PartitionOf { parent: QualifiedName::new("public", parent), bound: bound.into() };
    Table { columns: Vec::new(), partition_of: Some(partition_of), ..table }
}

/// `CREATE VIRTUAL TABLE name USING fts5(args)`.
fn fts(name: &str, args: &[&str]) -> Table {
    let virtual_table =
        sqlite::VirtualTable { module: "fts5".into(), args: args.iter().map(|arg| expr(arg)).collect() };
    Table { virtual_table: Some(virtual_table), ..table(name, []) }
}

/// A view with one SQLite `INSTEAD OF INSERT` trigger running `body`.
fn view_with_trigger(name: &str, query: &str, trigger_name: &str, body: &str) -> View {
    let mut view = view(name, query);
    view.triggers.insert(Trigger {
        timing: TriggerTiming::InsteadOf,
        events: vec![TriggerEvent::Insert],
        action: TriggerAction::Body { body: expr(body) },
        ..trigger(trigger_name, "unused")
    });
    view
}

fn id_arg() -> FunctionArg {
    FunctionArg { name: Some("id".into()), data_type: "integer".into(), mode: ArgMode::In, default: None }
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "foreign key to a new table comes after both tables",
            current: database(|db| add_table(db, keyed_table("orders", "bigint", vec![]))),
            desired: database(|db| {
                add_table(db, orders_referencing_users());
                add_table(db, users());
            }),
            expected: &[
                "create_table public.users",
                "add_column public.orders.user_id",
                "add_foreign_key public.orders.orders_user_id_fkey",
            ],
        },
        Case {
            name: "foreign key cycle between new tables",
            current: database(|_| {}),
            desired: database(|db| {
                add_table(
                    db,
                    with_foreign_key(
                        keyed_table("a", "integer", vec![column("b_id", "integer")]),
                        foreign_key("a_b_id_fkey", &["b_id"], "b", &["id"]),
                    ),
                );
                add_table(
                    db,
                    with_foreign_key(
                        keyed_table("b", "integer", vec![column("a_id", "integer")]),
                        foreign_key("b_a_id_fkey", &["a_id"], "a", &["id"]),
                    ),
                );
            }),
            expected: &[
                "create_table public.a",
                "create_table public.b",
                "add_foreign_key public.a.a_b_id_fkey",
                "add_foreign_key public.b.b_a_id_fkey",
            ],
        },
        Case {
            name: "dropping a referenced table drops the foreign key first",
            current: database(|db| {
                add_table(db, users());
                add_table(db, orders_referencing_users());
            }),
            desired: database(|db| add_table(db, keyed_table("orders", "bigint", vec![column("user_id", "bigint")]))),
            expected: &["drop_foreign_key public.orders.orders_user_id_fkey", "drop_table public.users"],
        },
        Case {
            name: "dropping two tables in a foreign key cycle",
            current: database(|db| {
                add_table(
                    db,
                    with_foreign_key(
                        keyed_table("a", "integer", vec![column("b_id", "integer")]),
                        foreign_key("a_b_id_fkey", &["b_id"], "b", &["id"]),
                    ),
                );
                add_table(
                    db,
                    with_foreign_key(
                        keyed_table("b", "integer", vec![column("a_id", "integer")]),
                        foreign_key("b_a_id_fkey", &["a_id"], "a", &["id"]),
                    ),
                );
            }),
            desired: database(|_| {}),
            expected: &[
                "drop_foreign_key public.a.a_b_id_fkey",
                "drop_foreign_key public.b.b_a_id_fkey",
                "drop_table public.a",
                "drop_table public.b",
            ],
        },
        Case {
            name: "a view over a column whose type changes is dropped first and created after",
            current: database(|db| {
                add_table(db, keyed_table("items", "integer", vec![column("price", "integer")]));
                add_view(db, view("cheap", "SELECT id FROM items WHERE price < 10"));
                add_view(db, view("unrelated", "SELECT id FROM items"));
            }),
            desired: database(|db| {
                add_table(db, keyed_table("items", "integer", vec![column("price", "numeric(10,2)")]));
                add_view(db, view("cheap", "SELECT id FROM items WHERE price < 10"));
                add_view(db, view("unrelated", "SELECT id FROM items"));
            }),
            expected: &["drop_view public.cheap", "alter_column public.items.price", "create_view public.cheap"],
        },
        Case {
            name: "views over views: dependents dropped first, created in reference order",
            current: database(|db| {
                add_table(db, users());
                add_view(db, view("v_base", "SELECT id, email FROM users"));
                add_view(db, view("a_top", "SELECT id FROM v_base"));
            }),
            desired: database(|db| {
                add_table(db, users());
                add_view(db, view("v_base", "SELECT id FROM users"));
                add_view(db, view("a_top", "SELECT id FROM v_base"));
            }),
            expected: &[
                "drop_view public.a_top",
                "drop_view public.v_base",
                "create_view public.v_base",
                "create_view public.a_top",
            ],
        },
        Case {
            name: "a trigger's function is created before the trigger",
            current: database(|db| add_table(db, users())),
            desired: database(|db| {
                let mut table = users();
                table.triggers.insert(trigger("touch", "touch_users"));
                add_table(db, table);
                add_function(db, function("touch_users", "trigger", "BEGIN RETURN NEW; END"));
            }),
            expected: &["create_function public.touch_users", "create_trigger public.users.touch"],
        },
        Case {
            name: "a function re-created under the same signature re-creates the views that call it",
            current: database(|db| {
                add_table(db, keyed_table("items", "integer", vec![]));
                add_function(
                    db,
                    Function { args: vec![id_arg()], ..function("price_of", "integer", "BEGIN RETURN 1; END") },
                );
                add_view(db, view("prices", "SELECT price_of(id) AS price FROM items"));
            }),
            desired: database(|db| {
                add_table(db, keyed_table("items", "integer", vec![]));
                add_function(
                    db,
                    Function { args: vec![id_arg()], ..function("price_of", "bigint", "BEGIN RETURN 1; END") },
                );
                add_view(db, view("prices", "SELECT price_of(id) AS price FROM items"));
            }),
            expected: &[
                "drop_view public.prices",
                "drop_function public.price_of",
                "create_function public.price_of",
                "create_view public.prices",
            ],
        },
        Case {
            name: "a body change replaces the function in place",
            current: database(|db| add_function(db, function("f", "integer", "BEGIN RETURN 1; END"))),
            desired: database(|db| add_function(db, function("f", "integer", "BEGIN RETURN 2; END"))),
            expected: &["replace_function public.f"],
        },
        Case {
            name: "everything dropped in reverse dependency order, schemas last",
            current: database(|db| {
                db.schema_mut("app");
                add_enum(db, enum_type("app.mood", &["sad", "happy"]));
                add_function(db, function("app.touch", "trigger", "BEGIN RETURN NEW; END"));
                let mut table = keyed_table("app.people", "integer", vec![column("mood", "app.mood")]);
                table.triggers.insert(trigger("touch", "app.touch"));
                table.indexes.insert(index("people_mood_idx", &["mood"]));
                add_table(db, table);
                add_view(db, view("app.happy_people", "SELECT id FROM app.people WHERE mood = 'happy'"));
                add_sequence(
                    db,
                    Sequence {
                        name: name("app.tickets"),
                        options: SequenceOptions::postgres_defaults("bigint", 1),
                        owned_by: None,
                        comment: None,
                    },
                );
                db.extensions.insert("citext".into(), Extension { name: "citext".into(), schema: "app".into() });
            }),
            desired: database(|_| {}),
            expected: &[
                "drop_view app.happy_people",
                "drop_table app.people",
                "drop_sequence app.tickets",
                "drop_function app.touch",
                "drop_enum app.mood",
                "drop_extension citext",
                "drop_schema app",
            ],
        },
        Case {
            name: "a serial column on an existing table: sequence, column, ownership",
            current: database(|db| add_table(db, table("events", vec![column("payload", "jsonb")]))),
            desired: database(|db| {
                let mut id = not_null(column("id", "integer"));
                id.default = Some(Box::new(expr("nextval('events_id_seq'::regclass)")));
                add_table(db, table("events", vec![column("payload", "jsonb"), id]));
                add_sequence(
                    db,
                    Sequence {
                        name: name("events_id_seq"),
                        options: SequenceOptions::postgres_defaults("integer", 1),
                        owned_by: Some(("events".into(), "id".into())),
                        comment: None,
                    },
                );
            }),
            expected: &[
                "create_sequence public.events_id_seq",
                "add_column public.events.id",
                "set_sequence_owner public.events_id_seq",
            ],
        },
        Case {
            name: "an owned sequence goes with its dropped table",
            current: database(|db| {
                add_table(db, table("events", vec![column("id", "integer")]));
                add_sequence(
                    db,
                    Sequence {
                        name: name("events_id_seq"),
                        options: SequenceOptions::postgres_defaults("integer", 1),
                        owned_by: Some(("events".into(), "id".into())),
                        comment: None,
                    },
                );
            }),
            desired: database(|_| {}),
            expected: &["drop_table public.events"],
        },
        Case {
            name: "new enum labels are added in place",
            current: database(|db| add_enum(db, enum_type("mood", &["sad", "happy"]))),
            desired: database(|db| add_enum(db, enum_type("mood", &["sad", "ok", "happy", "ecstatic"]))),
            expected: &["add_enum_value public.mood.ok", "add_enum_value public.mood.ecstatic"],
        },
        Case {
            name: "an unused enum with a removed label is dropped and created",
            current: database(|db| add_enum(db, enum_type("mood", &["sad", "happy"]))),
            desired: database(|db| add_enum(db, enum_type("mood", &["happy"]))),
            expected: &["drop_enum public.mood", "create_enum public.mood"],
        },
        Case {
            name: "a used enum with reordered labels is recreated and the old type dropped at the end",
            current: database(|db| {
                add_enum(db, enum_type("mood", &["sad", "happy"]));
                add_table(db, table("people", vec![column("mood", "mood"), column("gone", "mood")]));
                add_view(db, view("moods", "SELECT mood FROM people"));
            }),
            desired: database(|db| {
                add_enum(db, enum_type("mood", &["happy", "sad"]));
                add_table(db, table("people", vec![column("mood", "mood")]));
                add_view(db, view("moods", "SELECT mood FROM people"));
            }),
            expected: &[
                "drop_view public.moods",
                "recreate_enum public.mood",
                "create_view public.moods",
                "drop_column public.people.gone",
                "drop_enum public.mood__driftless_old",
            ],
        },
        Case {
            name: "a column that becomes generated is dropped and added, with its index",
            current: database(|db| {
                let mut t = table("boxes", vec![column("w", "integer"), column("area", "integer")]);
                t.indexes.insert(index("boxes_area_idx", &["area"]));
                add_table(db, t);
            }),
            desired: database(|db| {
                let mut area = column("area", "integer");
                area.generated = Some(Box::new(expr("w * w")));
                let mut t = table("boxes", vec![column("w", "integer"), area]);
                t.indexes.insert(index("boxes_area_idx", &["area"]));
                add_table(db, t);
            }),
            expected: &[
                "drop_index public.boxes.boxes_area_idx",
                "drop_column public.boxes.area",
                "add_column public.boxes.area",
                "create_index public.boxes.boxes_area_idx",
            ],
        },
        Case {
            name: "a changed primary key re-creates the foreign keys that reference it",
            current: database(|db| {
                add_table(db, users());
                add_table(db, orders_referencing_users());
            }),
            desired: database(|db| {
                let mut table = users();
                table.primary_key.as_mut().unwrap().name = "users_id_pk".into();
                add_table(db, table);
                add_table(db, orders_referencing_users());
            }),
            expected: &[
                "drop_foreign_key public.orders.orders_user_id_fkey",
                "drop_primary_key public.users.users_pkey",
                "add_primary_key public.users.users_id_pk",
                "add_foreign_key public.orders.orders_user_id_fkey",
            ],
        },
        Case {
            name: "retyping both sides of a foreign key re-creates it around the change",
            current: database(|db| {
                add_table(db, keyed_table("users", "integer", vec![]));
                add_table(
                    db,
                    with_foreign_key(
                        keyed_table("orders", "integer", vec![column("user_id", "integer")]),
                        foreign_key("orders_user_id_fkey", &["user_id"], "users", &["id"]),
                    ),
                );
            }),
            desired: database(|db| {
                add_table(db, keyed_table("users", "bigint", vec![]));
                add_table(
                    db,
                    with_foreign_key(
                        keyed_table("orders", "integer", vec![column("user_id", "bigint")]),
                        foreign_key("orders_user_id_fkey", &["user_id"], "users", &["id"]),
                    ),
                );
            }),
            expected: &[
                "drop_foreign_key public.orders.orders_user_id_fkey",
                "alter_column public.orders.user_id",
                "alter_column public.users.id",
                "add_foreign_key public.orders.orders_user_id_fkey",
            ],
        },
        Case {
            name: "a changed index is dropped and created; a comment on a new table rides along",
            current: database(|db| {
                let mut t = users();
                t.indexes.insert(index("users_email_idx", &["email"]));
                add_table(db, t);
            }),
            desired: database(|db| {
                let mut t = users();
                t.indexes.insert(Index { unique: true, ..index("users_email_idx", &["email"]) });
                add_table(db, t);
                add_table(
                    db,
                    Table { comment: Some("audit trail".into()), ..table("audit", vec![column("at", "date")]) },
                );
            }),
            expected: &[
                "drop_index public.users.users_email_idx",
                "create_table public.audit",
                "create_index public.users.users_email_idx",
            ],
        },
        Case {
            name: "a table replaced by a view of the same name is dropped before the view is created",
            current: database(|db| add_table(db, users())),
            desired: database(|db| {
                add_table(db, Table { name: name("accounts"), ..users() });
                add_view(db, view("users", "SELECT id, email FROM accounts"));
            }),
            expected: &["drop_table public.users", "create_table public.accounts", "create_view public.users"],
        },
        Case {
            name: "new schema first, then its objects",
            current: database(|_| {}),
            desired: database(|db| {
                db.schema_mut("app");
                add_enum(db, enum_type("app.mood", &["ok"]));
                add_table(db, table("app.people", vec![column("mood", "app.mood")]));
            }),
            expected: &["create_schema app", "create_enum app.mood", "create_table app.people"],
        },
        Case {
            name: "a function whose SQL body reads a new table waits for the table",
            current: database(|_| {}),
            desired: database(|db| {
                add_table(db, users());
                add_function(
                    db,
                    Function {
                        language: "sql".into(),
                        ..function("user_count", "bigint", "SELECT count(*) FROM users")
                    },
                );
                add_function(db, function("answer", "integer", "BEGIN RETURN 42; END"));
            }),
            expected: &[
                "create_function public.answer",
                "create_table public.users",
                "create_function public.user_count",
            ],
        },
        Case {
            name: "a dropped table's foreign key goes before the key it references, which a kept table drops",
            current: database(|db| {
                add_table(db, keyed_table("p", "integer", vec![]));
                add_table(
                    db,
                    with_foreign_key(
                        table("ch", vec![column("r", "integer")]),
                        foreign_key("ch_r_fkey", &["r"], "p", &["id"]),
                    ),
                );
            }),
            desired: database(|db| add_table(db, table("p", vec![not_null(column("id", "integer"))]))),
            expected: &[
                "drop_foreign_key public.ch.ch_r_fkey",
                "drop_primary_key public.p.p_pkey",
                "drop_table public.ch",
            ],
        },
        Case {
            name: "a dropped function that calls another dropped function goes first",
            current: database(|db| {
                add_function(db, function("a_inner", "integer", "SELECT 1"));
                add_function(db, function("b_outer", "integer", "SELECT a_inner() + 1"));
            }),
            desired: database(|_| {}),
            expected: &["drop_function public.b_outer", "drop_function public.a_inner"],
        },
        Case {
            name: "a partition is created after its parent, a sub-partition after its own",
            current: database(|_| {}),
            desired: database(|db| {
                add_table(db, partitioned("events", "RANGE (id)"));
                add_table(
                    db,
                    partition(partitioned("a_events_2020", "LIST (id)"), "events", "FOR VALUES FROM (1) TO (9)"),
                );
                add_table(db, partition(table("a_events_2020_1", []), "a_events_2020", "FOR VALUES IN (1)"));
            }),
            expected: &[
                "create_table public.events",
                "create_table public.a_events_2020",
                "create_table public.a_events_2020_1",
            ],
        },
        Case {
            name: "partitions are dropped before their parent",
            current: database(|db| {
                add_table(db, partitioned("events", "RANGE (id)"));
                add_table(db, partition(table("a_events_2020", []), "events", "FOR VALUES FROM (1) TO (9)"));
            }),
            desired: database(|_| {}),
            expected: &["drop_table public.a_events_2020", "drop_table public.events"],
        },
        Case {
            name: "a changed bound is a detach then an attach; a detached partition gets its parent's columns",
            current: database(|db| {
                add_table(db, partitioned("events", "RANGE (id)"));
                add_table(db, partition(table("events_1", []), "events", "FOR VALUES FROM (1) TO (9)"));
                add_table(db, partition(table("events_2", []), "events", "FOR VALUES FROM (9) TO (20)"));
            }),
            desired: database(|db| {
                add_table(db, partitioned("events", "RANGE (id)"));
                add_table(db, partition(table("events_1", []), "events", "FOR VALUES FROM (1) TO (10)"));
                add_table(db, table("events_2", [not_null(column("id", "bigint"))]));
            }),
            expected: &[
                "detach_partition public.events_1",
                "detach_partition public.events_2",
                "attach_partition public.events_1",
            ],
        },
        Case {
            name: "a virtual table whose arguments change is dropped, then created again",
            current: database(|db| add_table(db, fts("docs", &["body"]))),
            desired: database(|db| add_table(db, fts("docs", &["body", "tokenize = 'trigram'"]))),
            expected: &["drop_table public.docs", "create_table public.docs"],
        },
        Case {
            name: "a view created again gets its INSTEAD OF triggers after it; a kept view's changed one is replaced",
            current: database(|db| {
                add_view(db, view_with_trigger("v", "SELECT 1", "v_ins", "INSERT INTO t VALUES (1);"));
                add_view(db, view_with_trigger("w", "SELECT 1", "w_ins", "INSERT INTO t VALUES (1);"));
            }),
            desired: database(|db| {
                add_view(db, view_with_trigger("v", "SELECT 2", "v_ins", "INSERT INTO t VALUES (1);"));
                add_view(db, view_with_trigger("w", "SELECT 1", "w_ins", "INSERT INTO t VALUES (2);"));
            }),
            expected: &[
                "drop_trigger public.w.w_ins",
                "drop_view public.v",
                "create_view public.v",
                "create_trigger public.v.v_ins",
                "create_trigger public.w.w_ins",
            ],
        },
        Case {
            name: "only the header values the desired schema sets are managed",
            current: database(|db| {
                db.sqlite_header =
                    [(sqlite::HeaderValue::ApplicationId, 7), (sqlite::HeaderValue::UserVersion, 1)].into();
            }),
            desired: database(|db| db.sqlite_header = [(sqlite::HeaderValue::UserVersion, 2)].into()),
            expected: &["set_header_value user_version=2"],
        },
        Case {
            name: "a changed partition key is a change of its own (the planners refuse it)",
            current: database(|db| add_table(db, partitioned("events", "RANGE (id)"))),
            desired: database(|db| add_table(db, partitioned("events", "HASH (id)"))),
            expected: &["change_partition_key public.events"],
        },
    ]
}

#[test]
fn changes_come_in_dependency_order() {
    let mut failures = Vec::new();
    for case in cases() {
        let changes = diff(&case.current, &case.desired);
        let actual: Vec<String> = changes.iter().map(summary).collect();
        if actual != case.expected {
            failures.push(format!("{}\n  expected: {:#?}\n  actual:   {:#?}", case.name, case.expected, actual));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn identical_models_diff_empty_and_the_diff_is_deterministic() {
    for case in cases() {
        for model in [&case.current, &case.desired] {
            assert_eq!(diff(model, model), vec![], "{}", case.name);
        }
        let first = diff(&case.current, &case.desired);
        let second = diff(&case.current.clone(), &case.desired.clone());
        assert_eq!(first, second, "{}", case.name);
    }
}
