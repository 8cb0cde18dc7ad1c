//! The bad-input catalogue: every input gets an answer on every dialect, never a crash. Each case runs on a
//! thread with the 2 MiB stack of a test thread and of a tokio worker (where the operator reconciles), and
//! says whether the input is accepted or refused; a refusal names the line. Accepted inputs also survive a
//! render → parse round trip: the plan that creates them, read back as desired SQL, is the same model.

use driftless_engine::{Desired, EngineError, Settings, compute, parse_desired};
use driftless_model::{Database, Dialect};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Expect {
    Accepted,
    /// Refused, the message naming this line.
    RefusedAt(usize),
}

use Expect::{Accepted, RefusedAt};

const DIALECTS: [Dialect; 3] = [Dialect::Postgres, Dialect::Mysql, Dialect::Sqlite];

fn schema_of(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Mysql => "app",
        other => other.default_schema(),
    }
}

/// Parses `sql` on its own 2 MiB thread; a panic or a stack overflow fails the test (an overflow aborts it).
fn parse(sql: String, dialect: Dialect) -> Result<Database, EngineError> {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || parse_desired(&Desired::from_sql(sql, "bad.sql"), dialect, schema_of(dialect)))
        .unwrap()
        .join()
        .unwrap_or_else(|_| panic!("parsing panicked on {dialect:?}"))
}

/// The plan that creates `db` from an empty database, as one SQL text.
fn rendered(db: &Database) -> String {
    let mut empty = Database::new(db.dialect);
    for name in db.schemas.keys() {
        empty.schema_mut(name);
    }
    compute(&empty, db, &Settings::default()).unwrap().plan.statements.iter().map(|s| format!("{};\n", s.sql)).collect()
}

fn check(name: &str, sql: &str, dialect: Dialect, expect: Expect) {
    let result = parse(sql.to_string(), dialect);
    match (expect, result) {
        (Accepted, Ok(db)) => {
            let text = rendered(&db);
            let again = parse(text.clone(), dialect).unwrap_or_else(|e| {
                panic!("{name} on {dialect:?}: the rendered plan does not parse back: {e}\n{text}")
            });
            assert_eq!(again, db, "{name} on {dialect:?}: the rendered plan reads back differently:\n{text}");
        }
        (RefusedAt(line), Err(error)) => {
            let message = error.to_string();
            assert!(message.contains(&format!("line {line}")), "{name} on {dialect:?}: {message}");
        }
        (expect, result) => panic!("{name} on {dialect:?}: expected {expect:?}, got {result:?}"),
    }
}

/// Inputs every dialect answers the same way.
#[test]
fn malformed_and_extreme_inputs_get_an_answer() {
    let deep_parens = format!("create table t (a int default {}1{});", "(".repeat(20_000), ")".repeat(20_000));
    let long_chain = format!("create table t (a int default 1{});", "+1".repeat(9_000));
    let long_and = format!("create table t (a int, check (a > 0{}));", " and a > 0".repeat(9_000));
    let big_literal = format!("create table t (a text default '{}');", "x".repeat(10 << 20));
    let cases: Vec<(&str, String, Expect)> = vec![
        ("empty", String::new(), Accepted),
        ("whitespace", " \n\t\n".into(), Accepted),
        ("comments only", "-- one\n/* two */\n".into(), Accepted),
        ("a NUL byte", "create table t (a int);\n\0".into(), RefusedAt(2)),
        ("a NUL byte in a string", "create table t (a int);\ncomment on table t is 'a\0b';".into(), RefusedAt(2)),
        ("an unterminated quote", "\ncreate table t (a text default 'x);".into(), RefusedAt(2)),
        ("an unterminated comment", "create table t (a int);\n/* never closed".into(), RefusedAt(2)),
        ("an unterminated parenthesis", "create table t (a int".into(), RefusedAt(1)),
        ("20,000 nested parentheses", deep_parens, RefusedAt(1)),
        ("9,000 chained sums", long_chain, RefusedAt(1)),
        ("9,000 chained ANDs", long_and, RefusedAt(1)),
        ("a 10 MiB literal", big_literal, Accepted),
        ("a table declared twice", "create table t (a int);\ncreate table t (a int);".into(), RefusedAt(2)),
        ("a column declared twice", "create table t (a int, a text);".into(), RefusedAt(1)),
        ("not DDL", "create table t (a int);\ninsert into t values (1);".into(), RefusedAt(2)),
        ("garbage", "\n\n)(*&^%$#@!".into(), RefusedAt(3)),
    ];
    for dialect in DIALECTS {
        for (name, sql, expect) in &cases {
            check(name, sql, dialect, *expect);
        }
    }
}

/// Names and literals built to break out of their quotes, in every position a dialect quotes them.
#[test]
fn hostile_identifiers_and_literals_round_trip() {
    let postgres = r#"create table "a""b; drop table x; --" ("c'd" int primary key, "e\f" text default 'g''h\i', "$$" text);
create index "i */ j" on "a""b; drop table x; --" ("e\f");
create view "v'w" as select "c'd", 'it''s' as "x""y" from "a""b; drop table x; --";
comment on table "a""b; drop table x; --" is 'a ''comment''; -- with \ and $$';"#;
    check("hostile names", postgres, Dialect::Postgres, Accepted);
    let sqlite = r#"create table "a""b; drop table x; --" ("c'd" integer primary key, "e\f" text default 'g''h\i', [k]] l] text);
create index "i */ j" on "a""b; drop table x; --" ("e\f");"#;
    check("hostile names", sqlite, Dialect::Sqlite, Accepted);
    let mysql = r"create table `a``b; drop table x; --` (`c'd` int primary key, `e\f` varchar(20) default 'g''h\\i\'', `$$` text comment 'it''s \\ a ''comment''');
create index `i */ j` on `a``b; drop table x; --` (`e\f`);
create view `v'w` as select `c'd`, 'it''s' as `x``y` from `a``b; drop table x; --`;";
    check("hostile names", mysql, Dialect::Mysql, Accepted);
}
