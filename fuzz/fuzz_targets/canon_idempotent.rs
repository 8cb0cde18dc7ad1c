//! The parse crate's own round trip: a canonical form is printed SQL that reads back as the same tree, so
//! canonicalizing it again changes nothing. (Whole schemas: render_round_trip.)
#![no_main]

use driftless_parse::canon;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let sql = String::from_utf8_lossy(data);
    let once = canon::expr(&sql);
    assert_eq!(canon::expr(&once), once, "expression {sql:?}");
    let once = canon::query(&sql);
    assert_eq!(canon::query(&once), once, "query {sql:?}");
});
