//! The real `licensing` binary, run as a child process on a free loopback
//! port and spoken to over raw HTTP/1.1 (shared by the harnesses that run
//! it; included with `#[path]`).

// Each harness uses some of these helpers, never all of them.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

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
    pub(crate) port: u16,
}

impl Running {
    /// `licensing serve` on SQLite in `data`, once it answers.
    pub(crate) fn start(data: &Path) -> Self {
        Self::start_with(data, &[])
    }

    /// `licensing serve` with `data` and the `extra` arguments (such as
    /// `--database URL`), once it answers.
    pub(crate) fn start_with(data: &Path, extra: &[&str]) -> Self {
        let port = free_port();
        let child = Command::new(BIN)
            .args(["serve", "--addr", &format!("127.0.0.1:{port}"), "--data"])
            .arg(data)
            .args(extra)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the binary starts");
        let running = Self { child, port };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some((200, _)) = running.try_http("GET", "/api/albums", None, None) {
                return running;
            }
            assert!(Instant::now() < deadline, "the server never answered");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// One exchange on a new connection, or `None` if it failed.
    pub(crate) fn try_http(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&str>,
    ) -> Option<(u16, String)> {
        let (status, _, body) = self.exchange(&request(method, path, token, body))?;
        Some((status, body))
    }

    /// Sends `request` on a new connection: the status, the head and the
    /// body, or `None` if the exchange failed.
    pub(crate) fn exchange(&self, request: &str) -> Option<(u16, String, String)> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).ok()?;
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .ok()?;
        stream.write_all(request.as_bytes()).ok()?;
        let mut out = String::new();
        stream.read_to_string(&mut out).ok()?;
        let status = out.get(9..12)?.parse().ok()?;
        let (head, body) = out.split_once("\r\n\r\n")?;
        Some((status, head.to_owned(), body.to_owned()))
    }

    /// `GET /api/albums/{id}` as `token`: the title and the `ETag`.
    pub(crate) fn album(&self, id: i64, token: &str) -> (String, String) {
        let (status, head, body) = self
            .exchange(&request(
                "GET",
                &format!("/api/albums/{id}"),
                Some(token),
                None,
            ))
            .expect("an answer");
        assert_eq!(status, 200, "{body}");
        let album: Value = serde_json::from_str(&body).expect("JSON");
        let title = album["title"].as_str().expect("a title").to_owned();
        (title, header(&head, "etag").expect("an ETag").to_owned())
    }

    /// Patches album `id`'s title with `If-Match: etag`: the status and
    /// the new `ETag`, if any.
    pub(crate) fn patch_title(
        &self,
        id: i64,
        token: &str,
        etag: &str,
        title: &str,
    ) -> (u16, Option<String>) {
        let body = json!({ "title": title }).to_string();
        let text = request(
            "PATCH",
            &format!("/api/albums/{id}"),
            Some(token),
            Some(&body),
        )
        .replacen("\r\n", &format!("\r\nIf-Match: {etag}\r\n"), 1)
        .replace("application/json", "application/merge-patch+json");
        let (status, head, _) = self.exchange(&text).expect("an answer");
        (status, header(&head, "etag").map(str::to_owned))
    }

    pub(crate) fn http(&self, method: &str, path: &str, token: Option<&str>) -> (u16, String) {
        self.try_http(method, path, token, None)
            .unwrap_or_else(|| panic!("{method} {path} failed"))
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

pub(crate) fn request(method: &str, path: &str, token: Option<&str>, body: Option<&str>) -> String {
    let mut text = format!("{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
    if let Some(token) = token {
        text.push_str(&format!("Authorization: Bearer {token}\r\n"));
    }
    let body = body.unwrap_or("");
    if !body.is_empty() {
        text.push_str("Content-Type: application/json\r\n");
    }
    text.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    text
}

/// The value of header `name` in a response head.
pub(crate) fn header<'h>(head: &'h str, name: &str) -> Option<&'h str> {
    head.lines().skip(1).find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.trim().eq_ignore_ascii_case(name).then(|| value.trim())
    })
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
