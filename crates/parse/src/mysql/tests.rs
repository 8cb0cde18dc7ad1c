use crate::{ParseOptions, parse_schema};
use driftless_model::{Database, Dialect, IndexKey, QualifiedName, ReferentialAction, Table, TriggerAction};

fn parse(sql: &str) -> Database {
    parse_schema(sql, &ParseOptions { dialect: Dialect::Mysql, default_schema: "app".into() }).unwrap()
}

fn table<'a>(db: &'a Database, name: &str) -> &'a Table {
    db.table(&QualifiedName::new("app", name)).unwrap()
}

#[test]
fn the_seed_table_is_normalized_as_mariadb_stores_it() {
    let db = parse(
        "create table users (id int not null auto_increment, name varchar(255) not null, \
         email varchar(255) unique not null, short_bio varchar(255) not null, primary key (id));",
    );
    let users = table(&db, "users");
    assert_eq!(users.column("id").unwrap().data_type, "int(11)");
    assert!(users.column("id").unwrap().identity.is_some());
    assert_eq!(users.primary_key.as_ref().unwrap().name, "PRIMARY");
    let email = &users.indexes["email"];
    assert!(email.unique);
    assert_eq!(email.parts[0].key, IndexKey::Column("email".into()));
    assert_eq!(users.mysql.as_ref().unwrap().engine, "InnoDB");
}

#[test]
fn implicit_names_follow_mariadb() {
    let db = parse(
        "create table p (id int primary key);
         create table c (id int, pid int, x int, unique (pid), key (pid, x), index (pid), check (x > 0),
           check (id > 0), constraint ok check (x < 100), j json,
           foreign key (pid) references p (id) on delete no action on update set null,
           foreign key (x) references p (id));",
    );
    let c = table(&db, "c");
    let indexes: Vec<&str> = c.indexes.keys().map(String::as_str).collect();
    assert_eq!(indexes, ["pid", "pid_2", "pid_3", "x"]);
    let checks: Vec<&str> = c.checks.keys().map(String::as_str).collect();
    assert_eq!(checks, ["CONSTRAINT_1", "CONSTRAINT_2", "j", "ok"]);
    assert_eq!(c.foreign_keys["c_ibfk_1"].on_delete, ReferentialAction::NoAction);
    assert_eq!(c.foreign_keys["c_ibfk_2"].on_delete, ReferentialAction::Restrict, "InnoDB reports RESTRICT");
    assert_eq!(c.column("j").unwrap().data_type, "longtext");
}

#[test]
fn named_foreign_keys_name_their_index() {
    let db = parse(
        "create table p (id int primary key);
         create table c (id int primary key, uid int, constraint myfk foreign key (uid) references p (id));",
    );
    assert!(table(&db, "c").indexes.contains_key("myfk"));
}

#[test]
fn table_options_prefixes_and_fulltext() {
    let db = parse(
        "create table t (id int, body text, name varchar(50) character set latin1, key k (name(10)), fulltext (body))
         engine=myisam default charset=latin1 comment='notes';",
    );
    let t = table(&db, "t");
    let options = t.mysql.as_ref().unwrap();
    assert_eq!((options.engine.as_str(), options.collation.as_str()), ("MyISAM", "latin1_swedish_ci"));
    assert_eq!(t.comment.as_deref(), Some("notes"));
    assert_eq!(t.column("name").unwrap().collation.as_deref(), Some("latin1_swedish_ci"));
    assert!(matches!(&t.indexes["k"].parts[0].key, IndexKey::Expression(e) if e.canonical == "name(10)"));
    assert_eq!(t.indexes["body"].method, "fulltext");
}

#[test]
fn a_prefix_as_long_as_its_column_is_the_whole_column() {
    let db = parse(
        "create table t (a varbinary(255), b varchar(20), c text, key ka (a(255)), key kb (b(20), a(10)), key kc (c(20)));
         create index kb2 on t (b(19));",
    );
    let t = table(&db, "t");
    assert_eq!(t.indexes["ka"].parts[0].key, IndexKey::Column("a".into()));
    assert_eq!(t.indexes["kb"].parts[0].key, IndexKey::Column("b".into()));
    assert!(matches!(&t.indexes["kb"].parts[1].key, IndexKey::Expression(e) if e.canonical == "a(10)"));
    assert!(matches!(&t.indexes["kc"].parts[0].key, IndexKey::Expression(e) if e.canonical == "c(20)"));
    assert!(matches!(&t.indexes["kb2"].parts[0].key, IndexKey::Expression(e) if e.canonical == "b(19)"));
}

#[test]
fn a_binary_default_is_padded_with_zero_bytes() {
    let db = parse(
        "create table t (a binary(4) not null default '', b binary(3) default 'ab', c varbinary(4) default 'ab');",
    );
    let default = |column: &str| table(&db, "t").column(column).unwrap().default.as_ref().unwrap().sql.to_string();
    assert_eq!(default("a"), r"'\0\0\0\0'");
    assert_eq!(default("b"), r"'ab\0'");
    assert_eq!(default("c"), "'ab'");
}

#[test]
fn the_session_statements_of_a_dump_are_accepted() {
    let db = parse(
        "SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT;
         SET NAMES utf8mb4;
         SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO';
         SET FOREIGN_KEY_CHECKS=0;
         SET TIME_ZONE='+00:00';
         DROP TABLE IF EXISTS `t`, u;
         CREATE TABLE t (a int);
         LOCK TABLES `t` WRITE;
         UNLOCK TABLES;
         CREATE TABLE u (a int);
         SET SQL_MODE=@OLD_SQL_MODE;
         SET FOREIGN_KEY_CHECKS=1;",
    );
    assert_eq!(db.schemas["app"].tables.len(), 2);
}

#[test]
fn a_session_statement_that_changes_the_meaning_is_refused() {
    let options = ParseOptions { dialect: Dialect::Mysql, default_schema: "app".into() };
    for (sql, line, why) in [
        ("create table t (a int);\nset sql_mode = 'ANSI_QUOTES';", 2, "read differently"),
        ("set names latin1;", 1, "UTF-8"),
        ("drop table if exists t, gone;\ncreate table t (a int);", 1, "does not create"),
        ("create table t (a int);\ndrop table if exists t;", 2, "declared earlier"),
        ("set innodb_flush_log_at_trx_commit = 0;", 1, "not one a desired schema may change"),
    ] {
        let error = parse_schema(sql, &options).unwrap_err();
        assert_eq!(error.line(), line, "{sql}: {error}");
        assert!(error.to_string().contains(why), "{sql}: {error}");
    }
}

/// A plan writes a view as its query and a `;`: a query whose last token would take the `;` in is refused.
#[test]
fn a_view_query_must_end_at_a_token() {
    let options = ParseOptions { dialect: Dialect::Mysql, default_schema: "app".into() };
    let error =
        parse_schema("create table t (a int);\ncreate view v as select a from t where @\n;", &options).unwrap_err();
    assert_eq!(error.line(), 2, "{error}");
    assert!(error.to_string().contains("runs into the `;`"), "{error}");
    let error = parse_schema("create view v as select 1 + 3 $$;\n-- $$\n", &options).unwrap_err();
    assert!(error.to_string().contains("runs into the `;`"), "{error}");
    assert!(parse_schema("create view v as select 1 -- one\n;", &options).is_ok());
    // a view named `as`: its query starts after the AS that follows the name
    for (sql, query) in
        [("create view `as` as select 1 as a", "select 1 as a"), ("create view app.as as select 2", "select 2")]
    {
        let db = parse_schema(sql, &options).unwrap();
        assert_eq!(db.schemas["app"].views["as"].query.sql, query);
    }
}

/// An install script's progress lines print and change nothing: accepted and counted; a SELECT that reads
/// anything stays refused.
#[test]
fn progress_selects_and_flush_logs_are_counted_not_managed() {
    let options = ParseOptions { dialect: Dialect::Mysql, default_schema: "app".into() };
    let parsed = crate::parse_schema_with_hints(
        "SELECT 'CREATING DATABASE STRUCTURE' as 'INFO';
         /*!50503 select CONCAT('storage engine: ', @@default_storage_engine) as INFO */;
         create table t (a int);
         flush /*!50503 binary */ logs;",
        &options,
    )
    .unwrap();
    assert_eq!(parsed.not_managed.client_output, 3);
    for sql in ["select a from t;", "select now();", "select @x := 1;", "flush tables;"] {
        assert!(parse_schema(sql, &options).is_err(), "{sql}");
    }
}

/// Partitioning reads as `information_schema.PARTITIONS` shows it; an `ALTER TABLE` partitions a declared table
/// or takes its partitioning off.
#[test]
fn partitioning_reads_as_the_server_shows_it() {
    let options = ParseOptions { dialect: Dialect::Mysql, default_schema: "app".into() };
    let db = parse_schema(
        "create table t (a int, D date) partition by range (Year(d) + 1) (partition p1 values less than (-5) comment 'old',
             partition p2 values less than maxvalue);
         create table l (a int) partition by list (a) (partition p values in (3, null, 010));
         create table u (a int);
         alter table u partition by linear key (A) partitions 2;
         create table v (a int) partition by hash (a);
         alter table v remove partitioning;",
        &options,
    )
    .unwrap();
    let partitioning = |name: &str| table(&db, name).mysql.as_ref().unwrap().partitioning.clone();
    let t = partitioning("t").unwrap();
    assert_eq!((t.method.as_str(), t.expression.as_str()), ("RANGE", "year(`D`) + 1"));
    let bounds: Vec<(&str, Option<&str>, &str)> =
        t.partitions.iter().map(|p| (p.name.as_str(), p.values.as_deref(), p.comment.as_str())).collect();
    assert_eq!(bounds, [("p1", Some("-5"), "old"), ("p2", Some("MAXVALUE"), "")]);
    assert_eq!(partitioning("l").unwrap().partitions[0].values.as_deref(), Some("NULL,3,10"));
    let u = partitioning("u").unwrap();
    assert_eq!((u.method.as_str(), u.expression.as_str(), u.partitions.len()), ("LINEAR KEY", "`A`", 2));
    assert_eq!(partitioning("v"), None);
}

#[test]
fn table_clauses_the_model_does_not_hold_are_refused() {
    let options = ParseOptions { dialect: Dialect::Mysql, default_schema: "app".into() };
    for (sql, line, why) in [
        (
            "create table t (a int, d date)\n  partition by range (a) subpartition by hash (year(d)) subpartitions 2\n  (partition p0 values less than (10))",
            1,
            "SUBPARTITION BY",
        ),
        ("create table t (a int primary key) partition by key algorithm = 2 (a) partitions 2;", 1, "KEY ALGORITHM"),
        (
            "create table t (a int) partition by range (a) (partition p values less than (to_days('2020-01-01')));",
            1,
            "write its value",
        ),
        (
            "create table t (a int) partition by range (a) (partition p values less than (5) max_rows = 10);",
            1,
            "partition option",
        ),
        ("create table t (a int) partition by hash (a) (partition p values in (5));", 1, "do not match"),
        ("create table t (a int) partition by hash (a in (1)) partitions 2;", 1, "partitioning expression"),
        (
            "create table t (a int);\nalter table t add column b int partition by hash (a);",
            2,
            "declare it in CREATE TABLE",
        ),
        ("create table t (a int) partition by list columns (a) (partition p values in ('a\\\\b'));", 1, "backslash"),
        ("create table t (a int) stats_persistent=1;", 1, "STATS_PERSISTENT"),
        ("create table t (a int) row_format='x; drop table t';", 1, "is not one of"),
        ("create table t (a varchar(2) binary) charset='a b';", 1, "not a character set name"),
    ] {
        let error = parse_schema(sql, &options).unwrap_err();
        assert_eq!(error.line(), line, "{sql}: {error}");
        assert!(error.to_string().contains(why), "{sql}: {error}");
    }
    for (sql, row_format) in [
        ("create table t (a int) row_format=dynamic;", "DYNAMIC"),
        ("create table t (a int) row_format=COMPRESSED;", "COMPRESSED"),
        ("create table t (a int) row_format=default;", ""),
    ] {
        let db = parse_schema(sql, &options).unwrap();
        assert_eq!(table(&db, "t").mysql.as_ref().unwrap().row_format, row_format, "{sql}");
    }
}

#[test]
fn other_statements_are_refused_with_their_line() {
    let options = ParseOptions { dialect: Dialect::Mysql, default_schema: "app".into() };
    let error = parse_schema("create table t (a int);\ninsert into t values (1);", &options).unwrap_err();
    assert_eq!(error.line(), 2);
    let error = parse_schema("create table t (a int);\n\ncreate table u (a frobnicate);", &options).unwrap_err();
    assert_eq!(error.line(), 3, "{error}");
}

#[test]
fn alter_table_adds_keys_and_foreign_keys_named_as_the_server_would() {
    let db = parse(
        "create table p (id int primary key);
         create table c (id int primary key, pid int, qid int, constraint c_ibfk_1 foreign key (qid) references p (id));
         alter table c add constraint fk_p foreign key (pid) references p (id), add unique index c_pid (pid);
         alter table c add foreign key (qid) references p (id);",
    );
    let c = table(&db, "c");
    let foreign_keys: Vec<&str> = c.foreign_keys.keys().map(String::as_str).collect();
    assert_eq!(foreign_keys, ["c_ibfk_1", "c_ibfk_2", "fk_p"]);
    assert!(c.indexes.contains_key("c_pid"));
    assert!(
        c.indexes.contains_key("c_ibfk_1"),
        "a named foreign key's index takes its name: {:?}",
        c.indexes.keys().collect::<Vec<_>>()
    );
}

fn parse_error(sql: &str) -> String {
    parse_schema(sql, &ParseOptions { dialect: Dialect::Mysql, default_schema: "app".into() }).unwrap_err().to_string()
}

#[test]
fn keys_on_missing_columns_are_refused_at_their_line() {
    let cases = [
        ("create table t (a int, key (b));", "index b column b does not exist in table t"),
        ("create table t (a int, unique key k (a, zz));", "index k column zz does not exist in table t"),
        ("create table t (a int, primary key (zz));", "primary key column zz does not exist in table t"),
        ("create table t (a int, index i (a), foreign key (zz) references p (id));", "column zz does not exist"),
        ("create table t (a int);\ncreate index i on t (a, b);", "index i column b does not exist in table t"),
        ("create table t (a int);\nalter table t add unique key u (b);", "index u column b does not exist in table t"),
        ("create table t (a int);\nalter table t add primary key (b);", "primary key column b does not exist"),
        ("create table t (a int references p);", "must name the referenced columns"),
        ("create table t (a int, foreign key (a) references p);", "must name the referenced columns"),
    ];
    for (sql, message) in cases {
        let sql = format!("create table p (id int primary key);\n\n{sql}");
        let error = parse_error(&sql);
        assert!(error.starts_with(&format!("line {}: ", sql.lines().count())), "{sql}: {error}");
        assert!(error.contains(message), "{sql}: {error}");
    }
    // names are case-insensitive
    parse("create table t (Id int, primary key (ID), key (iD));");
}

#[test]
fn names_longer_than_64_characters_are_refused_at_their_line() {
    let long = "n".repeat(65);
    let table = "t".repeat(60);
    let cases = [
        format!("create table {long} (a int);"),
        format!("create table t ({long} int);"),
        format!("create table t (a int, index {long} (a));"),
        format!("create table t (a int, constraint {long} check (a > 0));"),
        format!("create table t (a int, constraint {long} foreign key (a) references p (id));"),
        format!("create table {table} (a int, foreign key (a) references p (id));"),
        format!("create table t (a int);\ncreate index {long} on t (a);"),
        format!("create view {long} as select 1;"),
    ];
    for sql in cases {
        let sql = format!("create table p (id int primary key);\n\n{sql}");
        let error = parse_error(&sql);
        assert!(error.starts_with(&format!("line {}: ", sql.lines().count())), "{sql}: {error}");
        assert!(error.contains("is longer than 64 characters"), "{sql}: {error}");
    }
    let fits = "n".repeat(64);
    parse(&format!("create table {fits} ({fits} int, index {fits} ({fits}));"));
}

#[test]
fn the_binary_attribute_is_the_binary_collation_of_the_character_set() {
    let db = parse(
        "create table t (a varchar(10) binary not null, b text binary character set latin1, c binary(16),
           `char` binary(4)) character set utf8mb4 collate utf8mb4_unicode_ci;
         create table u (a char(2) binary) default charset=latin1;",
    );
    let t = table(&db, "t");
    let collation = |table: &Table, column: &str| table.column(column).unwrap().collation.clone();
    assert_eq!(collation(t, "a").as_deref(), Some("utf8mb4_bin"));
    assert!(!t.column("a").unwrap().nullable);
    assert_eq!(collation(t, "b").as_deref(), Some("latin1_bin"));
    assert_eq!((t.column("c").unwrap().data_type.as_str(), collation(t, "c")), ("binary(16)", None));
    assert_eq!(t.column("char").unwrap().data_type, "binary(4)");
    assert_eq!(collation(table(&db, "u"), "a").as_deref(), Some("latin1_bin"));
    let error = parse_error("create table t (id int);\ncreate table v (a varchar(10) binary);");
    assert!(error.starts_with("line 2: ") && error.contains("needs the table's CHARACTER SET"), "{error}");
}

#[test]
fn a_view_query_ends_at_its_last_token() {
    let db = parse(
        "create view a as select 'x;y' as s -- trailing\n;\ncreate view b as select 1 /* kept */ + 2 /* dropped */;",
    );
    let query = |name: &str| db.schemas["app"].views[name].query.sql.clone();
    assert_eq!(query("a"), "select 'x;y' as s");
    assert_eq!(query("b"), "select 1 /* kept */ + 2");
}

#[test]
fn a_trigger_body_is_kept_as_written_and_compared_without_comments_or_layout() {
    let body = |sql: &str| {
        let db = parse(&format!("create table t (id int, n int);\n{sql}"));
        match &db.schemas["app"].tables["t"].triggers["t_bi"].action {
            TriggerAction::Body { body } => body.clone(),
            other => panic!("{other:?}"),
        }
    };
    let plain = body("create trigger t_bi before insert on t for each row begin set new.n = 1; end;");
    let commented =
        body("create trigger t_bi before insert on t for each row\nbegin\n  # one\n  set new.n = 1; -- always\nend;");
    assert_eq!(plain.sql, "begin set new.n = 1; end");
    assert_eq!(plain.canonical, commented.canonical);
    assert_ne!(plain.sql, commented.sql, "what runs is what was written");
}

#[test]
fn trigger_clauses_the_model_does_not_hold_are_refused() {
    for (sql, why) in [
        ("create definer = root@localhost trigger t_bi before insert on t for each row set new.n = 1;", "DEFINER"),
        ("create trigger t_bi before insert on t for each row follows other set new.n = 1;", "FOLLOWS"),
        ("create trigger t_bi before insert on nope for each row set new.n = 1;", "not declared"),
        ("create trigger t_bi before insert on t for each row set new.n = 1 -- x", "ends inside a token"),
    ] {
        let error = parse_error(&format!("create table t (id int, n int);\n{sql}"));
        assert!(error.contains(why), "{sql}: {error}");
    }
}
