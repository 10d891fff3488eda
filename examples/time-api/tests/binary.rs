//! The `time-api` binary itself: it logs its address when ready, serves,
//! and exits cleanly on SIGTERM; a bad argument is a usage error.

#![cfg(unix)]

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use http::Version;
use pale::test::TestClient;

const DEADLINE: Duration = Duration::from_secs(10);

/// Kills the child if the test fails before it has exited.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn wait_with_deadline(child: &mut Child) -> std::process::ExitStatus {
    let started = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(
            started.elapsed() < DEADLINE,
            "the binary did not exit within the deadline"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn it_logs_its_address_serves_and_stops_on_sigterm() {
    let child = Command::new(env!("CARGO_BIN_EXE_time-api"))
        .args(["--addr", "127.0.0.1:0"])
        .env("PALE_ADDR", "not used when --addr is given")
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let mut running = Running(child);
    let stdout = running.0.stdout.take().unwrap();
    let (lines, log) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let addr = loop {
        let line = log
            .recv_timeout(DEADLINE)
            .expect("the binary logs that it is listening");
        if let Some((_, addr)) = line.split_once("time-api listening on http://") {
            break addr.trim().to_owned();
        }
    };

    let addr: SocketAddr = addr.parse().expect("the logged address");
    let client = TestClient::connect(addr);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let reply = runtime.block_on(
        client
            .get("/api/arg_test/x/y")
            .header("host", "pale.test")
            .timeout(DEADLINE)
            .send(),
    );
    assert_eq!(
        (reply.version(), reply.status().as_u16()),
        (Version::HTTP_11, 200)
    );
    assert_eq!(reply.text(), r#"{"arg_a":"x","arg_b":"y"}"#);
    drop(client);
    drop(runtime);

    let pid = running.0.id().to_string();
    let killed = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(killed.success());
    let status = wait_with_deadline(&mut running.0);
    assert!(status.success(), "{status}");
    // The process has exited, so its stdout is closed and this ends.
    let rest: Vec<String> = log.iter().collect();
    assert!(
        rest.iter().any(|l| l.contains("time-api stopped")),
        "{rest:#?}"
    );
}

#[test]
fn a_bad_argument_is_a_usage_error() {
    let output = Command::new(env!("CARGO_BIN_EXE_time-api"))
        .args(["--port", "80"])
        .output()
        .expect("the binary runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("unexpected argument '--port'") && stderr.contains("Usage: time-api"),
        "{stderr}"
    );
}
