//! Issue 16, hole 1: 1,100 HTTP/2 connections that send the preface and
//! nothing else, answering the server's PINGs as every HTTP/2 library
//! does, filled the connection cap (1,024) and every other client waited
//! for ever. Now, at the cap, the longest-idle connection gives way: a new
//! client is served within a second, every time, while the idle clients
//! reconnect as fast as they are closed.
//!
//! Played twice: from ten client addresses (110 connections each, under
//! the per-address cap), with the default limits; and from one address
//! with the per-address cap off, as behind a reverse proxy.

mod common;

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use pale_server::Limits;
use tokio::sync::watch;

use common::{TestServer, h2_connect, loopback, raise_fd_limit, time_a_get, time_a_new_client};

/// How many idle connections the attack holds.
const ATTACKERS: usize = 1100;

/// Holds an idle HTTP/2 connection from `from`, opening another whenever
/// the server closes it, until `stop`. Counts handshakes in `opened`.
async fn hold_idle_h2(
    from: IpAddr,
    addr: SocketAddr,
    opened: Arc<AtomicUsize>,
    mut stop: watch::Receiver<bool>,
) {
    while !*stop.borrow() {
        let Ok((send, connection)) = h2_connect(from, addr).await else {
            tokio::time::sleep(Duration::from_millis(20)).await;
            continue;
        };
        opened.fetch_add(1, Ordering::Relaxed);
        tokio::select! {
            // The driver answers PINGs; it ends when the server closes.
            _ = connection => {}
            _ = stop.changed() => return,
        }
        drop(send);
    }
}

/// Starts the attack from `sources` (round robin), waits until every
/// attacker has connected at least once, and returns the stop switch and
/// the count of connections opened.
async fn attack(addr: SocketAddr, sources: &[IpAddr]) -> (watch::Sender<bool>, Arc<AtomicUsize>) {
    let (stop, stopped) = watch::channel(false);
    let opened = Arc::new(AtomicUsize::new(0));
    for i in 0..ATTACKERS {
        let from = sources[i % sources.len()];
        tokio::spawn(hold_idle_h2(
            from,
            addr,
            Arc::clone(&opened),
            stopped.clone(),
        ));
    }
    let started = Instant::now();
    while opened.load(Ordering::Relaxed) < ATTACKERS {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "only {} attackers connected",
            opened.load(Ordering::Relaxed)
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Let the churn settle in: every slot is held by an idle attacker.
    tokio::time::sleep(Duration::from_millis(300)).await;
    (stop, opened)
}

/// Five new clients, one after another, each served within a second.
async fn new_clients_are_served(addr: SocketAddr) {
    for probe in 0..5 {
        let took = time_a_new_client(loopback(0, 1), addr).await;
        eprintln!("probe {probe}: served in {took:?}");
        assert!(took < Duration::from_secs(1), "probe {probe} took {took:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Both plays, one after the other (each holds 2,200 sockets).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_http2_connections_do_not_lock_out_a_new_client() {
    raise_fd_limit(4 * ATTACKERS as u64);
    let many: Vec<IpAddr> = (1..=10).map(|b| loopback(1, b)).collect();
    let behind_a_proxy = Limits::default().max_connections_per_ip(None);
    for (limits, sources) in [
        (Limits::default(), &many[..]),
        (behind_a_proxy, &[loopback(0, 1)][..]),
    ] {
        let server = TestServer::start(limits).await;
        let (stop, opened) = attack(server.addr, sources).await;
        new_clients_are_served(server.addr).await;
        stop.send(true).unwrap();
        let opened = opened.load(Ordering::Relaxed);
        eprintln!(
            "{opened} attacking connections opened, from {} addresses",
            sources.len()
        );
        server.stop().await;
    }
}

/// The same attack on a server running apart, such as an example's binary
/// (`time-api --addr 127.0.0.1:8080`), given its address and a path it
/// answers 200 to. `.ci/h2-flood-examples.sh` runs it on all three
/// example binaries; by hand:
///
/// `PALE_FLOOD_TARGET=127.0.0.1:8080 PALE_FLOOD_PROBE=/api/time/current
/// cargo test -p pale-server --test idle_http2_flood -- --ignored --nocapture`
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "against a running server (PALE_FLOOD_TARGET, PALE_FLOOD_PROBE): .ci/h2-flood-examples.sh"]
async fn idle_http2_connections_do_not_lock_out_a_new_client_of_a_running_server() {
    raise_fd_limit(4 * ATTACKERS as u64);
    let target = std::env::var("PALE_FLOOD_TARGET").expect("PALE_FLOOD_TARGET");
    let addr: SocketAddr = target.parse().expect("an address");
    let probe = std::env::var("PALE_FLOOD_PROBE").expect("PALE_FLOOD_PROBE");
    let many: Vec<IpAddr> = (1..=10).map(|b| loopback(1, b)).collect();
    let (stop, _) = attack(addr, &many).await;
    for n in 0..5 {
        let (took, _) = time_a_get(loopback(0, 1), addr, &probe).await;
        eprintln!("probe {n}: served in {took:?}");
        assert!(took < Duration::from_secs(1), "probe {n} took {took:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    stop.send(true).unwrap();
}
