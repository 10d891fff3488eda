//! Issue 16, hole 2: with the default cap of 1,024 connections, 1,100
//! HTTP/1.1 keep-alive clients each sending a request every 2 seconds held
//! every slot for good, and new clients failed to connect for the whole
//! run. Now the longest-idle keep-alive connection gives way to a new
//! client, which is served within a second; the keep-alive clients find
//! their connection closed between requests and open another, as
//! keep-alive clients must be ready to (RFC 9112 §9.6).
//!
//! The clients come from ten loopback addresses (110 each, under the
//! per-address cap), with the default limits.

mod common;

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use pale_server::Limits;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio::sync::watch;

use common::{TestServer, connect_from, loopback, raise_fd_limit, read_reply, time_a_new_client};

/// How many keep-alive clients.
const CLIENTS: usize = 1100;

/// How often each sends a request.
const PERIOD: Duration = Duration::from_secs(2);

/// One request on `stream`; `false` if the connection failed (closed by
/// the server between requests, most often).
async fn one_request(stream: &mut TcpStream) -> bool {
    let request = b"GET /api/hello HTTP/1.1\r\nHost: pale.test\r\n\r\n";
    if stream.write_all(request).await.is_err() {
        return false;
    }
    matches!(read_reply(stream).await, Ok(reply) if reply.status == 200)
}

/// A keep-alive client from `from`: a request every [`PERIOD`], starting
/// after `offset`, on one connection for as long as the server keeps it,
/// on a new one (at once) when it does not. Counts answered requests.
async fn keep_alive_client(
    from: IpAddr,
    addr: SocketAddr,
    offset: Duration,
    answered: Arc<AtomicUsize>,
    mut stop: watch::Receiver<bool>,
) {
    tokio::time::sleep(offset).await;
    let mut connection: Option<TcpStream> = None;
    let mut next = tokio::time::Instant::now();
    while !*stop.borrow() {
        let stream = match connection.as_mut() {
            Some(stream) => stream,
            None => match connect_from(from, addr).await {
                Ok(stream) => connection.insert(stream),
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
        };
        if !one_request(stream).await {
            connection = None;
            continue;
        }
        answered.fetch_add(1, Ordering::Relaxed);
        next += PERIOD;
        tokio::select! {
            () = tokio::time::sleep_until(next) => {}
            _ = stop.changed() => return,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn busy_keep_alive_clients_do_not_starve_a_new_one() {
    raise_fd_limit(4 * CLIENTS as u64);
    let server = TestServer::start(Limits::default()).await;
    let (stop, stopped) = watch::channel(false);
    let answered = Arc::new(AtomicUsize::new(0));
    for i in 0..CLIENTS {
        let from = loopback(1, 1 + (i % 10) as u8);
        // Spread over the period, as independent clients are.
        let offset = PERIOD * i as u32 / CLIENTS as u32;
        let client = keep_alive_client(
            from,
            server.addr,
            offset,
            Arc::clone(&answered),
            stopped.clone(),
        );
        tokio::spawn(client);
    }
    // Two periods: every client has connected and sent requests, and more
    // clients than slots take turns.
    tokio::time::sleep(2 * PERIOD).await;
    let before = answered.load(Ordering::Relaxed);
    assert!(
        before >= CLIENTS,
        "only {before} requests answered in two periods"
    );
    let probing = Instant::now();
    for probe in 0..5 {
        let took = time_a_new_client(loopback(0, 1), server.addr).await;
        eprintln!("probe {probe}: served in {took:?}");
        assert!(took < Duration::from_secs(1), "probe {probe} took {took:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // The keep-alive clients were served all along: about one request per
    // client per period (at least half of that, on a busy machine).
    let during = answered.load(Ordering::Relaxed) - before;
    let expected = CLIENTS as f64 * probing.elapsed().as_secs_f64() / PERIOD.as_secs_f64();
    eprintln!("{during} requests of the keep-alive clients answered meanwhile ({expected:.0} due)");
    assert!(
        during as f64 > expected / 2.0,
        "{during} answered, {expected:.0} due"
    );
    stop.send(true).unwrap();
    server.stop().await;
}
