//! The pipeline of ARCHITECTURE.md as a `tower::Service`: one straight road
//! from request to response, each stage returning a typed error that
//! becomes a problem document.

use std::convert::Infallible;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context as TaskContext, Poll};
use std::time::Instant;

use bytes::Bytes;
use futures_util::FutureExt;
use http::header::{self, HeaderName, HeaderValue};
use http::{Request, Response, StatusCode};
use http_body::Body;
use http_body_util::{BodyExt, Full, Limited};
use pale_core::argument::{CompactString, Input, Raw};
use pale_core::format::{DecodeLimits, Wire, decode_form};
use pale_core::select::Selection;
use pale_core::{Api, ApiError, App, Audience, Context, Method};
use tracing::Instrument;

use crate::docs::{Doc, DocCache};
use crate::limits::Limits;
use crate::negotiate::{self, BodyKind};
use crate::request_id::RequestIds;
use crate::router::{Found, RouteError, Router};
use crate::{cors, problem};

/// The header carrying the request id, generated when a client sends none.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// A Pale API as a `tower::Service`: nest it in axum, wrap it in tower-http
/// layers, or serve it with [`Server`](crate::Server).
pub struct PaleService<A: App> {
    shared: Arc<Shared<A>>,
}

impl<A: App> Clone for PaleService<A> {
    fn clone(&self) -> Self {
        Self {
            shared: Arc::clone(&self.shared),
        }
    }
}

struct Shared<A: App> {
    api: Api<A>,
    router: Router,
    limits: Limits,
    request_ids: RequestIds,
    docs: DocCache,
}

impl<A: App> PaleService<A> {
    /// Routes `api` with default [`Limits`].
    pub fn new(api: Api<A>) -> Result<Self, RouteError> {
        Self::with_limits(api, Limits::default())
    }

    /// Routes `api` with `limits`.
    pub fn with_limits(api: Api<A>, limits: Limits) -> Result<Self, RouteError> {
        let router = Router::new(&api)?;
        Ok(Self {
            shared: Arc::new(Shared {
                api,
                router,
                limits,
                request_ids: RequestIds::new(),
                docs: DocCache::default(),
            }),
        })
    }

    /// The API served.
    pub fn api(&self) -> &Api<A> {
        &self.shared.api
    }

    /// The limits applied.
    pub fn limits(&self) -> &Limits {
        &self.shared.limits
    }
}

/// The response body type.
pub type ResponseBody = Full<Bytes>;

/// The future of one call.
pub type ResponseFuture =
    Pin<Box<dyn Future<Output = Result<Response<ResponseBody>, Infallible>> + Send>>;

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

    fn poll_ready(&mut self, _: &mut TaskContext<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        let shared = Arc::clone(&self.shared);
        Box::pin(async move { Ok(shared.serve(request).await) })
    }
}

/// What the pipeline knows when it writes the response.
struct Outcome {
    wire: Wire,
    cors: pale_core::Cors,
    cache: &'static str,
    route: &'static str,
}

impl<A: App> Shared<A> {
    async fn serve<B>(self: Arc<Self>, request: Request<B>) -> Response<ResponseBody>
    where
        B: Body + Send + 'static,
        B::Data: Send,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let started = Instant::now();
        let id_header = self.request_ids.take(request.headers().get(&REQUEST_ID));
        // Ours and the client's (checked by `take`) are both ASCII.
        let request_id = id_header.to_str().unwrap_or_default();
        let method = request.method().clone();
        let origin = request.headers().get(header::ORIGIN).cloned();
        let is_head = method == http::Method::HEAD;
        let span = tracing::info_span!(
            "request",
            %method,
            path = %request.uri().path(),
            id = %request_id,
            route = tracing::field::Empty,
            status = tracing::field::Empty,
        );

        let mut outcome = Outcome {
            wire: Wire::Json,
            cors: pale_core::Cors::Off,
            cache: "no-cache",
            route: "",
        };
        let timeout = self.limits.request_timeout;
        let result = tokio::time::timeout(
            timeout,
            self.pipeline(request, request_id, &mut outcome)
                .instrument(span.clone()),
        )
        .await
        .unwrap_or_else(|_| {
            Err(ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "timeout",
                "Request timed out",
            )
            .with_detail(format!(
                "the request took longer than {} s",
                timeout.as_secs_f32()
            )))
        });

        let mut response = match result {
            Ok(response) => {
                let (parts, body) = response.into_parts();
                let mut response = Response::from_parts(parts, Full::new(Bytes::from(body)));
                response
                    .headers_mut()
                    .insert(header::CACHE_CONTROL, cache_value(outcome.cache));
                response
            }
            Err(err) => {
                let mut response = problem::response(&err, &outcome.wire, request_id);
                response
                    .headers_mut()
                    .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
                response
            }
        };
        cors::apply(outcome.cors, origin.as_ref(), response.headers_mut());
        response.headers_mut().insert(REQUEST_ID, id_header);
        if is_head {
            let length = response.body().size_hint().exact().unwrap_or(0);
            response
                .headers_mut()
                .insert(header::CONTENT_LENGTH, HeaderValue::from(length));
            *response.body_mut() = Full::new(Bytes::new());
        }
        let status = response.status().as_u16();
        span.record("route", outcome.route);
        span.record("status", status);
        tracing::info!(
            parent: &span,
            latency_us = started.elapsed().as_micros() as u64,
            "served"
        );
        response
    }

    async fn pipeline<B>(
        &self,
        request: Request<B>,
        request_id: &str,
        outcome: &mut Outcome,
    ) -> Result<pale_core::Response, ApiError>
    where
        B: Body + Send + 'static,
        B::Data: Send,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let api = &self.api;
        let formats = api.formats();

        // Negotiate first, so that every later error is in the client's format.
        let accept = request
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok());
        let Some(format_index) = negotiate::choose(accept, formats) else {
            let types: Vec<&str> = formats.iter().map(Wire::media_type).collect();
            return Err(ApiError::not_acceptable(&types));
        };
        outcome.wire = formats[format_index].clone();

        // Route.
        let path = request.uri().path();
        let Some(path) = strip_base(path, api.base_path()) else {
            return Err(ApiError::not_found("resource"));
        };
        if api.serves_docs()
            && matches!(*request.method(), http::Method::GET | http::Method::HEAD)
            && let Some(doc) = Doc::at(path)
        {
            outcome.route = "docs";
            let (parts, _) = request.into_parts();
            let user = api.app().authenticate(&parts).await?;
            let ceiling = match &user {
                None => Audience::Public,
                Some(user) => A::audience(user).max(Audience::Owner),
            };
            return self.docs.respond(api, doc, parts.uri.query(), ceiling);
        }
        let (route_index, params) = match self.router.find(request.method(), path) {
            Found::Route { route, params } => (route, params),
            Found::Options(entry) => {
                let headers = cors::options(api, entry, request.headers());
                let mut response = http::Response::new(Vec::new());
                *response.status_mut() = StatusCode::NO_CONTENT;
                *response.headers_mut() = headers;
                return Ok(response);
            }
            Found::MethodNotAllowed(entry) => {
                return Err(ApiError::method_not_allowed(&entry.allow));
            }
            Found::Missing => return Err(ApiError::not_found("resource")),
        };
        let route = &api.routes()[route_index];
        let endpoint = route.endpoint;
        outcome.route = endpoint.name;
        outcome.cors = endpoint.cors;
        outcome.cache = endpoint.cache;

        let (parts, body) = request.into_parts();

        // Who is calling, and may they call this?
        let user = api.app().authenticate(&parts).await?;
        let audience = user.as_ref().map_or(Audience::Public, A::audience);
        if endpoint.audience > Audience::Public && user.is_none() {
            return Err(ApiError::unauthorized("Bearer"));
        }
        let ceiling = match user {
            None => Audience::Public,
            Some(_) => audience.max(Audience::Owner),
        };
        if ceiling < endpoint.audience {
            return Err(ApiError::forbidden());
        }

        // Input: path, query, body, headers.
        let mut input = Input::new();
        for (name, value) in endpoint.path_params().zip(params) {
            input.path.insert(name, Raw::Text(decode_segment(&value)?));
        }
        let mut selection = None;
        if let Some(query) = parts.uri.query() {
            input.query = decode_form(query.as_bytes())?;
            if let Some(fields) = input.query.remove("fields") {
                selection = Some(parse_fields(&fields)?);
            }
        }
        if endpoint.method.has_body()
            && let Some(body) = self
                .read_body(&parts, body, endpoint.method, formats)
                .await?
        {
            input.body = Some(body);
        }
        for argument in endpoint.arguments {
            if let pale_core::argument::Source::Header(name) = argument.source
                && let Some(value) = parts.headers.get(name).and_then(|v| v.to_str().ok())
            {
                input
                    .headers
                    .insert(name.to_ascii_lowercase(), Raw::from(value));
            }
        }

        let ctx = Context::new(Arc::clone(api.app()))
            .with_user(user)
            .with_selection(selection)
            .with_request_id(request_id)
            .with_base_path(Arc::clone(api.base_path()))
            .with_request(parts);
        let call = route.call(Arc::new(ctx), input, outcome.wire.clone());
        match AssertUnwindSafe(call).catch_unwind().await {
            Ok(result) => result,
            Err(panic) => {
                let message = panic
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "a handler panicked".to_owned());
                Err(ApiError::internal(format!(
                    "handler `{}` panicked: {message}",
                    endpoint.name
                )))
            }
        }
    }

    /// Reads and decodes the body, within the size limit.
    async fn read_body<B>(
        &self,
        parts: &http::request::Parts,
        body: B,
        method: Method,
        formats: &[Wire],
    ) -> Result<Option<Raw>, ApiError>
    where
        B: Body + Send + 'static,
        B::Data: Send,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let limit = self.limits.max_body_bytes;
        let declared = parts
            .headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|n| n > limit as u64) {
            return Err(ApiError::payload_too_large(limit));
        }
        let bytes = Limited::new(body, limit).collect().await.map_err(|err| {
            if err
                .downcast_ref::<http_body_util::LengthLimitError>()
                .is_some()
            {
                ApiError::payload_too_large(limit)
            } else {
                ApiError::bad_request("the request body could not be read")
                    .with_code("malformed_body")
            }
        })?;
        let bytes = bytes.to_bytes();
        if bytes.is_empty() {
            return Ok(None);
        }
        let unsupported = || {
            let mut accepted = negotiate::accepted(formats);
            // `Accept-Post` and `Accept-Patch` say what those methods take;
            // HTTP has no such header for PUT, whose 415 lists the types
            // in its body only.
            let header = match method {
                Method::Patch => {
                    accepted = vec!["application/merge-patch+json"];
                    Some("accept-patch")
                }
                Method::Post => Some("accept-post"),
                _ => None,
            };
            let error = ApiError::unsupported_media_type(&accepted);
            match header {
                Some(header) => {
                    let value = HeaderValue::from_str(&accepted.join(", "))
                        .unwrap_or(HeaderValue::from_static(""));
                    error.with_header(HeaderName::from_static(header), value)
                }
                None => error,
            }
        };
        let content_type = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let limits = DecodeLimits::with_max_depth(self.limits.max_depth);
        let kind = negotiate::body_kind(content_type, formats).ok_or_else(unsupported)?;
        let raw = match (method, kind) {
            // A PATCH is a merge patch (RFC 7396), and only that.
            (Method::Patch, BodyKind::MergePatch) => Wire::Json.decode(&bytes, &limits)?,
            (Method::Patch, _) | (_, BodyKind::MergePatch) => return Err(unsupported()),
            (_, BodyKind::Form) => Raw::Map(decode_form(&bytes)?),
            (_, BodyKind::Format(index)) => formats[index].decode(&bytes, &limits)?,
        };
        Ok(Some(raw))
    }
}

fn strip_base<'p>(path: &'p str, base: &str) -> Option<&'p str> {
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

fn decode_segment(segment: &str) -> Result<CompactString, ApiError> {
    // Borrows a segment without escapes; short ones then stay inline.
    let decoded = percent_encoding::percent_decode_str(segment).decode_utf8();
    decoded
        .map(|text| CompactString::from(text.as_ref()))
        .map_err(|_| {
            ApiError::bad_request("a path segment is not valid UTF-8 once percent-decoded")
                .with_code("malformed_path")
        })
}

fn parse_fields(raw: &Raw) -> Result<Selection, ApiError> {
    let Raw::Text(text) = raw else {
        return Err(ApiError::bad_request("give `fields` once").with_code("invalid_selection"));
    };
    Selection::parse(text).map_err(|err| {
        ApiError::bad_request(format!("`fields` is malformed: {err}"))
            .with_code("invalid_selection")
    })
}

fn cache_value(cache: &'static str) -> HeaderValue {
    // Every endpoint's value was checked when the router was built.
    HeaderValue::from_static(cache)
}
