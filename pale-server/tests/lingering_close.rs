//! Issue 16, hole 3: a client that writes a whole 2 MiB body before it
//! reads (as Python's urllib does) intermittently saw "connection reset"
//! or "broken pipe" instead of the 413: the server closed with the body
//! unread, and the kernel's reset destroyed the answer. Now the server
//! reads and discards the rest of the body (within
//! `Limits::linger_time` and `linger_bytes`) before it closes.
//!
//! The clients here are blocking std sockets on threads of their own,
//! writing everything, then reading: exactly that kind of client.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use pale_server::Limits;

use common::TestServer;

/// Two MiB, twice the default body limit.
const BODY: usize = 2 * 1024 * 1024;

/// Writes `head` and `body` whole, then reads the answer to its end:
/// the answer, or what went wrong.
fn write_all_then_read(addr: SocketAddr, head: &str, body: &[u8]) -> Result<String, String> {
    let mut stream = TcpStream::connect(addr).map_err(|e| format!("connect: {e}"))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream
        .set_write_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream
        .write_all(head.as_bytes())
        .map_err(|e| format!("write head: {e}"))?;
    stream
        .write_all(body)
        .map_err(|e| format!("write body: {e}"))?;
    let mut answer = Vec::new();
    stream
        .read_to_end(&mut answer)
        .map_err(|e| format!("read: {e}"))?;
    Ok(String::from_utf8_lossy(&answer).into_owned())
}

fn post_head(path: &str, length: usize) -> String {
    format!(
        "POST {path} HTTP/1.1\r\nHost: pale.test\r\nContent-Type: application/json\r\n\
         Content-Length: {length}\r\n\r\n"
    )
}

/// Runs `exchange` on a thread of its own (it blocks).
async fn blocking<T: Send + 'static>(exchange: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(exchange).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_writing_2_mib_before_reading_reads_the_413_20_times_of_20() {
    let server = TestServer::start(Limits::default()).await;
    let addr = server.addr;
    let body = vec![b' '; BODY];
    for run in 1..=20 {
        let (head, body) = (post_head("/api/notes", BODY), body.clone());
        let answer = blocking(move || write_all_then_read(addr, &head, &body)).await;
        let answer = answer.unwrap_or_else(|e| panic!("run {run}: {e}"));
        assert!(answer.starts_with("HTTP/1.1 413 "), "run {run}: {answer}");
        assert!(answer.contains("\"status\":413"), "run {run}: {answer}");
        assert!(
            answer.contains("\"code\":\"payload_too_large\""),
            "run {run}: {answer}"
        );
    }
    server.stop().await;
}

/// Any answer given before the body was read: a 404 for a path that does
/// not exist, a 405 for a method the path does not take.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_early_answers_are_read_too() {
    let server = TestServer::start(Limits::default()).await;
    let addr = server.addr;
    let body = vec![b' '; 512 * 1024];
    for (path, status) in [("/api/nowhere", 404), ("/api/hello", 405)] {
        let (head, body) = (post_head(path, body.len()), body.clone());
        let answer = blocking(move || write_all_then_read(addr, &head, &body)).await;
        let answer = answer.unwrap_or_else(|e| panic!("{path}: {e}"));
        assert!(
            answer.starts_with(&format!("HTTP/1.1 {status} ")),
            "{path}: {answer}"
        );
        assert!(
            answer.contains(&format!("\"status\":{status}")),
            "{path}: {answer}"
        );
    }
    server.stop().await;
}

/// Lingering is bounded in bytes: a client sending far more than
/// `linger_bytes` is cut off before it has sent it all.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lingering_stops_after_its_bytes() {
    let limits = Limits::default()
        .max_body_bytes(1024)
        .lingering_close(Duration::from_secs(30), 64 * 1024);
    let server = TestServer::start(limits).await;
    let addr = server.addr;
    let body = vec![b' '; 64 * 1024 * 1024];
    let started = Instant::now();
    let head = post_head("/api/notes", body.len());
    let outcome = blocking(move || write_all_then_read(addr, &head, &body)).await;
    let error = outcome.expect_err("64 MiB cannot all be written");
    assert!(error.starts_with("write body: "), "{error}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    server.stop().await;
}

/// Lingering is bounded in time: a client that sends part of its body and
/// then neither sends more nor closes is closed after `linger_time`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lingering_stops_after_its_time() {
    let linger = Duration::from_millis(500);
    let limits = Limits::default()
        .max_body_bytes(1024)
        .lingering_close(linger, 4 * 1024 * 1024);
    let server = TestServer::start(limits).await;
    let addr = server.addr;
    let closed_after = blocking(move || {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream
            .write_all(post_head("/api/notes", 1_000_000).as_bytes())
            .unwrap();
        stream.write_all(&[b' '; 10_000]).unwrap();
        let started = Instant::now();
        // The 413, then the end of the server's stream (its FIN).
        let mut answer = Vec::new();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        stream.read_to_end(&mut answer).unwrap();
        assert!(String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 413 "));
        // Once the server has closed its socket, a write is answered with
        // a reset, and the write after it fails.
        loop {
            std::thread::sleep(Duration::from_millis(50));
            if stream.write_all(b" ").is_err() {
                return started.elapsed();
            }
            assert!(started.elapsed() < Duration::from_secs(5), "never closed");
        }
    })
    .await;
    assert!(
        closed_after >= linger - Duration::from_millis(100),
        "{closed_after:?}"
    );
    assert!(
        closed_after < linger + Duration::from_secs(2),
        "{closed_after:?}"
    );
    server.stop().await;
}
