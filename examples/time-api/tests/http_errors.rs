//! Every error status of the pale-server crate docs, on the time API over a
//! real socket: each a problem document in the client's format with the
//! headers that go with it; and CORS preflights and `HEAD`.

mod common;

use http::Method;
use pale::Limits;

use common::{Reply, TestServer, empty, get, raw_exchange, request, send, send_body};

/// The body limit of these tests' server.
const LIMIT: usize = 1024;

async fn start() -> TestServer {
    TestServer::start_with(time_api::api(), Limits::default().max_body_bytes(LIMIT)).await
}

/// Asserts a JSON problem document with `status` and `code`.
fn assert_problem(reply: &Reply, status: u16, code: &str) {
    assert_eq!(reply.status.as_u16(), status, "{}", reply.body);
    assert_eq!(
        reply.header("content-type"),
        Some("application/problem+json")
    );
    assert_eq!(reply.header("cache-control"), Some("no-cache"));
    let problem = reply.json();
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
    for path in [
        "/api/nowhere",
        "/api/time",
        "/api/time/current/extra",
        "/elsewhere",
        "/",
        "/apix/time/current",
    ] {
        assert_problem(&get(&server.url(path), &[]).await, 404, "not_found");
    }
    let reply = get(
        &server.url("/api/nowhere"),
        &[("accept", "application/xml")],
    )
    .await;
    assert_eq!(reply.status, 404);
    assert_eq!(
        reply.header("content-type"),
        Some("application/problem+xml")
    );
    assert!(
        reply.body.contains(
            "<problem><type>about:blank</type><title>Not found</title><status>404</status>"
        ),
        "{}",
        reply.body
    );
    server.stop().await;
}

#[tokio::test]
async fn method_not_allowed_lists_the_methods() {
    let server = start().await;
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
        let reply = send(empty(method.clone(), &server.url(path))).await;
        assert_problem(&reply, 405, "method_not_allowed");
        assert_eq!(reply.header("allow"), Some(allow), "{method} {path}");
    }
    server.stop().await;
}

#[tokio::test]
async fn not_acceptable() {
    let server = start().await;
    for accept in [
        "text/html",
        "application/json;q=0, application/xml;q=0",
        "image/*",
    ] {
        let reply = get(&server.url("/api/time/current"), &[("accept", accept)]).await;
        assert_problem(&reply, 406, "not_acceptable");
        assert!(
            reply.json()["detail"]
                .as_str()
                .unwrap()
                .contains("application/xml"),
            "{}",
            reply.body
        );
        // The handler did not run: no after-response header.
        assert!(reply.header("after-response").is_none());
    }
    server.stop().await;
}

#[tokio::test]
async fn payload_too_large_with_a_content_length() {
    let server = start().await;
    let body = format!(r#"{{"month": 5, "name": "{}"}}"#, "x".repeat(LIMIT));
    let reply = send_body(
        Method::POST,
        &server.url("/api/time/parse"),
        "application/json",
        &body,
    )
    .await;
    assert_problem(&reply, 413, "payload_too_large");
    assert!(
        reply.json()["detail"]
            .as_str()
            .unwrap()
            .contains("1024 bytes"),
        "{}",
        reply.body
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
    let resource = server.url("/api/resource");
    for content_type in [
        "application/xml",
        "text/plain",
        "application/x-www-form-urlencoded",
    ] {
        let reply = send_body(Method::PATCH, &resource, content_type, r#"{"key": null}"#).await;
        assert_problem(&reply, 415, "unsupported_media_type");
        assert_eq!(
            reply.header("accept-patch"),
            Some("application/merge-patch+json, application/json"),
            "{content_type}"
        );
    }
    let parse = server.url("/api/time/parse");
    for content_type in [
        "text/plain",
        "application/merge-patch+json",
        "application/json; charset=latin1",
    ] {
        let reply = send_body(Method::POST, &parse, content_type, "month=5").await;
        assert_problem(&reply, 415, "unsupported_media_type");
        assert_eq!(
            reply.header("accept-post"),
            Some("application/json, application/xml, text/xml, application/x-www-form-urlencoded"),
            "{content_type}"
        );
    }
    // A body without a Content-Type is not guessed at.
    let reply = send(request(Method::POST, &parse, &[], r#"{"month": 5}"#)).await;
    assert_problem(&reply, 415, "unsupported_media_type");
    server.stop().await;
}

#[tokio::test]
async fn malformed_bodies_are_400() {
    let server = start().await;
    let parse = server.url("/api/time/parse");
    let deep = format!("{}1{}", "[".repeat(40), "]".repeat(40));
    #[rustfmt::skip]
    let cases = [
        (Method::POST, parse.as_str(), "application/json", r#"{"month": "#),
        (Method::POST, parse.as_str(), "application/json", "{month: 5}"),
        (Method::POST, parse.as_str(), "application/json", deep.as_str()),
        (Method::POST, parse.as_str(), "application/xml", "<time><month>5</time>"),
        (Method::POST, parse.as_str(), "text/xml", "<time><month>5</month>"),
        (Method::POST, parse.as_str(), "application/x-www-form-urlencoded", "month=%FF"),
    ];
    for (method, url, content_type, body) in cases {
        let reply = send_body(method, url, content_type, body).await;
        assert_eq!(reply.status, 400, "{content_type} {body}: {}", reply.body);
        assert_eq!(
            reply.header("content-type"),
            Some("application/problem+json")
        );
    }
    let reply = send_body(Method::POST, &parse, "application/json", "{\"month\": ").await;
    assert_problem(&reply, 400, "malformed_body");
    let reply = send_body(
        Method::POST,
        &parse,
        "application/xml",
        "<time><month>5</time>",
    )
    .await;
    assert_problem(&reply, 400, "malformed_body");
    let reply = send_body(
        Method::PATCH,
        &server.url("/api/resource"),
        "application/merge-patch+json",
        "{",
    )
    .await;
    assert_problem(&reply, 400, "malformed_body");

    // In XML when the client reads XML.
    let reply = send(request(
        Method::POST,
        &parse,
        &[
            ("content-type", "application/json"),
            ("accept", "application/xml"),
        ],
        "{",
    ))
    .await;
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.header("content-type"),
        Some("application/problem+xml")
    );
    assert!(
        reply.body.contains("<code>malformed_body</code>"),
        "{}",
        reply.body
    );
    server.stop().await;
}

#[tokio::test]
async fn unprocessable_arguments_are_422_with_every_error() {
    let server = start().await;
    let reply = send_body(
        Method::POST,
        &server.url("/api/time/parse"),
        "application/json",
        r#"{"month": 13, "day": "x", "name": "Al"}"#,
    )
    .await;
    assert_problem(&reply, 422, "invalid_arguments");
    let problem = reply.json();
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
    let reply = send_body(
        Method::POST,
        &server.url("/api/time/parse?month=5"),
        "application/json",
        r#"{"month": 6}"#,
    )
    .await;
    assert_problem(&reply, 422, "invalid_arguments");
    assert_eq!(reply.json()["errors"][0]["code"], "duplicate");
    server.stop().await;
}

#[tokio::test]
async fn cors_preflights_follow_each_endpoint() {
    let server = start().await;
    let preflight = |path: &str, method: &str| {
        request(
            Method::OPTIONS,
            &server.url(path),
            &[
                ("origin", "https://elsewhere.example"),
                ("access-control-request-method", method),
                (
                    "access-control-request-headers",
                    "content-type, x-request-id",
                ),
            ],
            "",
        )
    };
    let reply = send(preflight("/api/time/current", "GET")).await;
    assert_eq!(reply.status, 204);
    assert_eq!(reply.body, "");
    assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
    assert_eq!(reply.header("access-control-allow-methods"), Some("GET"));
    assert_eq!(
        reply.header("access-control-allow-headers"),
        Some("content-type, x-request-id")
    );
    assert_eq!(reply.header("access-control-max-age"), Some("600"));
    assert_eq!(reply.header("allow"), Some("GET, HEAD, OPTIONS"));
    assert!(reply.header("access-control-allow-credentials").is_none());

    let reply = send(preflight("/api/blank", "POST")).await;
    assert_eq!(reply.status, 204);
    assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
    assert_eq!(reply.header("access-control-allow-methods"), Some("POST"));

    // An endpoint without CORS gets no grant, only `Allow`.
    for (path, method) in [
        ("/api/time/parse", "POST"),
        ("/api/resource", "PATCH"),
        ("/api/time/current", "DELETE"),
    ] {
        let reply = send(preflight(path, method)).await;
        assert_eq!(reply.status, 204, "{path}");
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
    let reply = send(empty(Method::OPTIONS, &server.url("/api/resource"))).await;
    assert_eq!(reply.status, 204);
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
    for path in [
        "/api/arg_test/a/b",
        "/api/resource",
        "/api/time/range?duration=0&fields=duration_microseconds",
    ] {
        let full = get(&server.url(path), &[]).await;
        let head = send(empty(Method::HEAD, &server.url(path))).await;
        assert_eq!(head.status, 200, "{path}");
        assert_eq!(head.body, "", "{path}");
        assert_eq!(
            head.header("content-length"),
            Some(full.body.len().to_string().as_str()),
            "{path}"
        );
        assert_eq!(
            head.header("content-type"),
            full.header("content-type"),
            "{path}"
        );
        assert_eq!(head.header("cache-control"), Some("no-cache"), "{path}");
    }
    let head = send(empty(Method::HEAD, &server.url("/api/time/current"))).await;
    assert_eq!(head.status, 200);
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
