//! Partitioned tables: keys and bounds as PostgreSQL prints them, pg_dump's ATTACH forms, and refusals with
//! their line.

use crate::{ParseError, ParseOptions, parse_schema};
use driftless_model::{Database, Dialect, QualifiedName, Table};

fn parse(sql: &str) -> Database {
    parse_schema(sql, &ParseOptions::new(Dialect::Postgres)).unwrap_or_else(|e| panic!("{e}"))
}

fn error(sql: &str) -> ParseError {
    parse_schema(sql, &ParseOptions::new(Dialect::Postgres)).expect_err("the SQL should be refused")
}

fn table<'d>(db: &'d Database, name: &str) -> &'d Table {
    db.table(&QualifiedName::new("public", name)).unwrap_or_else(|| panic!("no table {name}"))
}

fn bound(db: &Database, name: &str) -> String {
    table(db, name).partition_of.as_ref().map(|of| of.bound.clone()).unwrap_or_default()
}

#[test]
fn keys_and_bounds_print_as_the_server_prints_them() {
    let db = parse(
        "create table t (a int, d date, n numeric, b boolean, s text, \"Odd\" int) partition by range (a, \"Odd\");
         create table t1 partition of t for values from (minvalue, 1) to ('-5', maxvalue);
         create table t2 partition of t for values from (-5, '1') to (10, 20);
         create table l (s text, i bigint) partition by list (s);
         create table l1 partition of l for values in ('a', 1, null);
         create table l2 partition of l default;
         create table h (i int) partition by hash (i);
         create table h0 partition of h for values with (modulus 4, remainder 0);
         create table d (d date) partition by range (d);
         create table d1 partition of d for values from ('2020-01-01'::date) to ('2021-01-01');",
    );
    assert_eq!(table(&db, "t").partition_key.as_deref(), Some("RANGE (a, \"Odd\")"));
    assert_eq!(table(&db, "h").partition_key.as_deref(), Some("HASH (i)"));
    assert_eq!(bound(&db, "t1"), "FOR VALUES FROM (MINVALUE, 1) TO ('-5', MAXVALUE)");
    assert_eq!(bound(&db, "t2"), "FOR VALUES FROM ('-5', 1) TO (10, 20)");
    assert_eq!(bound(&db, "l1"), "FOR VALUES IN ('a', '1', NULL)");
    assert_eq!(bound(&db, "l2"), "DEFAULT");
    assert_eq!(bound(&db, "h0"), "FOR VALUES WITH (modulus 4, remainder 0)");
    assert_eq!(bound(&db, "d1"), "FOR VALUES FROM ('2020-01-01') TO ('2021-01-01')");
    // the partition's columns are its parent's
    assert!(table(&db, "t1").columns.is_empty());
    assert_eq!(table(&db, "t1").partition_of.as_ref().map(|of| of.parent.to_string()).as_deref(), Some("public.t"));
}

#[test]
fn pg_dumps_attach_forms_equal_partition_of() {
    let dumped = parse(
        "CREATE TABLE public.m (id integer NOT NULL, at date NOT NULL, PRIMARY KEY (at, id)) PARTITION BY RANGE (at);
         CREATE INDEX m_id_idx ON ONLY public.m USING btree (id);
         CREATE TABLE public.m_2020 (id integer NOT NULL, at date NOT NULL);
         ALTER TABLE ONLY public.m ATTACH PARTITION public.m_2020 FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');
         ALTER TABLE ONLY public.m_2020 ADD CONSTRAINT m_2020_pkey PRIMARY KEY (at, id);
         CREATE INDEX m_2020_id_idx ON public.m_2020 USING btree (id);
         ALTER INDEX public.m_pkey ATTACH PARTITION public.m_2020_pkey;
         ALTER INDEX public.m_id_idx ATTACH PARTITION public.m_2020_id_idx;",
    );
    let written = parse(
        "create table m (id int not null, at date not null, primary key (at, id)) partition by range (at);
         create index m_id_idx on m (id);
         create table m_2020 partition of m for values from ('2020-01-01') to ('2021-01-01');",
    );
    assert_eq!(dumped, written);
}

#[test]
fn partitions_that_cannot_be_modelled_are_refused_with_their_line() {
    let cases = [
        ("create table t (a int) partition by range (lower(a));", 1, "expressions"),
        ("create table t (a int) partition by range (b);", 1, "not a column of"),
        ("create table t (a int);\ncreate table t1 partition of t for values in (1);", 2, "not partitioned"),
        ("create table t1 partition of t for values in (1);", 1, "not declared before"),
        (
            "create table t (a int) partition by list (a);\ncreate table t1 partition of t for values from (1) to (2);",
            2,
            "FOR VALUES FROM",
        ),
        (
            "create table t (a int) partition by hash (a);\ncreate table t1 partition of t default;",
            2,
            "default partition",
        ),
        (
            "create table t (a int) partition by list (a);\ncreate table t1 partition of t for values in (a + 1);",
            2,
            "not supported",
        ),
        (
            "create table t (a int) partition by list (a);\ncreate table t1 (a int, b int);\nalter table t attach partition t1 for values in (1);",
            3,
            "column b of partition public.t1",
        ),
        (
            "create table t (a int) partition by list (a);\ncreate table t1 (a bigint);\nalter table t attach partition t1 for values in (1);",
            3,
            "column a of partition public.t1",
        ),
        (
            "create table t (a int) partition by list (a);\ncreate index t_a_idx on t (a);\ncreate table u (a int);\ncreate index u_a_idx on u (a);\nalter index t_a_idx attach partition u_a_idx;",
            5,
            "not a partition of",
        ),
    ];
    for (sql, line, message) in cases {
        let error = error(sql);
        assert_eq!(error.line(), line, "{sql}: {error}");
        assert!(error.to_string().contains(message), "{sql}: {error}");
    }
}
