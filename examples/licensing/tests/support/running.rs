//! The real `licensing` binary, run as a child process on a free loopback
//! port and spoken to with the test client (shared by the harnesses that
//! run it; included with `#[path]`).

// Each harness uses some of these helpers, never all of them.
#![allow(dead_code)]

use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use pale::test::TestClient;
use serde_json::{Value, json};

pub(crate) const BIN: &str = env!("CARGO_BIN_EXE_licensing");

/// A port that was free a moment ago.
pub(crate) fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("an address").port()
}

/// A running `licensing serve`, killed when dropped.
pub(crate) struct Running {
    child: Child,
    /// A client of it (`pale::test`, over HTTP/1.1); paths include the
    /// base path (`/api/albums`).
    pub(crate) client: TestClient,
}

impl Running {
    /// `licensing serve` on SQLite in `data`, once it answers.
    pub(crate) async fn start(data: &Path) -> Self {
        Self::start_with(data, &[]).await
    }

    /// `licensing serve` with `data` and the `extra` arguments (such as
    /// `--database URL`), once it answers.
    pub(crate) async fn start_with(data: &Path, extra: &[&str]) -> Self {
        let running = Self::spawn(data, extra);
        running.ready().await;
        running
    }

    /// `licensing serve` with `data` and the `extra` arguments, started
    /// but maybe not answering yet (several can start at once).
    pub(crate) fn spawn(data: &Path, extra: &[&str]) -> Self {
        let addr = SocketAddr::from(([127, 0, 0, 1], free_port()));
        let child = Command::new(BIN)
            .args(["serve", "--addr", &addr.to_string(), "--data"])
            .arg(data)
            .args(extra)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the binary starts");
        Self {
            child,
            client: TestClient::connect(addr),
        }
    }

    /// Waits (30 seconds at most) until it lists the albums.
    pub(crate) async fn ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let listed = self.client.get("/api/albums").try_send().await;
            if listed.is_ok_and(|reply| reply.status() == 200) {
                return;
            }
            assert!(Instant::now() < deadline, "the server never answered");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Album `id` as `token` reads it: its title and `ETag`.
    pub(crate) async fn album(&self, id: i64, token: &str) -> (String, String) {
        let reply = self
            .client
            .get(format!("/api/albums/{id}"))
            .bearer(token)
            .await;
        assert_eq!(reply.status(), 200, "{}", reply.text());
        let title = reply.json::<Value>()["title"]
            .as_str()
            .expect("a title")
            .to_owned();
        (title, reply.header("etag").expect("an ETag").to_owned())
    }

    /// Retitles album `id` as `token`, with `If-Match: etag`: the status
    /// and the new `ETag`, if any.
    pub(crate) async fn patch_title(
        &self,
        id: i64,
        token: &str,
        etag: &str,
        title: &str,
    ) -> (u16, Option<String>) {
        let reply = self
            .client
            .patch(format!("/api/albums/{id}"))
            .bearer(token)
            .if_match(etag)
            .merge_patch(&json!({ "title": title }))
            .await;
        let etag = reply.header("etag").map(str::to_owned);
        (reply.status().as_u16(), etag)
    }

    pub(crate) fn kill(mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("reaped");
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `licensing tokens --data data` (and the `extra` arguments): the
/// seeded accounts, as printed.
pub(crate) fn tokens_with(data: &Path, extra: &[&str]) -> Vec<Value> {
    let out = Command::new(BIN)
        .args(["tokens", "--data"])
        .arg(data)
        .args(extra)
        .env("RUST_LOG", "warn")
        .output()
        .expect("the binary runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let parsed: Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    parsed.as_array().expect("an array").clone()
}

/// `licensing tokens --data data`.
pub(crate) fn tokens(data: &Path) -> Vec<Value> {
    tokens_with(data, &[])
}
