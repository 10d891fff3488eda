//! The last stage: the target the router chose, served. For an endpoint,
//! in order: authenticate the caller ([`App::authenticate`]) and authorize
//! the call ([`Context::authorize`]); read the input from the request's
//! parts ([`Route::read_input`](pale_core::Route::read_input)) and then
//! the body; run the endpoint (cast, handler, render) in the negotiated
//! format. For a document, authenticate, and answer the caller's own
//! audience's.
//!
//! Everything past HTTP here is core's: this stage only orders the steps
//! and reads the body.

use std::sync::Arc;

use futures_util::future::BoxFuture;
use http::request::Parts;
use http_body::Body;
use pale_core::format::Wire;
use pale_core::{Api, ApiError, App, Context};

use crate::body;
use crate::docs::{Doc, DocCache};
use crate::request_id::RequestId;
use crate::router::{Routed, Target, strip_base};

/// Serves the router's targets for one API.
pub(crate) struct Endpoints<A: App> {
    shared: Arc<Shared<A>>,
}

impl<A: App> Clone for Endpoints<A> {
    fn clone(&self) -> Self {
        Self {
            shared: Arc::clone(&self.shared),
        }
    }
}

struct Shared<A: App> {
    api: Arc<Api<A>>,
    docs: DocCache,
    max_depth: usize,
}

impl<A: App> Endpoints<A> {
    /// Serves `api`, decoding bodies nested at most `max_depth` deep.
    pub(crate) fn new(api: Arc<Api<A>>, max_depth: usize) -> Self {
        Self {
            shared: Arc::new(Shared {
                api,
                docs: DocCache::default(),
                max_depth,
            }),
        }
    }
}

impl<A, B> tower::Service<Routed<B>> for Endpoints<A>
where
    A: App,
    B: Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    type Response = pale_core::Response;
    type Error = ApiError;
    type Future = BoxFuture<'static, Result<pale_core::Response, ApiError>>;

    fn poll_ready(
        &mut self,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), ApiError>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn call(&mut self, routed: Routed<B>) -> Self::Future {
        let shared = Arc::clone(&self.shared);
        let (parts, body) = routed.request.into_parts();
        Box::pin(async move {
            match routed.target {
                Target::Endpoint(index) => shared.endpoint(index, parts, body, routed.wire).await,
                Target::Docs(doc) => shared.document(doc, parts).await,
            }
        })
    }
}

impl<A: App> Shared<A> {
    /// Serves the route at `index`.
    async fn endpoint<B>(
        &self,
        index: usize,
        parts: Parts,
        body: B,
        wire: Wire,
    ) -> Result<pale_core::Response, ApiError>
    where
        B: Body,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let api = &self.api;
        let route = &api.routes()[index];
        let endpoint = route.endpoint;
        let id = parts.extensions.get::<RequestId>().copied();

        // 3. Who is calling, and may they call this?
        let user = api.app().authenticate(&parts).await?;
        let ctx = Context::new(Arc::clone(api.app())).with_user(user);
        ctx.authorize(endpoint.audience)?;

        // 4. The input: path, query and headers, then the body.
        let path = strip_base(parts.uri.path(), api.base_path()).unwrap_or("/");
        let (mut input, selection) = route.read_input(path, &parts)?;
        if endpoint.method.has_body() {
            let formats = api.formats();
            input.body = body::read(&parts, body, endpoint.method, formats, self.max_depth).await?;
        }

        // 5. Cast the arguments, run the handler, render its output.
        let ctx = ctx
            .with_selection(selection)
            .with_request_id(id.as_ref().map_or("", RequestId::as_str))
            .with_base_path(Arc::clone(api.base_path()))
            .with_request(parts);
        route.call(Arc::new(ctx), input, wire).await
    }

    /// Serves `doc` for the caller's own audience, or a lower one.
    async fn document(&self, doc: Doc, parts: Parts) -> Result<pale_core::Response, ApiError> {
        let api = &self.api;
        let user = api.app().authenticate(&parts).await?;
        let ceiling = Context::new(Arc::clone(api.app()))
            .with_user(user)
            .ceiling();
        self.docs.respond(api, doc, parts.uri.query(), ceiling)
    }
}
