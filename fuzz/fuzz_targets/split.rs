//! The statement splitter, for every dialect: never panics, and every statement it returns starts on a line
//! of the input, in order.
#![no_main]

use driftless_model::Dialect;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let sql = String::from_utf8_lossy(data);
    let lines = sql.split('\n').count();
    for dialect in [Dialect::Postgres, Dialect::Mysql, Dialect::Sqlite] {
        if let Ok((statements, comments)) = driftless_parse::split_with_comments(&sql, dialect) {
            let mut previous = 1;
            for statement in &statements {
                assert!(statement.line >= previous && statement.line <= lines, "{dialect:?}: line {}", statement.line);
                previous = statement.line;
            }
            for comment in &comments {
                assert!(comment.line >= 1 && comment.line <= lines, "{dialect:?}: comment line {}", comment.line);
            }
        }
    }
});
