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

mod common;

use std::io::Read;

use axum::Router;
use axum::routing::get as axum_get;
use flate2::read::GzDecoder;
use http::Method;
use pale::Api;
use pale::PaleService;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

use common::{DEADLINE, empty, get, request, send};

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
    let url = |path: &str| format!("http://{addr}{path}");

    // Compressed, and the same JSON once decompressed.
    let response = common::client()
        .request(request(
            Method::GET,
            &url("/pale/api/time/current"),
            &[("accept-encoding", "gzip")],
            "",
        ))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    assert_eq!(headers.get("content-encoding").unwrap(), "gzip");
    assert_eq!(headers.get("content-type").unwrap(), "application/json");
    assert_eq!(headers.get("after-response").unwrap(), "OK");
    assert_eq!(headers.get("access-control-allow-origin").unwrap(), "*");
    assert!(headers.get("x-request-id").is_some());
    let compressed = http_body_util::BodyExt::collect(response.into_body())
        .await
        .unwrap()
        .to_bytes();
    assert_eq!(&compressed[..2], [0x1f, 0x8b], "the gzip magic number");
    let body: Value = serde_json::from_str(&gunzip(&compressed)).unwrap();
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
    let reply = send(request(
        Method::POST,
        &url("/pale/api/time/parse"),
        &[("content-type", "application/x-www-form-urlencoded")],
        "month=5&day=17",
    ))
    .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("cache-control"), Some("max-age=3"));
    assert_eq!(
        reply.body,
        r#"{"time":{"year":2015,"month":5,"day":17,"isoformat":"2015-05-17T00:00:00Z"}}"#
    );
    let reply = get(&url("/pale/api/nowhere"), &[("accept", "application/xml")]).await;
    assert_eq!(reply.status, 404);
    assert_eq!(
        reply.header("content-type"),
        Some("application/problem+xml")
    );

    // Without `Accept-Encoding`, plain; axum's own routes still work.
    let reply = get(&url("/pale/api/resource"), &[]).await;
    assert!(reply.header("content-encoding").is_none());
    assert_eq!(reply.body, r#"{"key":"value"}"#);
    assert_eq!(get(&url("/health"), &[]).await.body, "ok");
    assert_eq!(
        send(empty(Method::GET, &url("/api/time/current")))
            .await
            .status,
        404
    );

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
    let reply = get(&format!("http://{addr}/pale/api/arg_test/a/b"), &[]).await;
    assert_eq!(
        (reply.status.as_u16(), reply.body.as_str()),
        (200, r#"{"arg_a":"a","arg_b":"b"}"#)
    );
    let reply = get(&format!("http://{addr}/elsewhere"), &[]).await;
    assert_eq!(reply.status, 404);
    assert_eq!(
        reply.header("content-type"),
        Some("application/problem+json")
    );
    assert_eq!(get(&format!("http://{addr}/health"), &[]).await.body, "ok");

    let _ = stop.send(());
    tokio::time::timeout(DEADLINE, server)
        .await
        .expect("axum stops within the deadline")
        .unwrap()
        .unwrap();
}
