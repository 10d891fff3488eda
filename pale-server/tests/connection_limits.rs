//! The connection-level limits of issue 16 one by one, on real sockets:
//! HTTP/2 connections that open no stream, idle connections, the
//! per-address cap and its log line, the HTTP/2 stream cap; and what they
//! must leave alone: a slow handler and a slow response body, longer than
//! the idle timeout, finish.

mod common;

use std::convert::Infallible;
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::StreamBody;
use pale_server::{Limits, TrustedProxies};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use common::{TestServer, connect_from, exchange_from, h2_connect, h2_get, loopback, read_reply};

/// Short timeouts, so the tests take little time.
fn short() -> Limits {
    Limits::default()
        .header_read_timeout(Duration::from_millis(300))
        .idle_timeout(Duration::from_millis(300))
}

/// How long until the HTTP/2 connection `driver` ends (the server closed
/// it), bounded.
async fn closed_after<F: Future>(driver: F) -> Duration {
    let started = Instant::now();
    tokio::time::timeout(Duration::from_secs(5), driver)
        .await
        .expect("the server closes the connection");
    started.elapsed()
}

#[tokio::test]
async fn an_http2_connection_that_opens_no_stream_is_closed_after_the_header_read_timeout() {
    let server = TestServer::start(short()).await;
    let (send, driver) = h2_connect(loopback(0, 1), server.addr).await.unwrap();
    // The driver answers the server's PINGs; no stream is ever opened.
    let waited = closed_after(driver).await;
    assert!(waited >= Duration::from_millis(250), "{waited:?}");
    assert!(waited < Duration::from_secs(2), "{waited:?}");
    drop(send);
    server.stop().await;
}

/// A stream whose headers never complete (a `HEADERS` frame without
/// `END_HEADERS`, and no `CONTINUATION`) is no request: the connection is
/// closed as one that opened no stream. The client here answers nothing,
/// not even the `GOAWAY`'s PING, so the close takes its grace (1 s) too.
#[tokio::test]
async fn an_http2_stream_whose_headers_never_complete_is_cut_off() {
    let server = TestServer::start(short()).await;
    let mut stream = connect_from(loopback(0, 1), server.addr).await.unwrap();
    let mut opening = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".to_vec();
    // An empty SETTINGS frame.
    opening.extend_from_slice(&[0, 0, 0, 0x4, 0, 0, 0, 0, 0]);
    // HEADERS on stream 1, one byte of header block (`:method: GET`), no
    // END_HEADERS.
    opening.extend_from_slice(&[0, 0, 1, 0x1, 0, 0, 0, 0, 1, 0x82]);
    stream.write_all(&opening).await.unwrap();
    let started = Instant::now();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer));
    read.await
        .expect("the server closes the connection")
        .unwrap();
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(250), "{waited:?}");
    assert!(waited < Duration::from_secs(3), "{waited:?}");
    // Among what the server sent: a GOAWAY frame (type 0x7).
    assert!(
        answer
            .windows(4)
            .any(|w| w[..3] == [0, 0, 8] && w[3] == 0x7),
        "{answer:?}"
    );
    server.stop().await;
}

#[tokio::test]
async fn an_idle_connection_is_closed_after_the_idle_timeout() {
    let limits = short().header_read_timeout(Duration::from_secs(10));
    let server = TestServer::start(limits).await;
    // HTTP/2: a request, then nothing.
    let (mut send, driver) = h2_connect(loopback(0, 1), server.addr).await.unwrap();
    let driver = tokio::spawn(driver);
    assert_eq!(h2_get(&mut send, "/api/hello").await.unwrap().0, 200);
    let waited = closed_after(driver).await;
    assert!(waited >= Duration::from_millis(250), "{waited:?}");
    assert!(waited < Duration::from_secs(2), "{waited:?}");
    // HTTP/1.1: a keep-alive request, then nothing.
    let mut stream = connect_from(loopback(0, 1), server.addr).await.unwrap();
    stream
        .write_all(b"GET /api/hello HTTP/1.1\r\nHost: a.test\r\n\r\n")
        .await
        .unwrap();
    assert_eq!(read_reply(&mut stream).await.unwrap().status, 200);
    let started = Instant::now();
    let mut rest = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut rest));
    assert_eq!(read.await.unwrap().unwrap(), 0);
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(250), "{waited:?}");
    assert!(waited < Duration::from_secs(2), "{waited:?}");
    server.stop().await;
}

/// A handler slower than the idle timeout: its request is in flight, its
/// connection is not idle.
#[tokio::test]
async fn a_slow_handler_outlives_the_idle_timeout() {
    let server = TestServer::start(short()).await;
    let (mut send, driver) = h2_connect(loopback(0, 1), server.addr).await.unwrap();
    tokio::spawn(driver);
    let (status, body) = h2_get(&mut send, "/api/slow?ms=1200").await.unwrap();
    assert_eq!((status, body.as_slice()), (200, &b"1200"[..]));
    let request = b"GET /api/slow?ms=1200 HTTP/1.1\r\nHost: a.test\r\n\r\n";
    let reply = exchange_from(loopback(0, 1), server.addr, request)
        .await
        .unwrap();
    assert_eq!((reply.status, reply.text().as_str()), (200, "1200"));
    server.stop().await;
}

/// A response body that takes longer than the idle timeout to send,
/// a chunk at a time (a stream, a long poll), is sent whole.
#[tokio::test]
async fn a_slow_response_body_outlives_the_idle_timeout() {
    let service = tower::service_fn(|_: http::Request<hyper::body::Incoming>| async {
        let chunks = futures_util::stream::unfold(0, |n| async move {
            if n == 6 {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
            let frame = http_body::Frame::data(Bytes::from(format!("{n};")));
            Some((Ok::<_, Infallible>(frame), n + 1))
        });
        Ok::<_, Infallible>(http::Response::new(StreamBody::new(chunks)))
    });
    let server = TestServer::start_service(short(), TrustedProxies::default(), service).await;
    let (mut send, driver) = h2_connect(loopback(0, 1), server.addr).await.unwrap();
    tokio::spawn(driver);
    let (status, body) = h2_get(&mut send, "/stream").await.unwrap();
    assert_eq!((status, body.as_slice()), (200, &b"0;1;2;3;4;5;"[..]));
    let mut stream = connect_from(loopback(0, 1), server.addr).await.unwrap();
    let request = b"GET /stream HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n";
    stream.write_all(request).await.unwrap();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer));
    read.await.unwrap().unwrap();
    let answer = String::from_utf8(answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
    assert!(
        answer.contains("\r\ntransfer-encoding: chunked\r\n"),
        "{answer}"
    );
    let (_, chunked) = answer.split_once("\r\n\r\n").unwrap();
    // Size lines and chunks alternate: every second line is a chunk.
    let body: String = chunked.split("\r\n").skip(1).step_by(2).collect();
    assert_eq!(body, "0;1;2;3;4;5;", "{answer}");
    server.stop().await;
}

/// Log lines written while the tests of this file run.
fn captured() -> &'static Arc<Mutex<Vec<u8>>> {
    static LOG: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOG.get_or_init(|| {
        let log = Arc::new(Mutex::new(Vec::new()));
        let writer = Arc::clone(&log);
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::WARN)
            .with_ansi(false)
            .with_writer(move || Capture(Arc::clone(&writer)))
            .finish();
        tracing::subscriber::set_global_default(subscriber).unwrap();
        log
    })
}

struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn an_address_past_its_cap_is_refused_and_logged() {
    let log = captured();
    let server = TestServer::start(Limits::default().max_connections_per_ip(Some(2))).await;
    let keep_alive = b"GET /api/hello HTTP/1.1\r\nHost: a.test\r\n\r\n";
    let mut held = Vec::new();
    for _ in 0..2 {
        let mut stream = connect_from(loopback(0, 7), server.addr).await.unwrap();
        stream.write_all(keep_alive).await.unwrap();
        assert_eq!(read_reply(&mut stream).await.unwrap().status, 200);
        held.push(stream);
    }
    // A third from the same address is closed unanswered; one from
    // another address is served.
    let refused = exchange_from(loopback(0, 7), server.addr, keep_alive).await;
    assert!(refused.is_err(), "{refused:?}");
    let other = exchange_from(loopback(0, 8), server.addr, keep_alive).await;
    assert_eq!(other.unwrap().status, 200);
    let log = String::from_utf8(log.lock().unwrap().clone()).unwrap();
    let line = log
        .lines()
        .find(|l| l.contains("limit=\"max_connections_per_ip\""))
        .unwrap_or_else(|| panic!("no warning: {log}"));
    assert!(
        line.contains("WARN") && line.contains("peer=127.0.0.7"),
        "{line}"
    );
    drop(held);
    server.stop().await;
}

#[tokio::test]
async fn http2_streams_per_connection_are_capped() {
    let server = TestServer::start(Limits::default()).await;
    let (mut send, driver) = h2_connect(loopback(0, 1), server.addr).await.unwrap();
    tokio::spawn(driver);
    assert_eq!(h2_get(&mut send, "/api/hello").await.unwrap().0, 200);
    assert_eq!(send.current_max_send_streams(), 128);
    server.stop().await;
}

/// At the cap, the idle connection gives way at once: a client coming
/// while a silent one holds the only slot is served without waiting for
/// the silent one's timeout (or its close: this one does not even answer
/// the `GOAWAY`'s PING), and the silent one is closed; a busy one does
/// not give way.
#[tokio::test]
async fn at_the_cap_the_idle_connection_gives_way_and_a_busy_one_does_not() {
    let limits = Limits::default().max_connections(1);
    let server = TestServer::start(limits).await;
    let mut silent = connect_from(loopback(0, 1), server.addr).await.unwrap();
    silent
        .write_all(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    let hello = b"GET /api/hello HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n";
    let started = Instant::now();
    let newcomer = exchange_from(loopback(0, 2), server.addr, hello)
        .await
        .unwrap();
    assert_eq!(newcomer.status, 200);
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "{:?}",
        started.elapsed()
    );
    let mut rest = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(3), silent.read_to_end(&mut rest));
    read.await.expect("the silent one is closed").unwrap();
    // A busy connection holds the slot: a newcomer waits for its answer.
    let started = Instant::now();
    let request = b"GET /api/slow?ms=600 HTTP/1.1\r\nHost: a.test\r\n\r\n";
    let busy = tokio::spawn(exchange_from(loopback(0, 3), server.addr, request));
    tokio::time::sleep(Duration::from_millis(100)).await;
    let newcomer = exchange_from(loopback(0, 4), server.addr, hello)
        .await
        .unwrap();
    assert_eq!(newcomer.status, 200);
    assert!(
        started.elapsed() >= Duration::from_millis(600),
        "{:?}",
        started.elapsed()
    );
    let busy = busy.await.unwrap().unwrap();
    assert_eq!((busy.status, busy.text().as_str()), (200, "600"));
    server.stop().await;
}
