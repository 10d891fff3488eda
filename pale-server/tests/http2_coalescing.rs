//! HTTP/2 responses that finish while other requests are in flight on
//! their connection are held back (the socket corked) for one turn of the
//! connection's task, so that they leave in one segment. Nothing may stay
//! held: the kernel would send a forgotten corked segment only after
//! 200 ms. With a slow request in flight the whole time (so that every
//! write corks), a burst of concurrent requests is answered whole, and
//! requests sent one after another are each answered at once.

mod common;

use std::time::{Duration, Instant};

use pale_server::Limits;

use common::{TestServer, h2_connect, h2_get, loopback};

#[tokio::test]
async fn responses_held_for_others_in_flight_still_leave_at_once() {
    let server = TestServer::start(Limits::default()).await;
    let (send, connection) = h2_connect(loopback(1, 1), server.addr).await.unwrap();
    tokio::spawn(connection);

    // In flight throughout: every response below is written while it is.
    let mut slow_send = send.clone();
    let slow = tokio::spawn(async move { h2_get(&mut slow_send, "/api/slow?ms=1500").await });
    tokio::time::sleep(Duration::from_millis(50)).await;

    let burst = (0..64).map(|_| {
        let mut send = send.clone();
        async move { h2_get(&mut send, "/api/hello").await.unwrap() }
    });
    for (status, body) in futures_util::future::join_all(burst).await {
        assert_eq!((status, body.as_slice()), (200, &b"\"hello\""[..]));
    }

    let mut times = Vec::new();
    for _ in 0..15 {
        let started = Instant::now();
        let (status, body) = h2_get(&mut send.clone(), "/api/hello").await.unwrap();
        times.push(started.elapsed());
        assert_eq!((status, body.as_slice()), (200, &b"\"hello\""[..]));
    }
    times.sort();
    assert!(
        times[times.len() / 2] < Duration::from_millis(100),
        "one after another, with a request in flight: {times:?}"
    );

    let (status, body) = slow.await.unwrap().unwrap();
    assert_eq!((status, body.as_slice()), (200, &b"1500"[..]));
    server.stop().await;
}
