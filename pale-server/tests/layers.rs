//! Tower layers of the application's own around the Pale service
//! (`Server::layer`), served over loopback: what they answer themselves
//! and the errors they fail with reach the client as problem documents in
//! the negotiated format; what the pipeline answers passes untouched; the
//! first layer added is the outermost.

mod common;

use std::time::Duration;

use common::{Reply, TestServer, exchange_from, loopback};
use http::HeaderValue;
use pale_server::{Limits, Server};
use tower::ServiceBuilder;

/// Sends `request` (a request line and headers, no body) with `Host`.
async fn get(server: &TestServer, line: &str, headers: &str) -> Reply {
    let request = format!("{line}\r\nHost: pale.test\r\n{headers}Connection: close\r\n\r\n");
    exchange_from(loopback(0, 1), server.addr, request.as_bytes())
        .await
        .expect("an answer")
}

/// The problem document's members the tests compare.
fn problem(reply: &Reply) -> (u16, String, String, u64) {
    let body = reply.json();
    (
        reply.status,
        reply.header("content-type").unwrap_or_default().to_owned(),
        body["code"].as_str().unwrap_or_default().to_owned(),
        body["status"].as_u64().unwrap_or_default(),
    )
}

#[tokio::test]
async fn what_layers_answer_becomes_a_problem_document() {
    let server = TestServer::start_with(Limits::default(), |server: Server, stopped| {
        Box::pin(
            server
                .layer(tower_http::timeout::TimeoutLayer::with_status_code(
                    http::StatusCode::REQUEST_TIMEOUT,
                    Duration::from_millis(100),
                ))
                .layer(tower_http::limit::RequestBodyLimitLayer::new(16))
                .serve_with_shutdown(common::api(), stopped),
        )
    })
    .await;
    // tower-http's timeout answers an empty 408.
    let slow = get(&server, "GET /api/slow?ms=2000 HTTP/1.1", "").await;
    assert_eq!(
        problem(&slow),
        (
            408,
            "application/problem+json".into(),
            "request_timeout".into(),
            408
        )
    );
    assert_eq!(slow.json()["title"], "Request Timeout");
    assert!(slow.header("x-request-id").is_some_and(|id| !id.is_empty()));
    assert_eq!(slow.header("cache-control"), Some("no-cache"));
    // In the format the client asked for, with the id it sent.
    let xml = get(
        &server,
        "GET /api/slow?ms=2000 HTTP/1.1",
        "Accept: application/xml\r\nx-request-id: abc-123\r\n",
    )
    .await;
    assert_eq!(xml.status, 408);
    assert_eq!(xml.header("content-type"), Some("application/problem+xml"));
    assert!(
        xml.text().contains("<code>request_timeout</code>"),
        "{}",
        xml.text()
    );
    assert_eq!(xml.header("x-request-id"), Some("abc-123"));
    // tower-http's body limit answers a plain-text 413.
    let note = "{\"text\": \"a note longer than sixteen bytes\"}";
    let request = format!(
        "POST /api/notes HTTP/1.1\r\nHost: pale.test\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{note}",
        note.len()
    );
    let large = exchange_from(loopback(0, 1), server.addr, request.as_bytes())
        .await
        .unwrap();
    assert_eq!(
        problem(&large),
        (
            413,
            "application/problem+json".into(),
            "payload_too_large".into(),
            413
        )
    );
    // The pipeline's own answers pass untouched: a success, and a 404
    // that is a problem document already.
    let hello = get(&server, "GET /api/hello HTTP/1.1", "").await;
    assert_eq!((hello.status, hello.json()), (200, "hello".into()));
    let missing = get(&server, "GET /api/nowhere HTTP/1.1", "").await;
    assert_eq!(
        problem(&missing),
        (
            404,
            "application/problem+json".into(),
            "not_found".into(),
            404
        )
    );
    server.stop().await;
}

#[tokio::test]
async fn errors_layers_fail_with_are_503_problems() {
    let server = TestServer::start_with(Limits::default(), |server: Server, stopped| {
        Box::pin(
            server
                .layer(tower::timeout::TimeoutLayer::new(Duration::from_millis(
                    100,
                )))
                .serve_with_shutdown(common::api(), stopped),
        )
    })
    .await;
    let slow = get(&server, "GET /api/slow?ms=2000 HTTP/1.1", "").await;
    assert_eq!(
        problem(&slow),
        (
            503,
            "application/problem+json".into(),
            "timeout".into(),
            503
        )
    );
    assert_eq!(
        slow.json()["detail"],
        "the request took longer than the server allows"
    );
    server.stop().await;

    // Load shedding in front of a concurrency limit of one: while one
    // request is served, the next is shed.
    let server = TestServer::start_with(Limits::default(), |server: Server, stopped| {
        Box::pin(
            server
                .layer(
                    ServiceBuilder::new()
                        .load_shed()
                        .concurrency_limit(1)
                        .into_inner(),
                )
                .serve_with_shutdown(common::api(), stopped),
        )
    })
    .await;
    let first = tokio::spawn({
        let addr = server.addr;
        async move {
            let request =
                "GET /api/slow?ms=500 HTTP/1.1\r\nHost: pale.test\r\nConnection: close\r\n\r\n";
            exchange_from(loopback(0, 2), addr, request.as_bytes()).await
        }
    });
    tokio::time::sleep(Duration::from_millis(150)).await;
    let shed = get(&server, "GET /api/hello HTTP/1.1", "").await;
    assert_eq!(
        problem(&shed),
        (
            503,
            "application/problem+json".into(),
            "overloaded".into(),
            503
        )
    );
    assert_eq!(shed.header("retry-after"), Some("1"));
    assert_eq!(first.await.unwrap().unwrap().status, 200);
    server.stop().await;
}

#[tokio::test]
async fn the_first_layer_added_is_the_outermost() {
    // Each layer appends its name to a response header on the way out:
    // the innermost appends first.
    fn tag(
        name: &'static str,
    ) -> tower::util::MapResponseLayer<
        impl Fn(http::Response<pale_server::ResponseBody>) -> http::Response<pale_server::ResponseBody>
        + Clone,
    > {
        tower::util::MapResponseLayer::new(move |mut response: http::Response<_>| {
            response
                .headers_mut()
                .append("x-layers", HeaderValue::from_static(name));
            response
        })
    }
    let server = TestServer::start_with(Limits::default(), |server: Server, stopped| {
        Box::pin(
            server
                .layer(tag("outer"))
                .layer(tag("inner"))
                .serve_with_shutdown(common::api(), stopped),
        )
    })
    .await;
    let hello = get(&server, "GET /api/hello HTTP/1.1", "").await;
    let layers: Vec<&str> = hello
        .head
        .split("\r\n")
        .filter_map(|line| line.strip_prefix("x-layers: "))
        .collect();
    assert_eq!(layers, ["inner", "outer"]);
    server.stop().await;
}
