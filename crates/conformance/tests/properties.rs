//! Property-based convergence on PostgreSQL, MariaDB and SQLite: random pairs of schemas (A, B) — tables,
//! columns over each dialect's common types, nullability, defaults with hostile literals, primary keys, unique
//! constraints, foreign keys, checks, indexes, views and PostgreSQL enums — rendered as desired SQL and run
//! through the convergence oracle: build A, A plans empty against itself, apply B, the live schema equals a
//! fresh build of B, re-plan empty, then the same back to A.
//!
//! The schemas are generated as structured seeds and rendered to SQL inside the test, so proptest shrinks a
//! failure to a minimal pair; the failure message shows both SQL texts and the seed to replay it with.
//!
//! A normal `cargo test` runs 16 pairs per engine. A longer run:
//!
//!     PROPTEST_CASES=500 cargo test -p driftless-conformance --test properties
//!
//! Replay a failure with `PROPTEST_RNG_SEED=<seed>` (printed on failure); `PROPTEST_MAX_SHRINK_TIME` (ms,
//! default 120000 here) bounds shrinking. PostgreSQL and MariaDB come from `eval "$(scripts/test-env)"`.

#[path = "properties/schema.rs"]
mod schema;

use driftless_conformance::{Case, check, check_mysql, check_sqlite};
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestError, TestRunner};
use schema::{Dialect, PairSeed, pair, resolve_pair};
use std::sync::atomic::{AtomicUsize, Ordering};

const DEFAULT_CASES: u32 = 16;

fn config() -> (Config, u64) {
    let mut config = Config::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = DEFAULT_CASES;
    }
    if std::env::var_os("PROPTEST_MAX_SHRINK_TIME").is_none() {
        config.max_shrink_time = 120_000;
    }
    if std::env::var_os("PROPTEST_MAX_SHRINK_ITERS").is_none() {
        config.max_shrink_iters = 4096;
    }
    config.failure_persistence = None;
    let seed = match config.rng_seed {
        RngSeed::Fixed(seed) => seed,
        RngSeed::Random => {
            use std::hash::{BuildHasher, Hasher};
            let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
            hasher.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos());
            hasher.finish()
        }
    };
    config.rng_seed = RngSeed::Fixed(seed);
    (config, seed)
}

/// The two SQL texts of a pair in one dialect.
fn render(seed: &PairSeed, dialect: Dialect) -> (String, String) {
    let (a, b) = resolve_pair(seed, dialect);
    (a.to_sql(), b.to_sql())
}

fn run_engine(dialect: Dialect) {
    let (config, seed) = config();
    let cases = config.cases;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("tokio runtime");
    let ran = AtomicUsize::new(0);
    let converged = AtomicUsize::new(0);
    let mut runner = TestRunner::new(config);
    let outcome = runner.run(&pair(), |seed| {
        let (a, b) = render(&seed, dialect);
        let case = Case {
            name: "property".into(),
            current: a,
            desired: b,
            reversible: true,
            online: false,
            min_postgres_major: None,
            max_postgres_major: None,
            refused: None,
        };
        ran.fetch_add(1, Ordering::Relaxed);
        let result = match dialect {
            Dialect::Postgres => runtime.block_on(check(&case)),
            Dialect::Mysql => runtime.block_on(check_mysql(&case)),
            Dialect::Sqlite => runtime.block_on(check_sqlite(&case)),
        };
        match result {
            Ok(()) => {
                converged.fetch_add(1, Ordering::Relaxed);
                Ok(())
            }
            Err(failure) => {
                let kind = if failure.invalid_case { "the generator made invalid SQL" } else { "no convergence" };
                Err(TestCaseError::fail(format!("{kind}: {failure}")))
            }
        }
    });
    let ran = ran.load(Ordering::Relaxed);
    let converged = converged.load(Ordering::Relaxed);
    eprintln!(
        "properties {dialect:?}: seed {seed}, {cases} cases asked, {ran} pairs run (with shrinking), {converged} converged"
    );
    match outcome {
        Ok(()) => {}
        Err(TestError::Fail(reason, minimal)) => {
            let (a, b) = render(&minimal, dialect);
            panic!(
                "{dialect:?}: a pair did not converge (replay with PROPTEST_RNG_SEED={seed}).\n{reason}\n\
                 -- minimal A (current):\n{a}\n-- minimal B (desired):\n{b}\n-- seed value: {minimal:?}"
            );
        }
        Err(TestError::Abort(reason)) => panic!("{dialect:?}: aborted (seed {seed}): {reason}"),
    }
}

#[test]
fn postgres_pairs_converge() {
    run_engine(Dialect::Postgres);
}

#[test]
fn mysql_pairs_converge() {
    run_engine(Dialect::Mysql);
}

#[test]
fn sqlite_pairs_converge() {
    run_engine(Dialect::Sqlite);
}

/// Runs one pair given as SQL files, to check a reproducer by hand:
/// `REPLAY_ENGINE=postgres|mysql|sqlite REPLAY_A=a.sql REPLAY_B=b.sql cargo test -p driftless-conformance
/// --test properties replay -- --ignored --nocapture`.
#[test]
#[ignore]
fn replay() {
    let read = |var: &str| std::fs::read_to_string(std::env::var(var).expect(var)).expect(var);
    let case = Case {
        name: "replay".into(),
        current: read("REPLAY_A"),
        desired: read("REPLAY_B"),
        reversible: true,
        online: false,
        min_postgres_major: None,
        max_postgres_major: None,
        refused: None,
    };
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("tokio runtime");
    let result = match std::env::var("REPLAY_ENGINE").expect("REPLAY_ENGINE").as_str() {
        "postgres" => runtime.block_on(check(&case)),
        "mysql" => runtime.block_on(check_mysql(&case)),
        "sqlite" => runtime.block_on(check_sqlite(&case)),
        other => panic!("unknown engine {other}"),
    };
    if let Err(failure) = result {
        panic!("{failure}");
    }
}

/// Prints generated pairs without running them, to see what the generator makes:
/// `cargo test -p driftless-conformance --test properties sample -- --ignored --nocapture`.
#[test]
#[ignore]
fn sample() {
    use proptest::strategy::{Strategy, ValueTree};
    let mut runner = TestRunner::new(config().0);
    for dialect in [Dialect::Postgres, Dialect::Mysql, Dialect::Sqlite] {
        for _ in 0..3 {
            let seed = pair().new_tree(&mut runner).expect("a pair").current();
            let (a, b) = render(&seed, dialect);
            println!("==== {dialect:?}\n-- A\n{a}-- B\n{b}");
        }
    }
}
