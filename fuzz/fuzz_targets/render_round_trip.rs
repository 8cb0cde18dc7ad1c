//! Render → parse round trip: a schema that parses is planned from an empty database, and the plan's script
//! parses back to the same model, in each dialect that reads it. A statement the renderer prints must read
//! back as what it was rendered from, or a reviewed plan would not be what converges.
#![no_main]

use driftless_model::{Database, Dialect};
use driftless_parse::{ParseOptions, parse_schema};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let sql = String::from_utf8_lossy(data);
    for dialect in [Dialect::Postgres, Dialect::Mysql, Dialect::Sqlite] {
        round_trip(&sql, dialect);
    }
});

fn round_trip(sql: &str, dialect: Dialect) {
    let options = ParseOptions::new(dialect);
    let parse = |sql: &str| {
        parse_schema(sql, &options).map(|mut db| {
            if dialect == Dialect::Mysql {
                driftless_model::mysql::resolve_inherited(&mut db, "utf8mb4_general_ci");
            }
            db
        })
    };
    let Ok(desired) = parse(sql) else { return };
    // a MySQL connection manages one database; the engine refuses a name qualified with another one
    if dialect == Dialect::Mysql && desired.schemas.len() > 1 {
        return;
    }
    let empty: Database = parse("").expect("an empty schema parses");
    let changes = driftless_diff::diff(&empty, &desired);
    // a change the dialect has no SQL for is refused with an error, which is an answer
    let Ok(plan) = driftless_plan::plan(changes, &empty) else { return };
    let script = plan.to_sql();
    let rendered = match parse(&script) {
        Ok(rendered) => rendered,
        Err(error) => panic!("{dialect:?}: the rendered plan does not parse: {error}\n{script}"),
    };
    let difference = driftless_diff::diff(&rendered, &desired);
    assert!(difference.is_empty(), "{dialect:?}: the rendered plan reads back different: {difference:?}\n{script}");
}
