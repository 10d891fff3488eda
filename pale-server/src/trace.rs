//! Tracing: one `request` span per request (method, path, request id, and
//! the route, its path template and the status once known) and one
//! `served` event with the latency, so every log line of a request can be
//! found by its id.
//!
//! The `served` event is the access log: one line per request with any
//! `tracing` subscriber that shows INFO (the examples' `tracing_subscriber::fmt`
//! prints `request{method=GET path=/api/albums/7 id=… route="get_album"
//! template="/albums/{album_id}" status=200}: served latency_us=412`).
//! Its target is `pale::access`, so a filter switches it off alone:
//! `RUST_LOG=info,pale::access=off`.
//!
//! The span is entered while the stages below are called and polled: the
//! request-id stage records the id on it ([`record_id`]), the router the
//! route ([`record_route`]), and the problems the negotiation stage logs
//! carry it.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Instant;

use http::{Request, Response};
use pin_project_lite::pin_project;
use tracing::Span;

/// Records a request's id on its span.
pub(crate) fn record_id(id: &str) {
    Span::current().record("id", tracing::field::display(id));
}

/// Records the name and path template of the route a request took on its
/// span.
pub(crate) fn record_route(name: &str, template: &str) {
    let span = Span::current();
    span.record("route", name);
    span.record("template", template);
}

/// Traces each request: see the module docs.
#[derive(Clone, Copy)]
pub(crate) struct TraceLayer;

impl<S> tower::Layer<S> for TraceLayer {
    type Service = Trace<S>;

    fn layer(&self, inner: S) -> Trace<S> {
        Trace { inner }
    }
}

/// The tracing stage around `S`.
#[derive(Clone)]
pub(crate) struct Trace<S> {
    inner: S,
}

impl<S, B, R> tower::Service<Request<B>> for Trace<S>
where
    S: tower::Service<Request<B>, Response = Response<R>>,
{
    type Response = Response<R>;
    type Error = S::Error;
    type Future = TraceFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        let started = Instant::now();
        let span = tracing::info_span!(
            "request",
            method = %request.method(),
            path = %request.uri().path(),
            id = tracing::field::Empty,
            route = tracing::field::Empty,
            template = tracing::field::Empty,
            status = tracing::field::Empty,
        );
        let inner = span.in_scope(|| self.inner.call(request));
        TraceFuture {
            inner,
            span,
            started,
        }
    }
}

pin_project! {
    /// Polls the stages below in the span; records the status, logs the
    /// latency.
    pub(crate) struct TraceFuture<F> {
        #[pin]
        inner: F,
        span: Span,
        started: Instant,
    }
}

impl<F, R, E> Future for TraceFuture<F>
where
    F: Future<Output = Result<Response<R>, E>>,
{
    type Output = Result<Response<R>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let (inner, span, started) = (this.inner, &*this.span, *this.started);
        let result = ready!(span.in_scope(|| inner.poll(cx)));
        if let Ok(response) = &result {
            span.record("status", response.status().as_u16());
            tracing::info!(
                target: "pale::access",
                parent: span,
                latency_us = started.elapsed().as_micros() as u64,
                "served"
            );
        }
        Poll::Ready(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower::{Layer, ServiceExt};

    #[tokio::test]
    async fn the_stage_passes_requests_and_responses_through() {
        // With no subscriber, the span is disabled: the stage must cost
        // nothing but pass everything through, the route recording too.
        let inner = tower::service_fn(|request: Request<&'static str>| async move {
            record_route("albums", "/albums");
            let mut response = Response::new(*request.body());
            *response.status_mut() = http::StatusCode::CREATED;
            Ok::<_, std::convert::Infallible>(response)
        });
        let response = TraceLayer
            .layer(inner)
            .oneshot(Request::new("body"))
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
        assert_eq!(*response.body(), "body");
    }

    /// What a `fmt` subscriber with `filter` writes while one request to
    /// `/api/albums` is traced.
    fn log_with(filter: &str) -> String {
        use std::sync::{Arc, Mutex};

        use futures_util::FutureExt;

        #[derive(Clone, Default)]
        struct Log(Arc<Mutex<Vec<u8>>>);
        impl std::io::Write for Log {
            fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
                self.0.lock().unwrap().extend_from_slice(bytes);
                Ok(bytes.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let log = Log::default();
        let writer = log.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        let inner = tower::service_fn(|_: Request<()>| async {
            record_id("req-7");
            record_route("albums", "/albums");
            Ok::<_, std::convert::Infallible>(Response::new(()))
        });
        let request = Request::get("/api/albums").body(()).unwrap();
        tracing::subscriber::with_default(subscriber, || {
            let served = TraceLayer.layer(inner).oneshot(request).now_or_never();
            assert!(served.is_some(), "the inner service is ready at once");
        });
        String::from_utf8(log.0.lock().unwrap().clone()).unwrap()
    }

    #[test]
    fn the_served_event_carries_the_route_status_and_id() {
        let line = log_with("info");
        for field in [
            "method=GET",
            "path=/api/albums",
            "id=req-7",
            "route=\"albums\"",
            "template=\"/albums\"",
            "status=200",
            "served",
            "latency_us=",
        ] {
            assert!(line.contains(field), "{field} in {line}");
        }
    }

    #[test]
    fn a_filter_switches_the_access_log_off_alone() {
        assert_eq!(log_with("info,pale::access=off"), "");
        assert!(log_with("warn,pale::access=info").contains("served"));
    }
}
