//! The last stage: the target the router chose, served. For an endpoint,
//! in order: authenticate the caller ([`App::authenticate`]) and authorize
//! the call ([`Context::authorize`]); count it against the endpoint's
//! rate limit (`rate_limit`); read the input from the request's
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

use crate::auth_throttle::AuthThrottle;
use crate::body;
use crate::docs::{Doc, DocCache};
use crate::rate_limit::RateLimiter;
use crate::request_id::RequestId;
use crate::router::{Routed, Target, strip_base};

/// The future of a target: boxed, as the app's `authenticate` and the
/// route's call cannot be named.
pub(crate) type EndpointFuture = BoxFuture<'static, Result<pale_core::Response, ApiError>>;

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
    throttle: AuthThrottle,
    rate_limiter: RateLimiter,
}

impl<A: App> Endpoints<A> {
    /// Serves `api`, decoding bodies nested at most `max_depth` deep, and
    /// allowing each client address `failed_auth` failed authentications
    /// (`count` per `window`; see `auth_throttle`).
    pub(crate) fn new(
        api: Arc<Api<A>>,
        max_depth: usize,
        failed_auth: Option<(u32, std::time::Duration)>,
    ) -> Self {
        Self {
            shared: Arc::new(Shared {
                docs: DocCache::default(),
                max_depth,
                throttle: AuthThrottle::new(failed_auth),
                rate_limiter: RateLimiter::new(api.app().rate_limit_store()),
                api,
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
    type Future = EndpointFuture;

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
                Target::Endpoint(index) => {
                    let (id, wire) = (routed.id, routed.wire);
                    shared.endpoint(index, parts, body, id, wire).await
                }
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
        id: RequestId,
        wire: Wire,
    ) -> Result<pale_core::Response, ApiError>
    where
        B: Body,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let api = &self.api;
        let route = &api.routes()[index];
        let endpoint = route.endpoint;

        // 3. Who is calling, and may they call this?
        let user = self.authenticate(&parts).await?;
        let ctx = Context::new(Arc::clone(api.app())).with_user(user);
        ctx.authorize(endpoint.audience)?;
        let counted = self
            .rate_limiter
            .count(endpoint, ctx.audience(), &parts)
            .await?;

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
            .with_request_id(id.as_str())
            .with_base_path(Arc::clone(api.base_path()))
            .with_request(parts);
        let mut response = route.call(Arc::new(ctx), input, wire).await?;
        if let Some(counted) = counted {
            counted.stamp(&mut response);
        }
        Ok(response)
    }

    /// The app's [`App::authenticate`], unless the client's address has
    /// failed too often lately (429); a 401 counts against it.
    async fn authenticate(&self, parts: &Parts) -> Result<Option<A::User>, ApiError> {
        let client = self.throttle.client(parts);
        if let Some(client) = client {
            self.throttle.check(client)?;
        }
        let result = self.api.app().authenticate(parts).await;
        if let (Some(client), Err(error)) = (client, &result)
            && error.status() == http::StatusCode::UNAUTHORIZED
        {
            self.throttle.failed(client);
        }
        result
    }

    /// Serves `doc` for the caller's own audience, or a lower one.
    async fn document(&self, doc: Doc, parts: Parts) -> Result<pale_core::Response, ApiError> {
        let api = &self.api;
        let user = self.authenticate(&parts).await?;
        let ceiling = Context::new(Arc::clone(api.app()))
            .with_user(user)
            .ceiling();
        self.docs.respond(api, doc, parts.uri.query(), ceiling)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::Request;
    use http_body_util::Empty;
    use pale_core::prelude::{Audience, Endpoint, Plain, SignedInHandler};
    use tower::ServiceExt;

    /// Callers are named by their bearer token; `admin` is an admin.
    struct Members;

    impl App for Members {
        type User = String;

        async fn authenticate(&self, request: &Parts) -> Result<Option<String>, ApiError> {
            let token = request
                .headers
                .get("authorization")
                .and_then(|v| v.to_str().ok());
            Ok(token.map(|t| t.trim_start_matches("Bearer ").to_owned()))
        }

        fn audience(user: &String) -> Audience {
            if user == "admin" {
                Audience::Admin
            } else {
                Audience::User
            }
        }
    }

    /// Greets a member by the name in the path.
    #[derive(Endpoint)]
    #[pale(GET "/hello/{name}", name = "hello", audience = User)]
    struct Hello {
        /// Who.
        name: String,
    }

    impl SignedInHandler<Members> for Hello {
        type Output = Plain<String>;
        async fn handle(
            self,
            caller: &String,
            ctx: &Context<Members>,
        ) -> Result<Plain<String>, ApiError> {
            let id = ctx.request_id().unwrap_or_default();
            Ok(Plain::new(
                "greeting",
                format!("hello {}, from {caller} ({id})", self.name),
            ))
        }
    }

    async fn serve(target: Target, uri: &str, token: Option<&str>) -> Result<String, u16> {
        let api = Api::builder(Members)
            .base_path("/api")
            .mount::<Hello>()
            .build()
            .unwrap();
        let endpoints = Endpoints::new(Arc::new(api), 8, None);
        let mut request = Request::get(uri);
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        let request = request.body(Empty::<bytes::Bytes>::new()).unwrap();
        let id = RequestId::new(&http::HeaderValue::from_static("req-1"));
        let routed = Routed {
            request,
            id,
            wire: Wire::Json,
            target,
        };
        match endpoints.oneshot(routed).await {
            Ok(response) => Ok(String::from_utf8(response.into_body()).unwrap()),
            Err(error) => Err(error.status().as_u16()),
        }
    }

    /// A target, a URI, a token, and the body or status.
    type Case = (
        Target,
        &'static str,
        Option<&'static str>,
        Result<&'static str, u16>,
    );

    #[tokio::test]
    async fn targets_are_served_for_whoever_may_call_them() {
        let hello = Target::Endpoint(0);
        let docs = Target::Docs(Doc::OpenApi);
        #[rustfmt::skip]
        let cases: [Case; 5] = [
            (hello, "/api/hello/a%20b", Some("ann"), Ok(r#""hello a b, from ann (req-1)""#)),
            (hello, "/api/hello/ann", None, Err(401)),
            (hello, "/api/hello/%ff", Some("ann"), Err(400)),
            (docs, "/api/openapi.json?audience=admin", Some("ann"), Err(403)),
            (docs, "/api/openapi.json?audience=admin", Some("admin"), Ok("")),
        ];
        for (target, uri, token, expected) in cases {
            let got = serve(target, uri, token).await;
            match expected {
                Ok("") => assert!(got.unwrap().starts_with("{\"openapi\""), "{uri}"),
                expected => assert_eq!(got.as_deref().map_err(|e| *e), expected, "{uri} {token:?}"),
            }
        }
    }
}
