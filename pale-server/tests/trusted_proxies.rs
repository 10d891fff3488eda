//! Trusted proxies on real sockets: every request carries its connection's
//! `Peer`, which says whether the address is a configured proxy; a proxy's
//! connections are not capped per address, while everyone else's still
//! are.

mod common;

use std::convert::Infallible;
use std::net::IpAddr;

use bytes::Bytes;
use http_body_util::Full;
use pale_server::{Limits, Peer, TrustedProxies, parse_proxy};
use tokio::io::AsyncWriteExt;

use common::{TestServer, connect_from, exchange_from, loopback, read_reply};

const GET: &[u8] = b"GET / HTTP/1.1\r\nHost: site.test\r\n\r\n";

/// Answers with the `Peer` it was given: `<ip> <trusted_proxy>`.
async fn server_trusting(proxies: &[&str], limits: Limits) -> TestServer {
    let service = tower::service_fn(|request: http::Request<hyper::body::Incoming>| async move {
        let (parts, _) = request.into_parts();
        let text = match Peer::of(&parts) {
            Some(peer) => format!("{} {}", peer.addr.ip(), peer.trusted_proxy),
            None => "no peer".to_owned(),
        };
        Ok::<_, Infallible>(http::Response::new(Full::new(Bytes::from(text))))
    });
    let proxies = TrustedProxies::new(proxies.iter().map(|p| parse_proxy(p).unwrap()));
    TestServer::start_service(limits, proxies, service).await
}

async fn peer_seen(server: &TestServer, from: IpAddr) -> String {
    let reply = exchange_from(from, server.addr, GET).await.unwrap();
    assert_eq!(reply.status, 200);
    String::from_utf8(reply.body).unwrap()
}

#[tokio::test]
async fn requests_say_whether_they_came_from_a_trusted_proxy() {
    let server = server_trusting(&["127.0.0.5", "127.0.9.0/24"], Limits::default()).await;
    for (from, seen) in [
        (loopback(0, 5), "127.0.0.5 true"),
        (loopback(9, 200), "127.0.9.200 true"),
        (loopback(0, 6), "127.0.0.6 false"),
        (loopback(10, 1), "127.0.10.1 false"),
    ] {
        assert_eq!(peer_seen(&server, from).await, seen);
    }
    server.stop().await;
}

#[tokio::test]
async fn with_no_proxies_no_one_is_trusted() {
    let server = server_trusting(&[], Limits::default()).await;
    assert_eq!(peer_seen(&server, loopback(0, 1)).await, "127.0.0.1 false");
    server.stop().await;
}

#[tokio::test]
async fn a_trusted_proxy_is_not_capped_per_address_and_others_are() {
    let server = server_trusting(
        &["127.0.0.5"],
        Limits::default().max_connections_per_ip(Some(2)),
    )
    .await;
    let mut held = Vec::new();
    for _ in 0..6 {
        let mut stream = connect_from(loopback(0, 5), server.addr).await.unwrap();
        stream.write_all(GET).await.unwrap();
        let reply = read_reply(&mut stream).await.unwrap();
        assert_eq!(reply.status, 200);
        held.push(stream);
    }
    for _ in 0..2 {
        let mut stream = connect_from(loopback(0, 6), server.addr).await.unwrap();
        stream.write_all(GET).await.unwrap();
        assert_eq!(read_reply(&mut stream).await.unwrap().status, 200);
        held.push(stream);
    }
    let refused = exchange_from(loopback(0, 6), server.addr, GET).await;
    assert!(refused.is_err(), "a third from 127.0.0.6: {refused:?}");
    drop(held);
    server.stop().await;
}
