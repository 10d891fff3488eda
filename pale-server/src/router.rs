//! The routing stage, with `matchit`: a path finds its template, then the
//! method its target, so a known path with the wrong method is a 405 with
//! `Allow`, never a 404. `OPTIONS` is answered here (`Allow`, and for a
//! CORS preflight the endpoints' policies), `HEAD` goes to the `GET`
//! endpoint. The API's documentation, when it serves it, is routed like
//! any endpoint: `GET /openapi.json`, `GET /docs`.
//!
//! The stage records the route on the request's span, passes the
//! [`Target`] down with the request ([`Routed`]), and puts the endpoint's
//! `Cache-Control` and CORS headers on what comes back (CORS on its errors
//! too: a browser must be allowed to read a 422).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};

use http::header::{CACHE_CONTROL, HeaderValue, ORIGIN};
use http::{Request, StatusCode};
use pale_core::format::Wire;
use pale_core::{Api, ApiError, App, Cors, EndpointMeta, Method, PathTemplate};
use pin_project_lite::pin_project;

use crate::docs::Doc;
use crate::negotiate::Negotiated;
use crate::request_id::RequestId;
use crate::{cors, trace};

/// Why an API's routes could not be put in the router.
#[derive(Debug)]
pub struct RouteError(String);

impl std::fmt::Display for RouteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RouteError {}

/// What answers a request: a route of the API, by index, or a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    Endpoint(usize),
    Docs(Doc),
}

/// A request on its way to its target: what the stages below the routing
/// stage are called with.
pub(crate) struct Routed<B> {
    pub(crate) request: Request<B>,
    pub(crate) id: RequestId,
    pub(crate) wire: Wire,
    pub(crate) target: Target,
}

/// The API's routes, by path template and method.
pub(crate) struct Router {
    base: Arc<str>,
    paths: matchit::Router<usize>,
    entries: Vec<PathEntry>,
    endpoints: Vec<&'static EndpointMeta>,
}

/// The targets of one path template, by method.
pub(crate) struct PathEntry {
    template: PathTemplate,
    methods: Vec<(Method, Target)>,
    /// The CORS policy of each method, for `OPTIONS`.
    policies: Vec<(Method, Cors)>,
    /// The `Allow` header for this path.
    allow: String,
}

pub(crate) enum Found<'r> {
    Target(Target),
    Options(&'r PathEntry),
    MethodNotAllowed(&'r PathEntry),
    Missing,
}

impl Router {
    pub(crate) fn new<A: App>(api: &Api<A>) -> Result<Self, RouteError> {
        let mut router = Self {
            base: Arc::clone(api.base_path()),
            paths: matchit::Router::new(),
            entries: Vec::new(),
            endpoints: api.routes().iter().map(|route| route.endpoint).collect(),
        };
        if api.serves_docs() {
            for (path, doc) in Doc::ROUTES {
                let template = PathTemplate::parse(path).expect("the docs' paths are templates");
                router.add(template, Method::Get, Target::Docs(doc), "docs")?;
            }
        }
        for (index, route) in api.routes().iter().enumerate() {
            let meta = route.endpoint;
            if HeaderValue::from_str(meta.cache).is_err() {
                return Err(RouteError(format!(
                    "route `{}`: `{}` is not a valid Cache-Control value",
                    meta.name, meta.cache
                )));
            }
            let template = route.template().clone();
            router.add(template, meta.method, Target::Endpoint(index), meta.name)?;
        }
        for entry in &mut router.entries {
            let mut allow: Vec<&str> = entry.methods.iter().map(|(m, _)| m.as_str()).collect();
            if entry.methods.iter().any(|(m, _)| *m == Method::Get) {
                allow.push("HEAD");
            }
            allow.push("OPTIONS");
            entry.allow = allow.join(", ");
        }
        Ok(router)
    }

    /// Adds `target` on `method` and `template`. Templates equal but for
    /// parameter names share one entry (the API checked that no two of its
    /// routes answer one method there; the documentation may take one).
    fn add(
        &mut self,
        template: PathTemplate,
        method: Method,
        target: Target,
        name: &str,
    ) -> Result<(), RouteError> {
        let at = match self
            .entries
            .iter()
            .position(|e| e.template.same_shape(&template))
        {
            Some(at) => at,
            None => {
                let path = template.as_str();
                self.paths
                    .insert(path, self.entries.len())
                    .map_err(|e| RouteError(format!("route `{name}` ({path}): {e}")))?;
                self.entries.push(PathEntry {
                    template,
                    methods: Vec::new(),
                    policies: Vec::new(),
                    allow: String::new(),
                });
                self.entries.len() - 1
            }
        };
        let entry = &mut self.entries[at];
        if entry.methods.iter().any(|(m, _)| *m == method) {
            return Err(RouteError(format!(
                "route `{name}` ({} {}): the API's documentation is served there",
                method.as_str(),
                entry.template
            )));
        }
        entry.methods.push((method, target));
        let cors = match target {
            Target::Endpoint(index) => self.endpoints[index].cors,
            Target::Docs(_) => Cors::Off,
        };
        entry.policies.push((method, cors));
        Ok(())
    }

    /// Finds what answers `method` on `path`, a path under the base path
    /// (a `HEAD` is answered by the `GET` endpoint).
    pub(crate) fn find(&self, method: &http::Method, path: &str) -> Found<'_> {
        let Some(path) = strip_base(path, &self.base) else {
            return Found::Missing;
        };
        let Ok(matched) = self.paths.at(path) else {
            return Found::Missing;
        };
        let entry = &self.entries[*matched.value];
        if method == http::Method::OPTIONS {
            return Found::Options(entry);
        }
        let wanted = match *method {
            http::Method::GET | http::Method::HEAD => Method::Get,
            http::Method::POST => Method::Post,
            http::Method::PUT => Method::Put,
            http::Method::PATCH => Method::Patch,
            http::Method::DELETE => Method::Delete,
            _ => return Found::MethodNotAllowed(entry),
        };
        match entry.methods.iter().find(|(m, _)| *m == wanted) {
            Some((_, target)) => Found::Target(*target),
            None => Found::MethodNotAllowed(entry),
        }
    }

    /// The route name, path template, CORS policy and `Cache-Control` of
    /// `target`.
    pub(crate) fn describe(
        &self,
        target: Target,
    ) -> (&'static str, &'static str, Cors, &'static str) {
        match target {
            Target::Endpoint(index) => {
                let meta = self.endpoints[index];
                (meta.name, meta.path, meta.cors, meta.cache)
            }
            Target::Docs(doc) => ("docs", doc.path(), Cors::Off, "no-cache"),
        }
    }
}

/// `path` without the API's base path, when it is under it.
pub(crate) fn strip_base<'p>(path: &'p str, base: &str) -> Option<&'p str> {
    if base.is_empty() {
        return Some(path);
    }
    let rest = path.strip_prefix(base)?;
    match rest {
        "" => Some("/"),
        rest if rest.starts_with('/') => Some(rest),
        _ => None,
    }
}

/// Routes requests: see the module docs.
#[derive(Clone)]
pub(crate) struct RouteLayer {
    router: Arc<Router>,
}

impl RouteLayer {
    /// Routes by `router`.
    pub(crate) fn new(router: Router) -> Self {
        Self {
            router: Arc::new(router),
        }
    }
}

impl<S> tower::Layer<S> for RouteLayer {
    type Service = Routing<S>;

    fn layer(&self, inner: S) -> Routing<S> {
        Routing {
            inner,
            router: Arc::clone(&self.router),
        }
    }
}

/// The routing stage around `S`, which serves the targets.
#[derive(Clone)]
pub(crate) struct Routing<S> {
    inner: S,
    router: Arc<Router>,
}

impl<S, B> tower::Service<Negotiated<B>> for Routing<S>
where
    S: tower::Service<Routed<B>, Response = pale_core::Response, Error = ApiError>,
{
    type Response = pale_core::Response;
    type Error = ApiError;
    type Future = RoutingFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), ApiError>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, Negotiated { request, id, wire }: Negotiated<B>) -> Self::Future {
        let answered = |result| RoutingFuture::Answered {
            result: Some(result),
        };
        let target = match self.router.find(request.method(), request.uri().path()) {
            Found::Target(target) => target,
            Found::Options(entry) => {
                let headers = cors::options(&entry.allow, &entry.policies, request.headers());
                let mut response = http::Response::new(Vec::new());
                *response.status_mut() = StatusCode::NO_CONTENT;
                *response.headers_mut() = headers;
                response
                    .headers_mut()
                    .insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
                return answered(Ok(response));
            }
            Found::MethodNotAllowed(entry) => {
                return answered(Err(ApiError::method_not_allowed(&entry.allow)));
            }
            Found::Missing => return answered(Err(ApiError::not_found("resource"))),
        };
        let (name, template, cors, cache) = self.router.describe(target);
        trace::record_route(name, template);
        let origin = match cors {
            Cors::Off => None,
            _ => request.headers().get(ORIGIN).cloned(),
        };
        RoutingFuture::Called {
            inner: self.inner.call(Routed {
                request,
                id,
                wire,
                target,
            }),
            cors,
            origin,
            cache,
        }
    }
}

pin_project! {
    /// The target's answer with its headers, or the router's own.
    #[project = Projected]
    pub(crate) enum RoutingFuture<F> {
        Called {
            #[pin]
            inner: F,
            cors: Cors,
            origin: Option<HeaderValue>,
            cache: &'static str,
        },
        Answered { result: Option<Result<pale_core::Response, ApiError>> },
    }
}

impl<F> Future for RoutingFuture<F>
where
    F: Future<Output = Result<pale_core::Response, ApiError>>,
{
    type Output = Result<pale_core::Response, ApiError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let (inner, cors, origin, cache) = match self.project() {
            Projected::Called {
                inner,
                cors,
                origin,
                cache,
            } => (inner, *cors, origin.as_ref(), *cache),
            Projected::Answered { result } => {
                return Poll::Ready(result.take().expect("polled after completion"));
            }
        };
        Poll::Ready(match ready!(inner.poll(cx)) {
            Ok(mut response) => {
                // Every endpoint's value was checked when the router was built.
                let headers = response.headers_mut();
                headers.insert(CACHE_CONTROL, HeaderValue::from_static(cache));
                cors::apply(cors, origin, headers);
                Ok(response)
            }
            Err(error) => Err(cors::headers(cors, origin)
                .fold(error, |error, (name, value)| error.with_header(name, value))),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pale_core::prelude::{Endpoint, Handler, NoContent};
    use tower::{Layer, ServiceExt};

    type Ctx = pale_core::Context<()>;

    /// Lists albums.
    #[derive(Endpoint)]
    #[pale(GET "/albums", name = "albums", cache = "max-age=60")]
    struct ListAlbums {}

    /// Adds an album.
    #[derive(Endpoint)]
    #[pale(POST "/albums", name = "add_album", cors("https://a.example"))]
    struct AddAlbum {}

    impl Handler<()> for ListAlbums {
        type Output = NoContent;
        async fn handle(self, _: &Ctx) -> Result<NoContent, ApiError> {
            Ok(NoContent)
        }
    }

    impl Handler<()> for AddAlbum {
        type Output = NoContent;
        async fn handle(self, _: &Ctx) -> Result<NoContent, ApiError> {
            Ok(NoContent)
        }
    }

    /// The routing stage around a service that answers with the target it
    /// was given, or fails (with a 409) for a `POST`.
    fn stage() -> impl tower::Service<
        Negotiated<()>,
        Response = pale_core::Response,
        Error = ApiError,
        Future: Send,
    > + Clone {
        let api = Api::builder(())
            .base_path("/api")
            .serve_docs()
            .mount::<ListAlbums>()
            .mount::<AddAlbum>()
            .build()
            .unwrap();
        let inner = tower::service_fn(
            |Routed {
                 request, target, ..
             }: Routed<()>| async move {
                let target = Some(target);
                match request.method() {
                    &http::Method::POST => Err(ApiError::conflict("taken")),
                    _ => Ok(http::Response::new(format!("{target:?}").into_bytes())),
                }
            },
        );
        RouteLayer::new(Router::new(&api).unwrap()).layer(inner)
    }

    /// A method, a URI, the status and body or the error status, headers.
    type Case = (
        &'static str,
        &'static str,
        Result<(u16, &'static str), u16>,
        &'static [(&'static str, &'static str)],
    );

    #[tokio::test]
    async fn requests_find_their_target_or_the_routers_answer() {
        #[rustfmt::skip]
        let cases: &[Case] = &[
            ("GET", "/api/albums", Ok((200, "Some(Endpoint(0))")), &[("cache-control", "max-age=60")]),
            ("HEAD", "/api/albums", Ok((200, "Some(Endpoint(0))")), &[]),
            ("GET", "/api/openapi.json", Ok((200, "Some(Docs(OpenApi))")), &[("cache-control", "no-cache")]),
            ("GET", "/api/docs/", Ok((200, "Some(Docs(Html))")), &[]),
            ("OPTIONS", "/api/albums", Ok((204, "")), &[("allow", "GET, POST, HEAD, OPTIONS"), ("cache-control", "no-cache")]),
            ("OPTIONS", "/api/docs", Ok((204, "")), &[("allow", "GET, HEAD, OPTIONS")]),
            ("DELETE", "/api/albums", Err(405), &[("allow", "GET, POST, HEAD, OPTIONS")]),
            ("POST", "/api/docs", Err(405), &[]),
            ("GET", "/api/nowhere", Err(404), &[]),
            ("GET", "/albums", Err(404), &[]),
            ("GET", "/apialbums", Err(404), &[]),
        ];
        for (method, uri, expected, headers) in cases {
            let request = Request::builder()
                .method(*method)
                .uri(*uri)
                .body(())
                .unwrap();
            let id = RequestId::new(&HeaderValue::from_static("req-1"));
            let request = Negotiated {
                request,
                id,
                wire: Wire::Json,
            };
            let (status, answered) = match stage().oneshot(request).await {
                Ok(response) => {
                    let status = response.status().as_u16();
                    let body = String::from_utf8(response.body().clone()).unwrap();
                    assert_eq!(Ok((status, body.as_str())), *expected, "{method} {uri}");
                    (status, response.headers().clone())
                }
                Err(error) => {
                    assert_eq!(Err(error.status().as_u16()), *expected, "{method} {uri}");
                    (error.status().as_u16(), error.headers().clone())
                }
            };
            for (name, value) in *headers {
                assert_eq!(
                    answered.get(*name).map(|v| v.to_str().unwrap()),
                    Some(*value),
                    "{method} {uri}: {status}"
                );
            }
        }
    }

    #[tokio::test]
    async fn an_endpoints_cors_headers_are_on_its_errors_too() {
        for (origin, allowed) in [("https://a.example", true), ("https://b.example", false)] {
            let request = Request::post("/api/albums")
                .header(ORIGIN, origin)
                .body(())
                .unwrap();
            let id = RequestId::new(&HeaderValue::from_static("req-1"));
            let request = Negotiated {
                request,
                id,
                wire: Wire::Json,
            };
            let error = stage().oneshot(request).await.unwrap_err();
            assert_eq!(error.status(), 409);
            let headers = error.headers();
            assert_eq!(
                headers.get("vary").map(|v| v.to_str().unwrap()),
                Some("Origin")
            );
            let allow = headers
                .get("access-control-allow-origin")
                .map(|v| v.to_str().unwrap());
            assert_eq!(allow, allowed.then_some(origin));
        }
    }

    #[test]
    fn an_endpoint_where_the_docs_are_is_an_error() {
        /// Shadows the docs.
        #[derive(Endpoint)]
        #[pale(GET "/docs", name = "my_docs")]
        struct MyDocs {}

        impl Handler<()> for MyDocs {
            type Output = NoContent;
            async fn handle(self, _: &Ctx) -> Result<NoContent, ApiError> {
                Ok(NoContent)
            }
        }

        let api = Api::builder(()).mount::<MyDocs>();
        assert!(
            Router::new(&api.build().unwrap()).is_ok(),
            "without serve_docs"
        );
        let api = Api::builder(())
            .serve_docs()
            .mount::<MyDocs>()
            .build()
            .unwrap();
        let err = Router::new(&api).err().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("route `my_docs` (GET /docs): the API's documentation is served there")
        );
    }

    #[test]
    fn strip_base_keeps_what_is_under_the_base() {
        #[rustfmt::skip]
        let cases = [
            ("/api/albums", "/api", Some("/albums")),
            ("/api", "/api", Some("/")),
            ("/api/", "/api", Some("/")),
            ("/apis/x", "/api", None),
            ("/other", "/api", None),
            ("/albums", "", Some("/albums")),
        ];
        for (path, base, expected) in cases {
            assert_eq!(strip_base(path, base), expected, "{path} under {base:?}");
        }
    }
}
