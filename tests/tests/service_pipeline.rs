//! The server's pipeline through `tower::ServiceExt::oneshot` (no sockets:
//! the sockets' own behaviour is tested end to end in the time-api
//! example): every status, the headers that go with it, and the problem
//! documents, in JSON and XML.

use bytes::Bytes;
use http::{Method, Request, StatusCode, header};
use http_body_util::{BodyExt, Full};
use pale_core::prelude::*;
use pale_server::{Limits, PaleService};
use pale_tests::fixtures::{GetAlbum, Store};
use serde_json::Value;
use tower::ServiceExt;

/// Record a sale (admins only).
#[derive(Endpoint)]
#[pale(POST "/sales", name = "record_sale", audience = Admin, cors("https://admin.example"))]
struct RecordSale {
    /// Units sold.
    #[pale(range = 1..=1000)]
    units: u32,
    /// Store.
    store: String,
}

impl Handler<Store> for RecordSale {
    type Output = Plain<u32>;
    async fn handle(self, _: &Context<Store>) -> Result<Self::Output, ApiError> {
        let _ = self.store;
        Ok(Plain::new("units", self.units))
    }
}

/// Echoes its arguments.
#[derive(Endpoint)]
#[pale(POST "/echo", name = "echo")]
struct Echo {
    #[pale(range = 1..=10)]
    n: u32,
    #[pale(default = Vec::new())]
    tags: Vec<String>,
}

impl Handler<Store> for Echo {
    type Output = Plain<(u32, Vec<String>)>;
    async fn handle(self, _: &Context<Store>) -> Result<Self::Output, ApiError> {
        Ok(Plain::new("echo", (self.n, self.tags)))
    }
}

/// Replaces a setting (a `PUT`, for what a 415 to it says).
#[derive(Endpoint)]
#[pale(PUT "/setting", name = "put_setting")]
struct PutSetting {
    n: u32,
}

impl Handler<Store> for PutSetting {
    type Output = Plain<u32>;
    async fn handle(self, _: &Context<Store>) -> Result<Self::Output, ApiError> {
        Ok(Plain::new("setting", self.n))
    }
}

/// Panics.
#[derive(Endpoint)]
#[pale(GET "/boom", name = "boom", cors = "*")]
struct Boom {}

impl Handler<Store> for Boom {
    type Output = NoContent;
    async fn handle(self, _: &Context<Store>) -> Result<NoContent, ApiError> {
        panic!("secret internal detail")
    }
}

/// Nothing.
#[derive(Endpoint)]
#[pale(DELETE "/albums/{album_id}", name = "delete_album", audience = User)]
struct DeleteAlbum {
    album_id: u32,
}

impl Handler<Store> for DeleteAlbum {
    type Output = NoContent;
    async fn handle(self, _: &Context<Store>) -> Result<NoContent, ApiError> {
        let _ = self.album_id;
        Ok(NoContent)
    }
}

fn service() -> PaleService<Store> {
    let api = Api::builder(Store)
        .base_path("/api")
        .mount::<GetAlbum>()
        .mount::<RecordSale>()
        .mount::<Boom>()
        .mount::<DeleteAlbum>()
        .mount::<Echo>()
        .mount::<PutSetting>()
        .build()
        .unwrap();
    PaleService::with_limits(api, Limits::default().max_body_bytes(100)).unwrap()
}

struct Reply {
    status: StatusCode,
    headers: http::HeaderMap,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }
}

async fn send(request: Request<Full<Bytes>>) -> Reply {
    let response = service().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    Reply {
        status,
        headers,
        body: String::from_utf8(body.to_vec()).unwrap(),
    }
}

fn get(uri: &str) -> http::request::Builder {
    Request::builder().uri(uri)
}

fn empty(builder: http::request::Builder) -> Request<Full<Bytes>> {
    builder.body(Full::new(Bytes::new())).unwrap()
}

fn with_body(
    builder: http::request::Builder,
    content_type: &str,
    body: &str,
) -> Request<Full<Bytes>> {
    builder
        .header(header::CONTENT_TYPE, content_type)
        .body(Full::new(Bytes::from(body.to_owned())))
        .unwrap()
}

#[tokio::test]
async fn a_resource_in_json_and_xml() {
    let reply = send(empty(get("/api/albums/7?fields=id,title"))).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    assert_eq!(reply.header("cache-control"), Some("no-cache"));
    assert_eq!(reply.body, r#"{"id":7,"title":"Covers & <Friends>"}"#);
    assert!(reply.header("x-request-id").is_some());

    let reply = send(empty(
        get("/api/albums/7?fields=id,title").header("accept", "application/xml"),
    ))
    .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), Some("application/xml"));
    assert!(
        reply
            .body
            .contains("<album><id>7</id><title>Covers &amp; &lt;Friends&gt;</title></album>"),
        "{}",
        reply.body
    );

    // Asked as `text/xml`, answered as `text/xml`: the same document.
    let as_text = send(empty(
        get("/api/albums/7?fields=id,title").header("accept", "text/xml"),
    ))
    .await;
    assert_eq!(as_text.status, 200);
    assert_eq!(as_text.header("content-type"), Some("text/xml"));
    assert_eq!(as_text.body, reply.body);
}

#[tokio::test]
async fn errors_are_problem_documents_in_the_negotiated_format() {
    #[rustfmt::skip]
    let cases: Vec<(Request<Full<Bytes>>, u16, &str)> = vec![
        (empty(get("/api/nowhere")), 404, "not_found"),
        (empty(get("/elsewhere")), 404, "not_found"),
        (empty(get("/api/albums/8")), 404, "not_found"),
        (empty(get("/api/albums/x")), 422, "invalid_arguments"),
        (empty(get("/api/albums/7?fields=title(")), 400, "invalid_selection"),
        (empty(get("/api/albums/7?fields=units_sold")), 400, "unknown_field"),
        (empty(get("/api/albums/7?fields=a&fields=b")), 400, "invalid_selection"),
        (empty(get("/api/albums/7").method(Method::PUT)), 405, "method_not_allowed"),
        (empty(get("/api/albums/7").header("accept", "text/html")), 406, "not_acceptable"),
        (empty(get("/api/sales").method(Method::POST)), 401, "unauthorized"),
        (empty(get("/api/albums/%FF")), 400, "malformed_path"),
        (empty(get("/api/albums/7?q=%FF")), 400, "malformed_query"),
        (empty(get("/api/albums/7").method(Method::DELETE)), 401, "unauthorized"),
    ];
    for (request, status, code) in cases {
        let uri = request.uri().to_string();
        let reply = send(request).await;
        assert_eq!(reply.status.as_u16(), status, "{uri}: {}", reply.body);
        assert_eq!(
            reply.header("content-type"),
            Some("application/problem+json"),
            "{uri}"
        );
        let problem = reply.json();
        assert_eq!(problem["status"], status, "{uri}");
        assert_eq!(problem["code"], code, "{uri}");
        assert_eq!(
            problem["request_id"].as_str(),
            reply.header("x-request-id"),
            "{uri}"
        );
    }
}

#[tokio::test]
async fn a_405_lists_the_allowed_methods() {
    let reply = send(empty(get("/api/albums/7").method(Method::POST))).await;
    assert_eq!(reply.status, 405);
    assert_eq!(reply.header("allow"), Some("GET, DELETE, HEAD, OPTIONS"));
}

#[tokio::test]
async fn a_401_challenges_and_xml_problems_are_xml() {
    let reply = send(empty(
        get("/api/sales")
            .method(Method::POST)
            .header("accept", "application/xml"),
    ))
    .await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.header("www-authenticate"), Some("Bearer"));
    assert_eq!(
        reply.header("content-type"),
        Some("application/problem+xml")
    );
    assert!(reply.body.contains("<problem><type>about:blank</type><title>Authentication required</title><status>401</status>"), "{}", reply.body);
}

#[tokio::test]
async fn head_is_get_without_a_body() {
    let full = send(empty(get("/api/albums/7"))).await;
    let head = send(empty(get("/api/albums/7").method(Method::HEAD))).await;
    assert_eq!(head.status, 200);
    assert_eq!(head.body, "");
    assert_eq!(
        head.header("content-length"),
        Some(full.body.len().to_string().as_str())
    );
}

#[tokio::test]
async fn a_panicking_handler_is_an_opaque_500() {
    let reply = send(empty(get("/api/boom").header("x-request-id", "req-42"))).await;
    assert_eq!(reply.status, 500);
    assert_eq!(reply.header("x-request-id"), Some("req-42"));
    assert!(!reply.body.contains("secret"), "{}", reply.body);
    let problem = reply.json();
    assert_eq!(problem["request_id"], "req-42");
    assert_eq!(problem["code"], "internal_error");
}

#[tokio::test]
async fn cors_preflight_follows_the_endpoint_policy() {
    let preflight = |origin: &str| {
        empty(
            get("/api/sales")
                .method(Method::OPTIONS)
                .header("origin", origin)
                .header("access-control-request-method", "POST")
                .header("access-control-request-headers", "content-type"),
        )
    };
    let reply = send(preflight("https://admin.example")).await;
    assert_eq!(reply.status, 204);
    assert_eq!(
        reply.header("access-control-allow-origin"),
        Some("https://admin.example")
    );
    assert_eq!(reply.header("access-control-allow-methods"), Some("POST"));
    assert_eq!(
        reply.header("access-control-allow-headers"),
        Some("content-type")
    );
    assert_eq!(reply.header("vary"), Some("Origin"));
    assert!(reply.header("access-control-allow-credentials").is_none());

    let reply = send(preflight("https://evil.example")).await;
    assert_eq!(reply.status, 204);
    assert!(reply.header("access-control-allow-origin").is_none());

    let reply = send(empty(get("/api/albums/7").method(Method::OPTIONS))).await;
    assert_eq!(reply.header("allow"), Some("GET, DELETE, HEAD, OPTIONS"));

    // A normal response of a `cors = "*"` endpoint, even an error.
    let reply = send(empty(
        get("/api/boom").header("origin", "https://x.example"),
    ))
    .await;
    assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
}

#[tokio::test]
async fn bodies_are_decoded_by_content_type() {
    let post = || get("/api/echo").method(Method::POST);
    #[rustfmt::skip]
    let cases = [
        ("application/json", r#"{"n": 3, "tags": ["a"]}"#),
        ("application/json; charset=utf-8", r#"{"n": "3", "tags": "a"}"#),
        ("application/x-www-form-urlencoded", "n=3&tags=a"),
        ("application/xml", "<echo><n>3</n><tags><item>a</item></tags></echo>"),
        ("text/xml", "<echo><n>3</n><tags>a</tags></echo>"),
    ];
    for (content_type, body) in cases {
        let reply = send(with_body(post(), content_type, body)).await;
        assert_eq!(
            (reply.status.as_u16(), reply.body.as_str()),
            (200, r#"[3,["a"]]"#),
            "{content_type}"
        );
    }
}

#[tokio::test]
async fn bad_bodies_are_400_413_415_or_422() {
    let post = || get("/api/echo").method(Method::POST);
    let big = format!(r#"{{"n": 1, "pad": "{}"}}"#, "x".repeat(100));
    let deep = format!("{}1{}", "[".repeat(40), "]".repeat(40));
    #[rustfmt::skip]
    let cases: Vec<(Request<Full<Bytes>>, u16, &str)> = vec![
        (with_body(post(), "text/plain", "n=1"), 415, "unsupported_media_type"),
        (with_body(post(), "application/json; charset=latin1", "{}"), 415, "unsupported_media_type"),
        (with_body(post(), "application/merge-patch+json", "{}"), 415, "unsupported_media_type"),
        (with_body(post(), "application/json", "{\"n\": "), 400, "malformed_body"),
        (with_body(post(), "application/xml", "<a><b></a>"), 400, "malformed_body"),
        (with_body(post(), "application/json", &deep), 400, "malformed_body"),
        (with_body(post(), "application/json", &big), 413, "payload_too_large"),
        (with_body(post(), "application/json", r#"{"n": 11}"#), 422, "invalid_arguments"),
        (with_body(get("/api/echo?n=2").method(Method::POST), "application/json", r#"{"n": 1}"#), 422, "invalid_arguments"),
    ];
    for (request, status, code) in cases {
        let reply = send(request).await;
        assert_eq!(reply.status.as_u16(), status, "{}", reply.body);
        assert_eq!(reply.json()["code"], code, "{}", reply.body);
    }
    let reply = send(with_body(post(), "text/plain", "x")).await;
    assert_eq!(
        reply.header("accept-post"),
        Some("application/json, application/xml, text/xml, application/x-www-form-urlencoded")
    );
    // `Accept-Post` is about POST (RFC 9110 names no header for PUT): a
    // PUT's 415 lists the accepted types in its body only.
    let put = get("/api/setting").method(Method::PUT);
    let reply = send(with_body(put, "text/plain", "x")).await;
    assert_eq!(reply.status.as_u16(), 415);
    assert_eq!(reply.header("accept-post"), None);
    let put = get("/api/setting").method(Method::PUT);
    let reply = send(with_body(put, "application/json", r#"{"n": 4}"#)).await;
    assert_eq!(reply.status.as_u16(), 200, "{}", reply.body);
    let reply = send(with_body(post(), "application/json", "{\"n\": ")).await;
    assert!(
        reply.json()["detail"]
            .as_str()
            .unwrap()
            .contains("line 1 column"),
        "{}",
        reply.body
    );
    let reply = send(with_body(post(), "application/json", r#"{"n": 11}"#)).await;
    assert_eq!(reply.json()["errors"][0]["pointer"], "/n");
}

#[tokio::test]
async fn a_chunked_body_past_the_limit_is_413() {
    // A body with no Content-Length: the limit holds while reading.
    let chunks = futures_stream(vec![
        Bytes::from(vec![b' '; 60]),
        Bytes::from(vec![b' '; 60]),
    ]);
    let request = get("/api/echo")
        .method(Method::POST)
        .header(header::CONTENT_TYPE, "application/json")
        .body(chunks)
        .unwrap();
    let response = service().oneshot(request).await.unwrap();
    assert_eq!(response.status(), 413);
}

fn futures_stream(chunks: Vec<Bytes>) -> http_body_util::StreamBody<tokio_stream_like::Chunks> {
    http_body_util::StreamBody::new(tokio_stream_like::Chunks(chunks.into_iter()))
}

mod tokio_stream_like {
    use bytes::Bytes;
    use std::convert::Infallible;
    use std::pin::Pin;
    use std::task::{Context, Poll};

    pub(super) struct Chunks(pub(super) std::vec::IntoIter<Bytes>);

    impl futures_util::Stream for Chunks {
        type Item = Result<http_body::Frame<Bytes>, Infallible>;
        fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            Poll::Ready(self.0.next().map(|b| Ok(http_body::Frame::data(b))))
        }
    }
}

#[tokio::test]
async fn audiences_guard_endpoints() {
    let sale = |auth: Option<&str>| {
        let mut b = get("/api/sales").method(Method::POST);
        if let Some(a) = auth {
            b = b.header("authorization", a);
        }
        with_body(b, "application/json", r#"{"units": 2, "store": "x"}"#)
    };
    assert_eq!(send(sale(None)).await.status, 401);
    assert_eq!(send(sale(Some("Bearer 1"))).await.status, 403);
    assert_eq!(send(sale(Some("Bearer nobody"))).await.status, 401);
    let reply = send(sale(Some("Bearer admin"))).await;
    assert_eq!((reply.status.as_u16(), reply.body.as_str()), (200, "2"));
}

#[tokio::test]
async fn no_content_has_no_body_and_no_content_type() {
    let reply = send(empty(
        get("/api/albums/7")
            .method(Method::DELETE)
            .header("authorization", "Bearer 1"),
    ))
    .await;
    assert_eq!(reply.status, 204);
    assert_eq!(reply.body, "");
    assert!(reply.header("content-type").is_none());
    assert_eq!(reply.header("cache-control"), Some("no-cache"));
}

#[tokio::test]
async fn owners_see_their_fields_through_the_server() {
    let owner = send(empty(
        get("/api/albums/7?fields=id,units_sold").header("authorization", "Bearer 1"),
    ))
    .await;
    assert_eq!(owner.body, r#"{"id":7,"units_sold":12}"#);
    let other = send(empty(
        get("/api/albums/7?fields=id,units_sold").header("authorization", "Bearer 2"),
    ))
    .await;
    assert_eq!(other.body, r#"{"id":7}"#);
}
