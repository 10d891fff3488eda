//! Every error status of the pale-server crate docs, on the time API over a
//! real socket: each a problem document in the client's format with the
//! headers that go with it; and CORS preflights and `HEAD`.

use http::Method;
use pale::Limits;

use std::net::SocketAddr;
use std::time::Duration;

use pale::test::{TestResponse, TestServer};
use serde_json::Value;
use time_api::TimeApp;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The body limit of these tests' server.
const LIMIT: usize = 1024;

async fn start() -> TestServer<TimeApp> {
    TestServer::with_limits(time_api::api(), Limits::default().max_body_bytes(LIMIT)).await
}

/// Writes `bytes` on a new connection to `addr` and reads until the server
/// closes it (send `Connection: close`), within ten seconds: for what only
/// raw bytes on the wire show (a chunked body, a `HEAD` answer's framing).
async fn raw_exchange(addr: SocketAddr, bytes: &[u8]) -> String {
    let exchange = async {
        let mut stream = TcpStream::connect(addr).await.expect("a connection");
        stream
            .write_all(bytes)
            .await
            .expect("the request is written");
        let mut out = Vec::new();
        // A server that answers before reading the whole body may reset
        // the connection after its answer: what was read still counts.
        let _ = stream.read_to_end(&mut out).await;
        String::from_utf8_lossy(&out).into_owned()
    };
    tokio::time::timeout(Duration::from_secs(10), exchange)
        .await
        .expect("the exchange ends within the deadline")
}

/// Asserts a JSON problem document with `status` and `code`.
fn assert_problem(reply: &TestResponse, status: u16, code: &str) {
    assert_eq!(reply.status().as_u16(), status, "{}", reply.text());
    assert_eq!(
        reply.header("content-type"),
        Some("application/problem+json")
    );
    assert_eq!(reply.header("cache-control"), Some("no-cache"));
    let problem = reply.json::<Value>();
    assert_eq!(problem["status"], status, "{problem}");
    assert_eq!(problem["code"], code, "{problem}");
    assert_eq!(problem["type"], "about:blank", "{problem}");
    assert_eq!(
        problem["request_id"].as_str(),
        reply.header("x-request-id"),
        "{problem}"
    );
}

#[tokio::test]
async fn not_found() {
    let server = start().await;
    let client = server.client().with_base("");
    for path in [
        "/api/nowhere",
        "/api/time",
        "/api/time/current/extra",
        "/elsewhere",
        "/",
        "/apix/time/current",
    ] {
        assert_problem(&client.get(path).await, 404, "not_found");
    }
    let reply = client.get("/api/nowhere").accept("application/xml").await;
    assert_eq!(reply.status(), 404);
    assert_eq!(
        reply.header("content-type"),
        Some("application/problem+xml")
    );
    assert!(
        reply.text().contains(
            "<problem><type>about:blank</type><title>Not found</title><status>404</status>"
        ),
        "{}",
        reply.text()
    );
    server.stop().await;
}

#[tokio::test]
async fn method_not_allowed_lists_the_methods() {
    let server = start().await;
    let client = server.client().with_base("");
    #[rustfmt::skip]
    let cases = [
        (Method::DELETE, "/api/time/current", "GET, HEAD, OPTIONS"),
        (Method::POST, "/api/time/current", "GET, HEAD, OPTIONS"),
        (Method::GET, "/api/time/parse", "POST, OPTIONS"),
        (Method::POST, "/api/resource", "GET, PATCH, PUT, HEAD, OPTIONS"),
        (Method::GET, "/api/blank", "POST, OPTIONS"),
        (Method::from_bytes(b"PURGE").unwrap(), "/api/arg_test/a/b", "GET, HEAD, OPTIONS"),
    ];
    for (method, path, allow) in cases {
        let reply = client.request(method.clone(), path).await;
        assert_problem(&reply, 405, "method_not_allowed");
        assert_eq!(reply.header("allow"), Some(allow), "{method} {path}");
    }
    server.stop().await;
}

#[tokio::test]
async fn not_acceptable() {
    let server = start().await;
    let client = server.client().with_base("");
    for accept in [
        "text/html",
        "application/json;q=0, application/xml;q=0",
        "image/*",
    ] {
        let reply = client.get("/api/time/current").accept(accept).await;
        assert_problem(&reply, 406, "not_acceptable");
        assert!(
            reply.json::<Value>()["detail"]
                .as_str()
                .unwrap()
                .contains("application/xml"),
            "{}",
            reply.text()
        );
        // The handler did not run: no after-response header.
        assert!(reply.header("after-response").is_none());
    }
    server.stop().await;
}

#[tokio::test]
async fn payload_too_large_with_a_content_length() {
    let server = start().await;
    let client = server.client().with_base("");
    let body = format!(r#"{{"month": 5, "name": "{}"}}"#, "x".repeat(LIMIT));
    let reply = client
        .post("/api/time/parse")
        .body("application/json", &body)
        .await;
    assert_problem(&reply, 413, "payload_too_large");
    assert!(
        reply.json::<Value>()["detail"]
            .as_str()
            .unwrap()
            .contains("1024 bytes"),
        "{}",
        reply.text()
    );
    server.stop().await;
}

/// A chunked `POST /api/time/parse` carrying `chunks`, written by hand.
fn chunked_request(chunks: &[&str]) -> Vec<u8> {
    let mut out =
        b"POST /api/time/parse HTTP/1.1\r\nHost: pale.test\r\nContent-Type: application/json\r\n\
                    Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            .to_vec();
    for chunk in chunks {
        out.extend_from_slice(format!("{:x}\r\n{chunk}\r\n", chunk.len()).as_bytes());
    }
    out.extend_from_slice(b"0\r\n\r\n");
    out
}

#[tokio::test]
async fn payload_too_large_when_chunked() {
    let server = start().await;
    // Under the limit, a chunked body is read as any other.
    let answer = raw_exchange(server.addr(), &chunked_request(&[r#"{"month": "#, "5}"])).await;
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
    assert!(
        answer.ends_with(
            r#"{"time":{"year":2015,"month":5,"day":1,"isoformat":"2015-05-01T00:00:00Z"}}"#
        ),
        "{answer}"
    );

    // Past it, with no Content-Length to refuse up front: 413 while reading.
    let padding = " ".repeat(700);
    let answer = raw_exchange(
        server.addr(),
        &chunked_request(&[r#"{"month": 5,"#, &padding, &padding, "}"]),
    )
    .await;
    assert!(
        answer.starts_with("HTTP/1.1 413 Payload Too Large\r\n"),
        "{answer}"
    );
    let lower = answer.to_ascii_lowercase();
    assert!(
        lower.contains("\r\ncontent-type: application/problem+json\r\n"),
        "{answer}"
    );
    assert!(answer.contains(r#""code":"payload_too_large""#), "{answer}");
    server.stop().await;
}

#[tokio::test]
async fn unsupported_media_types_say_what_is_accepted() {
    let server = start().await;
    let client = server.client().with_base("");
    let resource = "/api/resource";
    for content_type in [
        "application/xml",
        "text/plain",
        "application/x-www-form-urlencoded",
    ] {
        let reply = client
            .patch(resource)
            .body(content_type, r#"{"key": null}"#)
            .await;
        assert_problem(&reply, 415, "unsupported_media_type");
        assert_eq!(
            reply.header("accept-patch"),
            Some("application/merge-patch+json, application/json"),
            "{content_type}"
        );
    }
    let parse = "/api/time/parse";
    for content_type in [
        "text/plain",
        "application/merge-patch+json",
        "application/json; charset=latin1",
    ] {
        let reply = client.post(parse).body(content_type, "month=5").await;
        assert_problem(&reply, 415, "unsupported_media_type");
        assert_eq!(
            reply.header("accept-post"),
            Some("application/json, application/xml, text/xml, application/x-www-form-urlencoded"),
            "{content_type}"
        );
    }
    // A body without a Content-Type is not guessed at.
    let reply = client.post(parse).raw_body(r#"{"month": 5}"#).await;
    assert_problem(&reply, 415, "unsupported_media_type");
    server.stop().await;
}

#[tokio::test]
async fn malformed_bodies_are_400() {
    let server = start().await;
    let client = server.client().with_base("");
    let parse = "/api/time/parse";
    let deep = format!("{}1{}", "[".repeat(40), "]".repeat(40));
    #[rustfmt::skip]
    let cases = [
        (Method::POST, parse, "application/json", r#"{"month": "#),
        (Method::POST, parse, "application/json", "{month: 5}"),
        (Method::POST, parse, "application/json", deep.as_str()),
        (Method::POST, parse, "application/xml", "<time><month>5</time>"),
        (Method::POST, parse, "text/xml", "<time><month>5</month>"),
        (Method::POST, parse, "application/x-www-form-urlencoded", "month=%FF"),
    ];
    for (method, url, content_type, body) in cases {
        let reply = client.request(method, url).body(content_type, body).await;
        assert_eq!(
            reply.status(),
            400,
            "{content_type} {body}: {}",
            reply.text()
        );
        assert_eq!(
            reply.header("content-type"),
            Some("application/problem+json")
        );
    }
    let reply = client
        .post(parse)
        .body("application/json", "{\"month\": ")
        .await;
    assert_problem(&reply, 400, "malformed_body");
    let reply = client
        .post(parse)
        .body("application/xml", "<time><month>5</time>")
        .await;
    assert_problem(&reply, 400, "malformed_body");
    let reply = client
        .patch("/api/resource")
        .body("application/merge-patch+json", "{")
        .await;
    assert_problem(&reply, 400, "malformed_body");

    // In XML when the client reads XML.
    let reply = client
        .post(parse)
        .accept("application/xml")
        .body("application/json", "{")
        .await;
    assert_eq!(reply.status(), 400);
    assert_eq!(
        reply.header("content-type"),
        Some("application/problem+xml")
    );
    assert!(
        reply.text().contains("<code>malformed_body</code>"),
        "{}",
        reply.text()
    );
    server.stop().await;
}

#[tokio::test]
async fn unprocessable_arguments_are_422_with_every_error() {
    let server = start().await;
    let client = server.client().with_base("");
    let reply = client
        .post("/api/time/parse")
        .body(
            "application/json",
            r#"{"month": 13, "day": "x", "name": "Al"}"#,
        )
        .await;
    assert_problem(&reply, 422, "invalid_arguments");
    let problem = reply.json::<Value>();
    let mut pointers: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["pointer"].as_str().unwrap())
        .collect();
    pointers.sort_unstable();
    assert_eq!(pointers, ["/day", "/month", "/name"]);
    assert_eq!(problem["detail"], "3 arguments are invalid");

    // A name in both the query and the body is a mistake to show.
    let reply = client
        .post("/api/time/parse?month=5")
        .body("application/json", r#"{"month": 6}"#)
        .await;
    assert_problem(&reply, 422, "invalid_arguments");
    assert_eq!(reply.json::<Value>()["errors"][0]["code"], "duplicate");
    server.stop().await;
}

#[tokio::test]
async fn cors_preflights_follow_each_endpoint() {
    let server = start().await;
    let client = server.client().with_base("");
    let preflight = |path: &str, method: &str| {
        client
            .request(Method::OPTIONS, path)
            .header("origin", "https://elsewhere.example")
            .header("access-control-request-method", method)
            .header(
                "access-control-request-headers",
                "content-type, x-request-id",
            )
    };
    let reply = preflight("/api/time/current", "GET").await;
    assert_eq!(reply.status(), 204);
    assert_eq!(reply.text(), "");
    assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
    assert_eq!(reply.header("access-control-allow-methods"), Some("GET"));
    assert_eq!(
        reply.header("access-control-allow-headers"),
        Some("content-type, x-request-id")
    );
    assert_eq!(reply.header("access-control-max-age"), Some("600"));
    assert_eq!(reply.header("allow"), Some("GET, HEAD, OPTIONS"));
    assert!(reply.header("access-control-allow-credentials").is_none());

    let reply = preflight("/api/blank", "POST").await;
    assert_eq!(reply.status(), 204);
    assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
    assert_eq!(reply.header("access-control-allow-methods"), Some("POST"));

    // An endpoint without CORS gets no grant, only `Allow`.
    for (path, method) in [
        ("/api/time/parse", "POST"),
        ("/api/resource", "PATCH"),
        ("/api/time/current", "DELETE"),
    ] {
        let reply = preflight(path, method).await;
        assert_eq!(reply.status(), 204, "{path}");
        assert!(
            reply.header("access-control-allow-origin").is_none(),
            "{path}"
        );
        assert!(
            reply.header("access-control-allow-methods").is_none(),
            "{path}"
        );
        assert!(reply.header("allow").is_some(), "{path}");
    }

    // A plain OPTIONS.
    let reply = client.request(Method::OPTIONS, "/api/resource").await;
    assert_eq!(reply.status(), 204);
    assert_eq!(
        reply.header("allow"),
        Some("GET, PATCH, PUT, HEAD, OPTIONS")
    );
    assert!(reply.header("access-control-allow-origin").is_none());
    server.stop().await;
}

#[tokio::test]
async fn head_is_a_get_without_its_body() {
    let server = start().await;
    let client = server.client().with_base("");
    for path in [
        "/api/arg_test/a/b",
        "/api/resource",
        "/api/time/range?duration=0&fields=duration_microseconds",
    ] {
        let full = client.get(path).await;
        let head = client.head(path).await;
        assert_eq!(head.status(), 200, "{path}");
        assert_eq!(head.text(), "", "{path}");
        assert_eq!(
            head.header("content-length"),
            Some(full.text().len().to_string().as_str()),
            "{path}"
        );
        assert_eq!(
            head.header("content-type"),
            full.header("content-type"),
            "{path}"
        );
        assert_eq!(head.header("cache-control"), Some("no-cache"), "{path}");
    }
    let head = client.head("/api/time/current").await;
    assert_eq!(head.status(), 200);
    assert_eq!(head.header("after-response"), Some("OK"));
    assert!(
        head.header("content-length")
            .unwrap()
            .parse::<usize>()
            .unwrap()
            > 100
    );

    // On the wire, too: headers and nothing after them.
    let answer = raw_exchange(
        server.addr(),
        b"HEAD /api/arg_test/a/b HTTP/1.1\r\nHost: pale.test\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
    assert!(
        answer
            .to_ascii_lowercase()
            .contains("\r\ncontent-length: 25\r\n"),
        "{answer}"
    );
    assert!(answer.ends_with("\r\n\r\n"), "{answer}");
    server.stop().await;
}
