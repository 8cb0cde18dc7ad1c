//! Error texts as the operator's status shows them: the server's message, never the line of PostgreSQL's C
//! source that sqlx's own text ends with (read as a line of the user's SQL).

use driftless_engine::{DatabaseUrl, Session};
use driftless_testkit::TestDb;

#[tokio::test]
async fn a_connection_error_carries_no_c_source_line() {
    let db = TestDb::postgres().await;
    let mut url = url::Url::parse(db.url()).unwrap();
    url.set_path("/no_such_database_here");
    let error = Session::connect(&DatabaseUrl::parse(url.as_str()).unwrap()).await.err().expect("no such database");
    let text = error.to_string();
    assert!(text.contains("does not exist") && text.contains("SQLSTATE 3D000"), "{text}");
    assert!(!text.contains(" at line "), "{text}");
}
