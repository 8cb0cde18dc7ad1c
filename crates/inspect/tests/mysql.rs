//! MySQL/MariaDB inspection on the local MariaDB (see scripts/test-env): the number of round trips does not
//! grow with the number of tables, counted by a TCP proxy that reads the client's protocol packets.

use driftless_inspect::{MYSQL_ROUND_TRIPS, inspect_mysql};
use driftless_testkit::TestDb;
use sqlx::mysql::{MySqlConnectOptions, MySqlSslMode};
use sqlx::{ConnectOptions, Executor};
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// `COM_STMT_CLOSE` and `COM_STMT_SEND_LONG_DATA` get no answer from the server: not round trips.
const NO_RESPONSE_COMMANDS: [u8; 2] = [0x19, 0x18];

#[tokio::test]
async fn round_trips_do_not_grow_with_the_number_of_tables() {
    let few = round_trips_to_inspect(2).await;
    let many = round_trips_to_inspect(120).await;
    assert_eq!(few, many, "round trips for 2 tables vs 120 tables");
    // each query prepared, then executed, on a fresh connection
    assert_eq!(few, MYSQL_ROUND_TRIPS * 2);
}

async fn round_trips_to_inspect(tables: usize) -> usize {
    let db = TestDb::mysql().await;
    let ddl: String = (0..tables)
        .map(|n| {
            format!(
                "create table t{n} (id int auto_increment primary key, name varchar(20) not null check (name <> ''), \
                 parent int, key (name), foreign key (parent) references t{n} (id));
                 create view v{n} as select id from t{n};"
            )
        })
        .collect();
    db.connect_mysql().await.execute(sqlx::raw_sql(sqlx::AssertSqlSafe(ddl))).await.unwrap();

    let round_trips = Arc::new(AtomicUsize::new(0));
    let options = proxy(db.url(), Arc::clone(&round_trips)).await;
    let mut conn = options.connect().await.unwrap();
    let before = round_trips.load(Ordering::SeqCst);
    let database = inspect_mysql(&mut conn, &[db.name().to_string()]).await.unwrap();
    let counted = round_trips.load(Ordering::SeqCst) - before;
    let schema = &database.schemas[db.name()];
    assert_eq!((schema.tables.len(), schema.views.len()), (tables, tables));
    assert!(schema.tables.values().all(|t| t.foreign_keys.len() == 1 && t.checks.len() == 1 && t.indexes.len() == 2));
    counted
}

/// Starts a proxy to the server of `url` for one connection; returns options that connect through it.
/// Every command the client sends starts a packet with sequence number 0, and the client waits for the
/// answer (but for the commands that have none).
async fn proxy(url: &str, round_trips: Arc<AtomicUsize>) -> MySqlConnectOptions {
    let upstream = MySqlConnectOptions::from_str(url).expect("test database URL");
    let address = format!("{}:{}", upstream.get_host(), upstream.get_port());
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binding the proxy");
    let port = listener.local_addr().expect("proxy address").port();
    tokio::spawn(async move {
        let (client, _) = listener.accept().await.expect("accepting the client");
        let server = TcpStream::connect(address).await.expect("connecting to the server");
        let (mut client_read, mut client_write) = client.into_split();
        let (mut server_read, mut server_write) = server.into_split();
        tokio::spawn(async move {
            let _ = tokio::io::copy(&mut server_read, &mut client_write).await;
        });
        loop {
            let mut header = [0u8; 4];
            if client_read.read_exact(&mut header).await.is_err() {
                return;
            }
            let length = u32::from_le_bytes([header[0], header[1], header[2], 0]) as usize;
            let mut body = vec![0; length];
            if client_read.read_exact(&mut body).await.is_err() {
                return;
            }
            if header[3] == 0 && body.first().is_some_and(|command| !NO_RESPONSE_COMMANDS.contains(command)) {
                round_trips.fetch_add(1, Ordering::SeqCst);
            }
            if server_write.write_all(&[&header[..], &body].concat()).await.is_err() {
                return;
            }
        }
    });
    // TLS would hide the packets; the proxy is on loopback anyway
    upstream.host("127.0.0.1").port(port).ssl_mode(MySqlSslMode::Disabled)
}
