//! Parse and normalize a desired schema in the Sqlite dialect: any input gets an answer (a model or an error
//! naming a line of the input), never a panic or a stack overflow.
#![no_main]

use driftless_model::Dialect;
use driftless_parse::{ParseOptions, parse_schema_with_hints};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let sql = String::from_utf8_lossy(data);
    if let Err(error) = parse_schema_with_hints(&sql, &ParseOptions::new(Dialect::Sqlite)) {
        let lines = sql.split('\n').count();
        assert!(error.line() >= 1 && error.line() <= lines, "line {} of {lines}: {error}", error.line());
    }
    // the live side: what SQLite keeps in sqlite_schema, one text per object
    let _ = driftless_parse::parse_sqlite_stored(&[sql.to_string()]);
});
