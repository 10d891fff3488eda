//! A `PaleService` inside an axum 0.8 app, behind tower-http's compression
//! and tracing layers, on a real socket.
//!
//! `Router::nest_service("/pale", service)` strips `/pale` before calling
//! the service (the full URI is in axum's `OriginalUri` extension), so the
//! Pale API keeps its own `base_path` (`/api`): `/pale/api/time/current`
//! reaches it as `/api/time/current`. Links Pale builds (a `Location`, a
//! `link` field) then carry only `/api`, not `/pale`. An app that renders
//! links should rather give its Api the whole prefix
//! (`base_path("/pale/api")`) and let axum pass it the path unstripped,
//! with `Router::fallback_service`: the second test does that.

use std::io::Read;
use std::time::Duration;

use axum::Router;
use axum::routing::get as axum_get;
use flate2::read::GzDecoder;
use pale::Api;
use pale::PaleService;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

use pale::test::TestClient;

/// The longest the test waits for axum to stop.
const DEADLINE: Duration = Duration::from_secs(10);

fn gunzip(body: &[u8]) -> String {
    let mut out = String::new();
    GzDecoder::new(body)
        .read_to_string(&mut out)
        .expect("a gzip body");
    out
}

#[tokio::test]
async fn a_pale_service_nested_in_axum_is_compressed_and_traced() {
    let service = PaleService::new(time_api::api()).expect("the routes fit the router");
    let app = Router::new()
        .route("/health", axum_get(|| async { "ok" }))
        .nest_service("/pale", service)
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http());
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await
    });
    let client = TestClient::connect(addr);

    // Compressed, and the same JSON once decompressed.
    let reply = client
        .get("/pale/api/time/current")
        .header("accept-encoding", "gzip")
        .await;
    assert_eq!(reply.status(), 200);
    assert_eq!(reply.header("content-encoding"), Some("gzip"));
    assert_eq!(reply.header("content-type"), Some("application/json"));
    assert_eq!(reply.header("after-response"), Some("OK"));
    assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
    assert!(reply.header("x-request-id").is_some());
    let compressed = reply.bytes();
    assert_eq!(&compressed[..2], [0x1f, 0x8b], "the gzip magic number");
    let body: Value = serde_json::from_str(&gunzip(compressed)).unwrap();
    let time = &body["time"];
    let keys: Vec<&str> = time
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    #[rustfmt::skip]
    assert_eq!(keys, ["year", "month", "day", "hours", "minutes", "seconds", "isoformat", "eurodate", "name"]);

    // A body in, and an XML problem out, through the layers.
    let reply = client
        .post("/pale/api/time/parse")
        .body("application/x-www-form-urlencoded", "month=5&day=17")
        .await;
    assert_eq!(reply.status(), 200);
    assert_eq!(reply.header("cache-control"), Some("max-age=3"));
    assert_eq!(
        reply.text(),
        r#"{"time":{"year":2015,"month":5,"day":17,"isoformat":"2015-05-17T00:00:00Z"}}"#
    );
    let reply = client
        .get("/pale/api/nowhere")
        .accept("application/xml")
        .await;
    assert_eq!(reply.status(), 404);
    assert_eq!(
        reply.header("content-type"),
        Some("application/problem+xml")
    );

    // Without `Accept-Encoding`, plain; axum's own routes still work.
    let reply = client.get("/pale/api/resource").await;
    assert!(reply.header("content-encoding").is_none());
    assert_eq!(reply.text(), r#"{"key":"value"}"#);
    assert_eq!(client.get("/health").await.text(), "ok");
    assert_eq!(client.get("/api/time/current").await.status(), 404);

    let _ = stop.send(());
    tokio::time::timeout(DEADLINE, server)
        .await
        .expect("axum stops within the deadline")
        .unwrap()
        .unwrap();
}

#[tokio::test]
async fn a_pale_service_as_the_fallback_sees_the_whole_path() {
    let api = Api::builder(time_api::TimeApp::new())
        .base_path("/pale/api")
        .mount::<time_api::ArgTest>()
        .build()
        .unwrap();
    let app = Router::new()
        .route("/health", axum_get(|| async { "ok" }))
        .fallback_service(PaleService::new(api).unwrap());
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await
    });
    let client = TestClient::connect(addr);
    let reply = client.get("/pale/api/arg_test/a/b").await;
    assert_eq!(
        (reply.status().as_u16(), reply.text().as_str()),
        (200, r#"{"arg_a":"a","arg_b":"b"}"#)
    );
    let reply = client.get("/elsewhere").await;
    assert_eq!(reply.status(), 404);
    assert_eq!(
        reply.header("content-type"),
        Some("application/problem+json")
    );
    assert_eq!(client.get("/health").await.text(), "ok");

    let _ = stop.send(());
    tokio::time::timeout(DEADLINE, server)
        .await
        .expect("axum stops within the deadline")
        .unwrap()
        .unwrap();
}
