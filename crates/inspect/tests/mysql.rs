//! MySQL/MariaDB inspection on the local MariaDB (see scripts/test-env): the number of round trips does not
//! grow with the number of tables, counted by a TCP proxy that reads the client's protocol packets.

use driftless_inspect::{MYSQL_PARALLEL_FROM_TABLES, MYSQL_ROUND_TRIPS, inspect_mysql};
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

#[tokio::test]
async fn a_large_schema_is_read_over_two_connections_as_it_is_over_one() {
    let tables = MYSQL_PARALLEL_FROM_TABLES + 10;
    let db = database_of(tables).await;
    let schemas = [db.name().to_string()];
    let mut conn = db.connect_mysql().await;
    let on_one = inspect_mysql(&mut conn, None, &schemas).await.unwrap();

    let counts = Arc::new(Counts::default());
    let options = proxy(db.url(), Arc::clone(&counts)).await;
    let mut conn = options.connect().await.unwrap();
    let on_two = inspect_mysql(&mut conn, Some(&options), &schemas).await.unwrap();
    assert_eq!(counts.connections.load(Ordering::SeqCst), 2, "connections through the proxy");
    assert_eq!(on_one.schemas[db.name()].tables.len(), tables);
    assert_eq!(on_one, on_two);
}

/// A database of `tables` tables, each with a view, a check, a foreign key, an index and a two-column key.
async fn database_of(tables: usize) -> TestDb {
    let db = TestDb::mysql().await;
    let ddl: String = (0..tables)
        .map(|n| {
            format!(
                "create table t{n} (id int auto_increment primary key, name varchar(20) not null check (name <> ''), \
                 parent int, code char(2) default 'xx', key (name), unique key (code, name), \
                 foreign key (parent) references t{n} (id) on delete cascade);
                 create view v{n} as select id from t{n};"
            )
        })
        .collect();
    db.connect_mysql().await.execute(sqlx::raw_sql(sqlx::AssertSqlSafe(ddl))).await.unwrap();
    db
}

async fn round_trips_to_inspect(tables: usize) -> usize {
    let db = database_of(tables).await;

    let counts = Arc::new(Counts::default());
    let options = proxy(db.url(), Arc::clone(&counts)).await;
    let mut conn = options.connect().await.unwrap();
    let before = counts.round_trips.load(Ordering::SeqCst);
    let database = inspect_mysql(&mut conn, None, &[db.name().to_string()]).await.unwrap();
    let counted = counts.round_trips.load(Ordering::SeqCst) - before;
    let schema = &database.schemas[db.name()];
    assert_eq!((schema.tables.len(), schema.views.len()), (tables, tables));
    assert!(schema.tables.values().all(|t| t.foreign_keys.len() == 1 && t.checks.len() == 1 && t.indexes.len() == 3));
    counted
}

/// What the proxy saw.
#[derive(Default)]
struct Counts {
    connections: AtomicUsize,
    round_trips: AtomicUsize,
}

/// Starts a proxy to the server of `url`; returns options that connect through it. Every command a client
/// sends starts a packet with sequence number 0, and the client waits for the answer (but for the commands
/// that have none).
async fn proxy(url: &str, counts: Arc<Counts>) -> MySqlConnectOptions {
    let upstream = MySqlConnectOptions::from_str(url).expect("test database URL");
    let address = format!("{}:{}", upstream.get_host(), upstream.get_port());
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binding the proxy");
    let port = listener.local_addr().expect("proxy address").port();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            counts.connections.fetch_add(1, Ordering::SeqCst);
            let server = TcpStream::connect(address.clone()).await.expect("connecting to the server");
            tokio::spawn(relay(client, server, Arc::clone(&counts)));
        }
    });
    // TLS would hide the packets; the proxy is on loopback anyway
    upstream.host("127.0.0.1").port(port).ssl_mode(MySqlSslMode::Disabled)
}

/// Passes packets between a client and the server, counting the client's commands.
async fn relay(client: TcpStream, server: TcpStream, counts: Arc<Counts>) {
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
            counts.round_trips.fetch_add(1, Ordering::SeqCst);
        }
        if server_write.write_all(&[&header[..], &body].concat()).await.is_err() {
            return;
        }
    }
}
