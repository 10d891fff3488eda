//! The pipeline (ARCHITECTURE.md tells it whole) as a stack of tower
//! stages, composed here in the order a request meets them (the crate
//! docs' list, top to bottom). Each stage is a module of its own with one
//! concept; every failure below the negotiation stage is an
//! [`ApiError`](pale_core::ApiError), answered there as a problem document
//! in the client's format.
//!
//! What a stage learns and a later one needs travels down with the
//! request, by value: the id, the negotiated format, the route's target
//! ([`Identified`](crate::request_id::Identified),
//! [`Negotiated`](crate::negotiate::Negotiated),
//! [`Routed`](crate::router::Routed)). In the request's extensions, as
//! tower-http's layers pass theirs, they cost a boxed map and a box each:
//! measured, more instructions than the routing itself.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context as TaskContext, Poll};

use bytes::Bytes;
use http::{Request, Response};
use http_body::Body;
use http_body_util::Full;
use pale_core::{Api, App};
use pin_project_lite::pin_project;
use tower::ServiceBuilder;

use crate::body_limit::{RequestBodyLimit, RequestBodyLimitLayer};
use crate::catch_panic::{CatchPanic, CatchPanicFuture, CatchPanicLayer};
use crate::endpoint::{EndpointFuture, Endpoints};
use crate::head::{Head, HeadFuture, HeadLayer};
use crate::limits::Limits;
use crate::negotiate::{Negotiate, NegotiateFuture, NegotiateLayer};
use crate::request_id::{IdFuture, RequestIdLayer, SetRequestId};
use crate::router::{RouteError, RouteLayer, Router, Routing, RoutingFuture};
use crate::security_headers::{Secured, SecuredFuture, SecurityHeaders};
use crate::timeout::{Timeout, TimeoutFuture, TimeoutLayer};
use crate::trace::{Trace, TraceFuture, TraceLayer};

/// The stages, outermost first.
type Stack<A> = Secured<
    Trace<
        Head<RequestBodyLimit<SetRequestId<Negotiate<Routing<Timeout<CatchPanic<Endpoints<A>>>>>>>>,
    >,
>;

/// Builds the stages for `api`.
fn stack<A: App>(api: &Arc<Api<A>>, limits: &Limits) -> Result<Stack<A>, RouteError> {
    let router = Router::new(api)?;
    let stack = ServiceBuilder::new()
        // HTML and SVG responses get their security headers
        // (`SecurityHeaders`), whichever stage made them.
        .layer_fn(Secured::new)
        // One span per request; one `served` event with the latency.
        .layer(TraceLayer)
        // `HEAD` is a `GET` without its body.
        .layer(HeadLayer)
        // Bodies past the limit are a 413 when read (and only if read).
        .layer(RequestBodyLimitLayer::new(limits.max_body_bytes))
        // Every response carries `x-request-id`: the client's, or a new one.
        .layer(RequestIdLayer::new())
        // 1. The response format from `Accept` (406); every error below
        //    becomes a problem document in it.
        .layer(NegotiateLayer::new(api.formats()))
        // 2. The route (404, 405, `OPTIONS`), with its `Cache-Control`
        //    and CORS headers on the way back.
        .layer(RouteLayer::new(router))
        // The whole request, body and handler, within the timeout (503).
        .layer(TimeoutLayer::new(limits.request_timeout))
        // A panicking handler is an opaque 500.
        .layer(CatchPanicLayer)
        // 3–5. Authorize, read the input, run the handler, render its
        //      output.
        .service(Endpoints::new(
            Arc::clone(api),
            limits.max_depth,
            limits.failed_authentications,
        ));
    Ok(stack)
}

/// A Pale API as a `tower::Service`: nest it in axum, wrap it in tower-http
/// layers, or serve it with [`Server`](crate::Server).
pub struct PaleService<A: App> {
    stack: Stack<A>,
    api: Arc<Api<A>>,
    limits: Limits,
}

impl<A: App> Clone for PaleService<A> {
    fn clone(&self) -> Self {
        Self {
            stack: self.stack.clone(),
            api: Arc::clone(&self.api),
            limits: self.limits,
        }
    }
}

impl<A: App> PaleService<A> {
    /// Routes `api` with default [`Limits`].
    pub fn new(api: Api<A>) -> Result<Self, RouteError> {
        Self::with_limits(api, Limits::default())
    }

    /// Routes `api` with `limits`.
    pub fn with_limits(api: Api<A>, limits: Limits) -> Result<Self, RouteError> {
        let api = Arc::new(api);
        Ok(Self {
            stack: stack(&api, &limits)?,
            api,
            limits,
        })
    }

    /// The API served.
    pub fn api(&self) -> &Api<A> {
        &self.api
    }

    /// The limits applied.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Adds `headers` to the HTML and SVG responses (the `/docs` page, an
    /// endpoint in an HTML format) instead of [`SecurityHeaders::default`];
    /// [`SecurityHeaders::none`] adds none.
    #[must_use]
    pub fn with_security_headers(mut self, headers: SecurityHeaders) -> Self {
        self.stack.set_headers(headers);
        self
    }

    /// The headers added to HTML and SVG responses.
    pub fn security_headers(&self) -> &SecurityHeaders {
        self.stack.headers()
    }
}

/// The response body type.
pub type ResponseBody = Full<Bytes>;

pin_project! {
    /// The future of one call: the stages' own futures, nested, with no
    /// allocation of their own (the endpoint's is boxed once).
    pub struct ResponseFuture {
        #[pin]
        inner: StackFuture,
    }
}

/// The stages' futures, outermost first.
type StackFuture = SecuredFuture<
    TraceFuture<
        HeadFuture<
            IdFuture<
                NegotiateFuture<RoutingFuture<TimeoutFuture<CatchPanicFuture<EndpointFuture>>>>,
            >,
        >,
    >,
>;

impl Future for ResponseFuture {
    type Output = Result<Response<ResponseBody>, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<Self::Output> {
        self.project().inner.poll(cx)
    }
}

impl std::fmt::Debug for ResponseFuture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponseFuture").finish_non_exhaustive()
    }
}

impl<A, B> tower::Service<Request<B>> for PaleService<A>
where
    A: App,
    B: Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    type Response = Response<ResponseBody>;
    type Error = Infallible;
    type Future = ResponseFuture;

    fn poll_ready(&mut self, cx: &mut TaskContext<'_>) -> Poll<Result<(), Infallible>> {
        tower::Service::<Request<B>>::poll_ready(&mut self.stack, cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        ResponseFuture {
            inner: self.stack.call(request),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::Method;
    use http_body_util::{BodyExt, Empty};
    use pale_core::prelude::{ApiError, Context, Endpoint, Handler, Plain};
    use tower::ServiceExt;

    /// Says hello.
    #[derive(Endpoint)]
    #[pale(GET "/hello", name = "hello", cache = "max-age=5")]
    struct Hello {}

    impl Handler<()> for Hello {
        type Output = Plain<&'static str>;
        async fn handle(self, _: &Context<()>) -> Result<Plain<&'static str>, ApiError> {
            Ok(Plain::new("greeting", "hello"))
        }
    }

    /// What the stages, in their order, make of requests no one stage
    /// answers alone: every answer has an id, problems included; `HEAD`
    /// empties problems too; a 406 is in JSON; the route's cache policy
    /// holds for its successes only.
    #[tokio::test]
    async fn the_stages_compose_in_order() {
        let api = Api::builder(())
            .base_path("/api")
            .mount::<Hello>()
            .build()
            .unwrap();
        let service = PaleService::new(api).unwrap();
        #[rustfmt::skip]
        let cases = [
            (Method::GET, "/api/hello", None, 200, "max-age=5", "\"hello\""),
            (Method::HEAD, "/api/hello", None, 200, "max-age=5", ""),
            (Method::GET, "/api/nowhere", None, 404, "no-cache", "\"status\":404"),
            (Method::HEAD, "/api/nowhere", None, 404, "no-cache", ""),
            (Method::GET, "/api/hello", Some("text/html"), 406, "no-cache", "\"status\":406"),
        ];
        for (method, uri, accept, status, cache, body) in cases {
            let mut request = http::Request::builder().method(method.clone()).uri(uri);
            if let Some(accept) = accept {
                request = request.header("accept", accept);
            }
            let request = request.body(Empty::<Bytes>::new()).unwrap();
            let response = service.clone().oneshot(request).await.unwrap();
            let what = format!("{method} {uri} {accept:?}");
            assert_eq!(response.status(), status, "{what}");
            assert!(response.headers().contains_key("x-request-id"), "{what}");
            assert_eq!(response.headers()["cache-control"], cache, "{what}");
            let bytes = response.into_body().collect().await.unwrap().to_bytes();
            let text = String::from_utf8(bytes.to_vec()).unwrap();
            assert!(
                text.contains(body) && (body.is_empty() == text.is_empty()),
                "{what}: {text}"
            );
        }
    }
}
