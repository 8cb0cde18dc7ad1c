use super::*;
use crate::{ParseOptions, canon, parse_schema};
use driftless_model::Dialect;

/// Runs `f` on a thread with the stack a Rust test thread gets by default (2 MiB), whatever RUST_MIN_STACK says.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new().stack_size(2 << 20).spawn(f).unwrap().join().unwrap()
}

fn chain(term: &str, op: &str, n: usize) -> String {
    vec![term; n].join(op)
}

/// PostgreSQL's form of an n-term chain of a left-associative operator: every step parenthesized.
fn stored_chain(term: &str, op: &str, n: usize) -> String {
    let mut text = term.to_string();
    for _ in 1..n {
        text = format!("({text} {op} {term})");
    }
    text
}

fn deep_schemas(n: usize) -> Vec<String> {
    vec![
        format!("-- deep\n\ncreate table t (a int default {});", chain("1", "+", n)),
        format!("-- deep\n\ncreate table t (a text default {});", chain("'a'", "||", n)),
        format!("-- deep\n\ncreate table t (x int, check ({}));", chain("x > 0", " and ", n)),
        format!("-- deep\n\ncreate table t (x int check ({}));", chain("x > 0", " or ", n)),
        format!("-- deep\n\ncreate view v as {};", chain("select 1", " union ", n)),
    ]
}

#[test]
fn chains_deeper_than_the_budget_are_refused_with_the_line() {
    for dialect in [Dialect::Postgres, Dialect::Mysql, Dialect::Sqlite] {
        for n in [MAX_DEPTH + 5, 9_000, 50_000] {
            for sql in deep_schemas(n) {
                let result = on_small_stack(move || parse_schema(&sql, &ParseOptions::new(dialect)).map(|_| ()));
                let error = result.expect_err("a chain deeper than the budget is refused").to_string();
                assert!(error.starts_with("line 3: "), "{dialect:?}, {n}: {error}");
                assert!(error.contains(": expression nests deeper than 1000 levels"), "{dialect:?}, {n}: {error}");
            }
        }
    }
}

#[test]
fn chains_within_the_budget_parse() {
    for dialect in [Dialect::Postgres, Dialect::Mysql, Dialect::Sqlite] {
        for sql in deep_schemas(300) {
            let result = on_small_stack(move || parse_schema(&sql, &ParseOptions::new(dialect)).map(|_| ()));
            assert_eq!(result, Ok(()), "{dialect:?}");
        }
    }
}

#[test]
fn deep_nesting_in_parentheses_is_refused_too() {
    let sql = format!("create table t (a int default {}1{});", "(".repeat(5000), ")".repeat(5000));
    let error = on_small_stack(move || parse_schema(&sql, &ParseOptions::new(Dialect::Postgres)).map(|_| ()))
        .expect_err("refused")
        .to_string();
    assert!(error.starts_with("line 1: "), "{error}");
}

#[test]
fn canonical_forms_of_any_depth_are_answered() {
    on_small_stack(|| {
        for n in [5_000, 100_000] {
            let text = chain("1", "+", n);
            assert_eq!(canon::expr(&text), canon::collapse_whitespace(&text));
            let query = chain("select 1", " union ", n);
            assert_eq!(canon::query(&query), canon::collapse_whitespace(&query));
        }
    });
}

#[test]
fn postgres_stored_chains_have_the_desired_canonical_form() {
    on_small_stack(|| {
        for n in [60, 300, MAX_DEPTH] {
            assert_eq!(canon::expr(&stored_chain("1", "+", n)), canon::expr(&chain("1", " + ", n)), "{n}");
            assert_eq!(canon::expr(&stored_chain("'a'::text", "||", n)), canon::expr(&chain("'a'", " || ", n)), "{n}");
        }
    });
}

#[test]
fn dismantling_takes_any_depth_apart() {
    on_small_stack(|| {
        let sql = format!(
            "create view v as select {} from t where {}",
            chain("1", "+", 200_000),
            chain("x", " or ", 200_000)
        );
        let statement = sqlparser::parser::Parser::new(&sqlparser::dialect::PostgreSqlDialect {})
            .try_with_sql(&sql)
            .unwrap()
            .parse_statement()
            .unwrap();
        assert!(exceeds(&statement, MAX_DEPTH));
        dismantle(statement);
    });
}

#[test]
fn a_syntax_error_after_a_deep_chain_is_answered() {
    for dialect in [Dialect::Postgres, Dialect::Mysql, Dialect::Sqlite] {
        for tail in [" garbage(", ")", " + ", ", b int check (1 +))"] {
            let sql = format!("create table t (a int default {}{tail};", chain("1", "+", 50_000));
            let result = on_small_stack(move || parse_schema(&sql, &ParseOptions::new(dialect)).map(|_| ()));
            assert!(result.unwrap_err().to_string().starts_with("line 1: "), "{dialect:?} {tail}");
        }
    }
}

/// Expressions that nest `n` levels deep in other ways than a chain.
fn nested_shapes(n: usize) -> Vec<String> {
    vec![
        format!("{}1{}", "f(".repeat(n), ")".repeat(n)),
        format!("{}1{}", "(".repeat(n), ")".repeat(n)),
        format!("{}x", "not ".repeat(n)),
        format!("{}1", "- ".repeat(n)),
        format!("x{}", "::int".repeat(n)),
        format!("{}1{}", "case when x then ".repeat(n), " end".repeat(n)),
        format!("{}1{}", "coalesce(x, ".repeat(n), ")".repeat(n)),
        format!("{}1{}", "(select ".repeat(n / 4), ")".repeat(n / 4)),
        format!("{}1{}", "array[".repeat(n), "]".repeat(n)),
        format!("x{}", " is null".repeat(n)),
        format!("x{}", " collate \"C\"".repeat(n)),
    ]
}

#[test]
fn other_nestings_within_and_beyond_the_budget_are_answered() {
    for n in [MAX_DEPTH - 10, 3 * MAX_DEPTH] {
        for expr in nested_shapes(n) {
            for dialect in [Dialect::Postgres, Dialect::Mysql, Dialect::Sqlite] {
                let sql = format!("create table t (x int, a int default ({expr}));");
                // an answer, whichever it is: a model or an error at the line
                let result = on_small_stack(move || parse_schema(&sql, &ParseOptions::new(dialect)).map(|_| ()));
                if let Err(error) = result {
                    assert!(error.to_string().starts_with("line 1: "), "{error}");
                }
            }
            on_small_stack(move || {
                let _ = canon::expr(&expr);
                let _ = canon::query(&format!("select {expr}"));
            });
        }
    }
}

#[test]
fn deep_nesting_parses_in_linear_time() {
    // a recursion limit met halfway down made sqlparser backtrack at every level: 5 s for 3,000 CASEs
    for expr in nested_shapes(3 * MAX_DEPTH) {
        let started = std::time::Instant::now();
        let sql = format!("create table t (x int, a int default ({expr}));");
        let _ = on_small_stack(move || parse_schema(&sql, &ParseOptions::new(Dialect::Postgres)).map(|_| ()));
        assert!(started.elapsed() < std::time::Duration::from_secs(2), "{}: {:?}", &expr[..20], started.elapsed());
    }
}
