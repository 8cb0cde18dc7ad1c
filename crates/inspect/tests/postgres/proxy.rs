//! A TCP proxy in front of PostgreSQL that counts the client's round trips.
//!
//! A client waits for the server once per `Sync` (extended protocol: prepare, then bind and execute) and once
//! per simple `Query`, so counting those messages counts round trips without trusting the code under test.

use sqlx::postgres::{PgConnectOptions, PgSslMode};
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Frontend message types after which the client waits for `ReadyForQuery`.
const SYNC: u8 = b'S';
const SIMPLE_QUERY: u8 = b'Q';

pub struct RoundTripCounter {
    round_trips: Arc<AtomicUsize>,
    options: PgConnectOptions,
}

impl RoundTripCounter {
    /// Starts a proxy to the server of `url` that accepts one connection.
    pub async fn start(url: &str) -> RoundTripCounter {
        let upstream = PgConnectOptions::from_str(url).expect("test database URL");
        let upstream_address = format!("{}:{}", upstream.get_host(), upstream.get_port());
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("binding the proxy");
        let port = listener.local_addr().expect("proxy address").port();
        let round_trips = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&round_trips);
        tokio::spawn(async move {
            let (client, _) = listener.accept().await.expect("accepting the client");
            let server = TcpStream::connect(upstream_address).await.expect("connecting to the server");
            forward(client, server, counter).await;
        });
        // TLS would hide the messages; the proxy is on loopback anyway.
        let options = upstream.host("127.0.0.1").port(port).ssl_mode(PgSslMode::Disable);
        RoundTripCounter { round_trips, options }
    }

    /// Options that connect through the proxy.
    pub fn connect_options(&self) -> PgConnectOptions {
        self.options.clone()
    }

    pub fn round_trips(&self) -> usize {
        self.round_trips.load(Ordering::SeqCst)
    }
}

async fn forward(client: TcpStream, server: TcpStream, round_trips: Arc<AtomicUsize>) {
    let (mut client_read, mut client_write) = client.into_split();
    let (mut server_read, mut server_write) = server.into_split();
    tokio::spawn(async move {
        let _ = tokio::io::copy(&mut server_read, &mut client_write).await;
    });
    // The startup message has no type byte: a length that counts itself, then the body.
    let Ok(length) = client_read.read_u32().await else { return };
    let mut body = vec![0; length as usize - 4];
    if client_read.read_exact(&mut body).await.is_err() {
        return;
    }
    if server_write.write_all(&[&length.to_be_bytes()[..], &body].concat()).await.is_err() {
        return;
    }
    // Every later message: a type byte, then a length that counts itself, then the body.
    loop {
        let Ok(kind) = client_read.read_u8().await else { return };
        let Ok(length) = client_read.read_u32().await else { return };
        let mut body = vec![0; length as usize - 4];
        if client_read.read_exact(&mut body).await.is_err() {
            return;
        }
        if kind == SYNC || kind == SIMPLE_QUERY {
            round_trips.fetch_add(1, Ordering::SeqCst);
        }
        if server_write.write_all(&[&[kind][..], &length.to_be_bytes(), &body].concat()).await.is_err() {
            return;
        }
    }
}
