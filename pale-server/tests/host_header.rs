//! Issue 16: an HTTP/1.1 request with no `Host`, or with two, is a 400
//! (RFC 9112 §3.2), answered as a problem document in the negotiated
//! format with a request id, like every other error; HTTP/1.0 needs no
//! `Host`.

mod common;

use std::convert::Infallible;

use bytes::Bytes;
use http_body_util::Full;
use pale_server::{Limits, TrustedProxies};

use common::{Reply, TestServer, exchange_from, loopback};

async fn send(server: &TestServer, request: &str) -> Reply {
    exchange_from(loopback(0, 1), server.addr, request.as_bytes())
        .await
        .unwrap_or_else(|e| panic!("{request:?}: {e}"))
}

#[tokio::test]
async fn http_1_1_requests_need_exactly_one_host() {
    let server = TestServer::start(Limits::default()).await;
    let json = "application/problem+json";
    let xml = "application/problem+xml";
    #[rustfmt::skip]
    let cases = [
        ("GET /api/hello HTTP/1.1\r\n\r\n", 400, Some(json)),
        ("GET /api/hello HTTP/1.1\r\nHost: a.test\r\nHost: a.test\r\n\r\n", 400, Some(json)),
        ("GET /api/hello HTTP/1.1\r\nHost: a.test\r\nHost: b.test\r\n\r\n", 400, Some(json)),
        ("GET /api/hello HTTP/1.1\r\nAccept: application/xml\r\n\r\n", 400, Some(xml)),
        ("POST /api/notes HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}", 400, Some(json)),
        ("GET /api/hello HTTP/1.1\r\nHost: a.test\r\n\r\n", 200, None),
        ("GET /api/hello HTTP/1.0\r\n\r\n", 200, None),
    ];
    for (request, status, problem) in cases {
        let reply = send(&server, request).await;
        assert_eq!(reply.status, status, "{request:?}: {reply:?}");
        let id = reply
            .header("x-request-id")
            .expect("a request id")
            .to_owned();
        let Some(media_type) = problem else { continue };
        assert_eq!(
            reply.header("content-type"),
            Some(media_type),
            "{request:?}"
        );
        assert_eq!(
            reply.header("cache-control"),
            Some("no-cache"),
            "{request:?}"
        );
        assert_eq!(reply.header("connection"), Some("close"), "{request:?}");
        let body = reply.text();
        if media_type == json {
            let problem = reply.json();
            assert_eq!(problem["status"], 400, "{body}");
            assert_eq!(problem["code"], "bad_request", "{body}");
            assert_eq!(
                problem["detail"], "an HTTP/1.1 request needs exactly one Host header",
                "{body}"
            );
            assert_eq!(problem["request_id"], id.as_str(), "{body}");
        } else {
            assert!(body.contains("<status>400</status>"), "{body}");
            assert!(
                body.contains(&format!("<request_id>{id}</request_id>")),
                "{body}"
            );
        }
    }
    server.stop().await;
}

#[tokio::test]
async fn a_clients_request_id_is_kept_on_the_400() {
    let server = TestServer::start(Limits::default()).await;
    let reply = send(
        &server,
        "GET /api/hello HTTP/1.1\r\nX-Request-Id: abc-1\r\n\r\n",
    )
    .await;
    assert_eq!(reply.status, 400);
    assert_eq!(reply.header("x-request-id"), Some("abc-1"));
    assert_eq!(reply.json()["request_id"], "abc-1");
    server.stop().await;
}

/// A service of the application's own is protected too: it never sees
/// the request, and the answer is in JSON.
#[tokio::test]
async fn a_service_of_its_own_is_protected_too() {
    let service = tower::service_fn(|_: http::Request<hyper::body::Incoming>| async {
        Ok::<_, Infallible>(http::Response::new(Full::new(Bytes::from("served"))))
    });
    let server =
        TestServer::start_service(Limits::default(), TrustedProxies::default(), service).await;
    let reply = send(
        &server,
        "GET /page HTTP/1.1\r\nAccept: application/xml\r\n\r\n",
    )
    .await;
    assert_eq!(reply.status, 400, "{reply:?}");
    assert_eq!(
        reply.header("content-type"),
        Some("application/problem+json")
    );
    assert_eq!(reply.json()["code"], "bad_request");
    let reply = send(&server, "GET /page HTTP/1.1\r\nHost: a.test\r\n\r\n").await;
    assert_eq!((reply.status, reply.text().as_str()), (200, "served"));
    server.stop().await;
}
