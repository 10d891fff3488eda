//! What `pale-server` does on real sockets, with a small API of its own:
//! the header read timeout, a panicking handler, graceful shutdown, request
//! ids and HTTP/2 with prior knowledge.

use std::sync::Arc;
use std::time::{Duration, Instant};

use http::Version;
use pale::Limits;
use pale::prelude::*;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::Notify;

use pale::test::{TestClient, TestResponse, TestServer};

/// The longest a test waits for the server to close a connection.
const DEADLINE: Duration = Duration::from_secs(10);

/// The app: tells the test when a slow handler has started.
#[derive(Default)]
struct Probe {
    started: Arc<Notify>,
}

impl App for Probe {
    type User = ();
}

/// Answers at once.
#[derive(Endpoint)]
#[pale(GET "/ping", name = "ping")]
struct Ping {}

impl Handler<Probe> for Ping {
    type Output = Plain<&'static str>;
    async fn handle(self, _: &Context<Probe>) -> Result<Self::Output, ApiError> {
        Ok(Plain::new("pong", "pong"))
    }
}

/// Sleeps `ms` milliseconds, then answers.
#[derive(Endpoint)]
#[pale(GET "/slow", name = "slow")]
struct Slow {
    #[pale(default = 500)]
    ms: u64,
}

impl Handler<Probe> for Slow {
    type Output = Plain<u64>;
    async fn handle(self, ctx: &Context<Probe>) -> Result<Self::Output, ApiError> {
        ctx.app().started.notify_one();
        tokio::time::sleep(Duration::from_millis(self.ms)).await;
        Ok(Plain::new("slept", self.ms))
    }
}

/// Panics with a message that must not reach the client.
#[derive(Endpoint)]
#[pale(GET "/panic", name = "panic")]
struct Panic {}

impl Handler<Probe> for Panic {
    type Output = NoContent;
    async fn handle(self, _: &Context<Probe>) -> Result<NoContent, ApiError> {
        panic!("secret: the database password is hunter2")
    }
}

fn api() -> Api<Probe> {
    api_notifying(Arc::default())
}

/// The API, notifying `started` when a slow handler starts.
fn api_notifying(started: Arc<Notify>) -> Api<Probe> {
    Api::builder(Probe { started })
        .mount::<Ping>()
        .mount::<Slow>()
        .mount::<Panic>()
        .build()
        .unwrap()
}

/// Reads until the server closes the connection; what was read, and when.
async fn wait_for_close(stream: &mut TcpStream) -> (Vec<u8>, Instant) {
    let mut out = Vec::new();
    let read = tokio::time::timeout(DEADLINE, async {
        let mut buf = [0u8; 1024];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => out.extend_from_slice(&buf[..n]),
            }
        }
    });
    read.await
        .expect("the server closes the connection within the deadline");
    (out, Instant::now())
}

#[tokio::test]
async fn a_client_stalling_in_its_headers_is_cut_off() {
    let timeout = Duration::from_millis(300);
    let server =
        TestServer::with_limits(api(), Limits::default().header_read_timeout(timeout)).await;
    let client = server.client();

    let mut stalled = TcpStream::connect(server.addr()).await.unwrap();
    let started = Instant::now();
    stalled
        .write_all(b"GET /ping HTTP/1.1\r\nHost: pale.test\r\n")
        .await
        .unwrap();

    // Meanwhile, a normal client is served.
    let reply = client.get("/ping").await;
    assert_eq!(
        (reply.status().as_u16(), reply.text().as_str()),
        (200, r#""pong""#)
    );

    let (answer, closed) = wait_for_close(&mut stalled).await;
    let waited = closed - started;
    assert!(answer.is_empty(), "{}", String::from_utf8_lossy(&answer));
    assert!(
        waited >= Duration::from_millis(250),
        "closed after {waited:?}"
    );
    assert!(waited < Duration::from_secs(3), "closed after {waited:?}");
    server.stop().await;
}

#[tokio::test]
async fn a_client_that_sends_nothing_is_cut_off() {
    // One connection slot: the silent client is cut off by the timeout,
    // and the second client, coming after, proves the slot is given back.
    // (A client coming while the silent one holds the slot no longer
    // waits for the timeout: the idle connection gives way to it at once,
    // issue 16; connection_limits in pale-server's suites tests that.)
    let limits = Limits::default()
        .header_read_timeout(Duration::from_millis(300))
        .max_connections(1);
    let server = TestServer::with_limits(api(), limits).await;
    for opening in [&b""[..], b"PRI * HTTP/2.0\r\n"] {
        let mut silent = TcpStream::connect(server.addr()).await.unwrap();
        let started = Instant::now();
        silent.write_all(opening).await.unwrap();
        let (answer, closed) = wait_for_close(&mut silent).await;
        let patient = tokio::spawn(get_owned(server.new_client(), "/ping"));
        let waited = closed - started;
        assert!(answer.is_empty(), "{}", String::from_utf8_lossy(&answer));
        assert!(
            waited >= Duration::from_millis(250),
            "closed after {waited:?}"
        );
        assert!(waited < Duration::from_secs(3), "closed after {waited:?}");
        let reply = tokio::time::timeout(DEADLINE, patient)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(reply.status(), 200);
    }
    server.stop().await;
}

#[tokio::test]
async fn a_panicking_handler_is_an_opaque_500_and_the_server_goes_on() {
    let server = TestServer::start(api()).await;
    let client = server.client();
    let reply = client.get("/panic").header("x-request-id", "panic-1").await;
    assert_eq!(reply.status(), 500);
    assert_eq!(
        reply.header("content-type"),
        Some("application/problem+json")
    );
    assert_eq!(reply.header("x-request-id"), Some("panic-1"));
    assert!(
        !reply.text().contains("secret") && !reply.text().contains("hunter2"),
        "{}",
        reply.text()
    );
    let problem = reply.json::<Value>();
    assert_eq!(problem["status"], 500);
    assert_eq!(problem["code"], "internal_error");
    assert_eq!(problem["request_id"], "panic-1");
    assert_eq!(problem["title"], "Internal server error");

    // The same client (and connection, if kept alive) and a new one.
    let again = client.get("/ping").await;
    assert_eq!(again.status(), 200);
    assert_eq!(server.new_client().get("/ping").await.status(), 200);
    server.stop().await;
}

#[tokio::test]
async fn shutdown_lets_the_request_in_flight_finish_and_refuses_new_connections() {
    let started = Arc::new(Notify::new());
    let mut server = TestServer::start(api_notifying(Arc::clone(&started))).await;
    let in_flight = tokio::spawn(get_owned(server.new_client(), "/slow?ms=500"));
    tokio::time::timeout(DEADLINE, started.notified())
        .await
        .expect("the slow handler starts");
    let started_at = Instant::now();
    server.signal_stop();
    let reply = tokio::time::timeout(DEADLINE, in_flight)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (reply.status().as_u16(), reply.text().as_str()),
        (200, "500")
    );
    let waited = started_at.elapsed();
    assert!(
        waited >= Duration::from_millis(400),
        "answered after {waited:?}"
    );

    let refused = TcpStream::connect(server.addr()).await;
    assert!(
        refused.is_err(),
        "a connection was accepted after the shutdown signal"
    );
    server.stop().await;
}

/// `GET path` with a client of its own, whose connection ends with it.
async fn get_owned(client: TestClient<Probe>, path: &str) -> TestResponse {
    client.get(path).await
}

#[tokio::test]
async fn request_ids_are_echoed_or_generated() {
    let server = TestServer::start(api()).await;
    let client = server.client();
    let url = "/ping";
    let given = client
        .get(url)
        .header("x-request-id", "abc-123_x.y:z")
        .await;
    assert_eq!(given.header("x-request-id"), Some("abc-123_x.y:z"));

    let first = client.get(url).await;
    let second = client.get(url).await;
    let (a, b) = (
        first.header("x-request-id").unwrap(),
        second.header("x-request-id").unwrap(),
    );
    assert!(!a.is_empty() && a != b, "{a} {b}");

    // An id a client could use to forge log lines is replaced.
    let long = "x".repeat(200);
    for bad in ["has space", long.as_str()] {
        let reply = client.get(url).header("x-request-id", bad).await;
        let id = reply.header("x-request-id").unwrap();
        assert_ne!(id, bad);
        assert!(
            id.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-'),
            "{id}"
        );
    }
    server.stop().await;
}

#[tokio::test]
async fn http2_with_prior_knowledge() {
    let server = TestServer::start(api()).await;
    let client = server.http2_client();
    let reply = client.get("/ping").await;
    assert_eq!(reply.version(), Version::HTTP_2);
    assert_eq!(
        (reply.status().as_u16(), reply.text().as_str()),
        (200, r#""pong""#)
    );
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let missing = client.get("/nowhere").await;
    assert_eq!(
        (missing.version(), missing.status().as_u16()),
        (Version::HTTP_2, 404)
    );
    server.stop().await;
}

#[tokio::test]
async fn a_request_past_the_request_timeout_is_a_503() {
    let limits = Limits::default().request_timeout(Duration::from_millis(200));
    let server = TestServer::with_limits(api(), limits).await;
    let client = server.client();
    let started = Instant::now();
    let reply = client.get("/slow?ms=5000").await;
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(reply.status(), 503);
    assert_eq!(
        reply.header("content-type"),
        Some("application/problem+json")
    );
    assert_eq!(reply.json::<Value>()["code"], "timeout");
    assert_eq!(client.get("/slow?ms=10").await.status(), 200);
    server.stop().await;
}
