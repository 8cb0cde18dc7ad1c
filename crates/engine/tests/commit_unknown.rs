//! The connection lost during `COMMIT`: a TCP proxy in front of PostgreSQL cuts the client off when it sends
//! `COMMIT`, either after passing it on (the server commits; the client never hears) or before (the server
//! rolls back). Either way the report says the outcome is unknown, never "nothing was applied", and a re-plan
//! shows what actually happened.

use driftless_engine::{ApplyError, ApplyOutcome, Approval, DatabaseUrl, Desired, EngineError, Session, Settings};
use driftless_testkit::TestDb;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Clone, Copy, PartialEq)]
enum Cut {
    /// COMMIT reaches the server; its answer never reaches the client.
    AfterForwarding,
    /// COMMIT never reaches the server.
    BeforeForwarding,
}

/// A proxy to the server of `url` for one connection; returns the URL to connect through it.
async fn proxy(url: &str, cut: Cut) -> String {
    let mut upstream = url::Url::parse(url).unwrap();
    let address = format!("{}:{}", upstream.host_str().unwrap(), upstream.port().unwrap_or(5432));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let (client, _) = listener.accept().await.unwrap();
        let server = TcpStream::connect(address).await.unwrap();
        forward(client, server, cut).await;
    });
    upstream.set_host(Some("127.0.0.1")).unwrap();
    upstream.set_port(Some(port)).unwrap();
    upstream.query_pairs_mut().append_pair("sslmode", "disable");
    upstream.to_string()
}

fn is_commit(kind: u8, body: &[u8]) -> bool {
    let text = String::from_utf8_lossy(body).to_ascii_uppercase();
    match kind {
        b'Q' => text.trim_end_matches('\0').trim().trim_end_matches(';') == "COMMIT",
        b'P' => text.contains("\0COMMIT\0"),
        _ => false,
    }
}

async fn forward(client: TcpStream, server: TcpStream, cut: Cut) {
    let (mut client_read, client_write) = client.into_split();
    let (mut server_read, mut server_write) = server.into_split();
    let cutting = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(tokio::sync::Notify::new());
    {
        let cutting = Arc::clone(&cutting);
        let stop = Arc::clone(&stop);
        let mut client_write = client_write;
        tokio::spawn(async move {
            let mut buffer = vec![0; 64 * 1024];
            loop {
                tokio::select! {
                    read = server_read.read(&mut buffer) => {
                        let Ok(n) = read else { return };
                        if n == 0 || cutting.load(Ordering::SeqCst) {
                            return;
                        }
                        if client_write.write_all(&buffer[..n]).await.is_err() {
                            return;
                        }
                    }
                    _ = stop.notified() => return,
                }
            }
            // dropping client_write closes the client's connection
        });
    }
    // the startup message: a length that counts itself, then the body (no type byte)
    let Ok(length) = client_read.read_u32().await else { return };
    let mut body = vec![0; length as usize - 4];
    if client_read.read_exact(&mut body).await.is_err() {
        return;
    }
    if server_write.write_all(&[&length.to_be_bytes()[..], &body].concat()).await.is_err() {
        return;
    }
    let mut plan_ran = false;
    loop {
        let Ok(kind) = client_read.read_u8().await else { return };
        let Ok(length) = client_read.read_u32().await else { return };
        let mut body = vec![0; length as usize - 4];
        if client_read.read_exact(&mut body).await.is_err() {
            return;
        }
        let message = [&[kind][..], &length.to_be_bytes(), &body].concat();
        // inspect runs in transactions of its own: only the COMMIT after the plan's statements is cut
        if String::from_utf8_lossy(&body).contains("CREATE TABLE") {
            plan_ran = true;
        }
        if plan_ran && is_commit(kind, &body) {
            cutting.store(true, Ordering::SeqCst);
            if cut == Cut::AfterForwarding {
                let _ = server_write.write_all(&message).await;
                let _ = server_write.flush().await;
                // let the server commit before the connection to it closes
                tokio::time::sleep(Duration::from_millis(300)).await;
            }
            stop.notify_one();
            return; // drops both halves towards the server and the client's read half
        }
        if server_write.write_all(&message).await.is_err() {
            return;
        }
    }
}

const DESIRED: &str = "create table t (id int, note text); create table u (id int);";

async fn table_exists(db: &TestDb, name: &str) -> bool {
    let mut conn = db.connect().await;
    sqlx::query_scalar("select to_regclass($1) is not null").bind(name).fetch_one(&mut conn).await.unwrap()
}

/// Applies through a proxy that cuts at COMMIT, and returns the error.
async fn apply_cut(db: &TestDb, cut: Cut) -> ApplyError {
    let url = proxy(db.url(), cut).await;
    let mut session = Session::connect(&DatabaseUrl::parse(&url).unwrap()).await.unwrap();
    let result = session.apply(&Desired::from_sql(DESIRED, "s.sql"), &Settings::default(), Approval::Policy).await;
    match result {
        Err(EngineError::Apply(error)) => error,
        other => panic!("unexpected {other:?}"),
    }
}

/// The server may take a moment to notice the closed connection and end the backend.
async fn settled(db: &TestDb) {
    let mut conn = db.connect().await;
    for _ in 0..100 {
        let others: i64 =
            sqlx::query_scalar("select count(*) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()")
                .bind(db.name())
                .fetch_one(&mut conn)
                .await
                .unwrap();
        if others == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the cut backend never ended")
}

fn assert_unknown(error: &ApplyError) {
    assert!(error.outcome_unknown(), "{error:?}");
    let message = error.to_string();
    assert!(
        message.contains("outcome unknown: the transaction may or may not have committed; re-run plan"),
        "{message}"
    );
    assert!(!message.contains("nothing was applied"), "{message}");
}

#[tokio::test]
async fn a_commit_whose_answer_is_lost_is_reported_unknown_and_had_committed() {
    let db = TestDb::postgres().await;
    let error = apply_cut(&db, Cut::AfterForwarding).await;
    assert_unknown(&error);
    settled(&db).await;
    assert!(table_exists(&db, "t").await && table_exists(&db, "u").await, "the transaction had committed");
    let mut session = Session::connect(&DatabaseUrl::parse(db.url()).unwrap()).await.unwrap();
    let replan = session.plan(&Desired::from_sql(DESIRED, "s.sql"), &Settings::default()).await.unwrap();
    assert!(replan.in_sync(), "{:?}", replan.plan);
}

#[tokio::test]
async fn a_commit_that_never_arrives_is_reported_unknown_and_had_not_committed() {
    let db = TestDb::postgres().await;
    let error = apply_cut(&db, Cut::BeforeForwarding).await;
    assert_unknown(&error);
    settled(&db).await;
    assert!(!table_exists(&db, "t").await && !table_exists(&db, "u").await, "the transaction was rolled back");
    let mut session = Session::connect(&DatabaseUrl::parse(db.url()).unwrap()).await.unwrap();
    let desired = Desired::from_sql(DESIRED, "s.sql");
    let outcome = session.apply(&desired, &Settings::default(), Approval::Policy).await.unwrap();
    assert!(matches!(outcome, ApplyOutcome::Applied { .. }), "{outcome:?}");
    assert!(session.plan(&desired, &Settings::default()).await.unwrap().in_sync());
}
