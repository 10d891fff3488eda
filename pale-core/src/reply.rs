//! What a handler returns, and how it becomes a response.
//!
//! A handler's output is a resource (or a list, an `Option`, a [`Page`]),
//! rendered for the caller with the client's `fields=` or the defaults; or
//! one of the kinds here: [`Fields`] (a resource with the handler's own
//! default selection), [`Created`] (201 + `Location`), [`NoContent`] (204),
//! [`Redirect`], or [`Plain`] (any `Serialize` value, not a resource).
//! The server adds `Cache-Control`, CORS and request-id headers.

use http::header::{CONTENT_TYPE, LOCATION};
use http::{HeaderValue, StatusCode};
use serde::Serialize;

use crate::context::{App, Context};
use crate::endpoint::EndpointMeta;
use crate::error::ApiError;
use crate::format::Wire;
use crate::resource::{Nested, Page, Plan, PlanRef, Render, Rendered, Resource, ResourceMeta};

/// A response with its body encoded.
pub type Response = http::Response<Vec<u8>>;

/// What a successful response holds, for the docs.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct OutputMeta {
    /// The success status.
    pub status: u16,
    /// The resource rendered, if any.
    pub resource: Option<&'static ResourceMeta>,
    /// Whether it is a list of that resource.
    pub many: bool,
    /// Whether it is a [`Page`] of it.
    pub page: bool,
}

impl OutputMeta {
    const fn of(status: u16, resource: Option<&'static ResourceMeta>) -> Self {
        Self {
            status,
            resource,
            many: false,
            page: false,
        }
    }
}

/// A handler's output. Implemented for resources and the kinds in this
/// module; implement it for your own kinds of response.
#[diagnostic::on_unimplemented(
    message = "a handler for `{A}` cannot return `{Self}`",
    label = "not a reply for `{A}`",
    note = "return a resource (a type deriving `Resource`), or a `Vec`, `Option` or `Page` of resources; `Plain::new(\"root\", value)` sends any `Serialize` value as it is; `NoContent`, `Created` and `Redirect` are the other replies",
    note = "a resource declared with `#[pale(context = App)]` renders only for that app"
)]
pub trait Reply<A: App>: Send {
    /// What the response holds, for the docs.
    const OUTPUT: OutputMeta;

    /// Encodes the response for `ctx` in `wire`.
    fn into_response(
        self,
        ctx: &Context<A>,
        endpoint: &'static EndpointMeta,
        wire: &Wire,
    ) -> Result<Response, ApiError>;
}

impl<A: App, T> Reply<A> for T
where
    T: Nested + Send,
    T::Item: Render<A>,
{
    const OUTPUT: OutputMeta = OutputMeta {
        many: T::MANY,
        ..OutputMeta::of(200, Some(<T::Item as Resource>::META))
    };

    fn into_response(
        self,
        ctx: &Context<A>,
        endpoint: &'static EndpointMeta,
        wire: &Wire,
    ) -> Result<Response, ApiError> {
        let base = Plan::defaults(T::Item::META);
        let body = render_body(&self, ctx, &base, endpoint, wire)?;
        let mut response = respond(StatusCode::OK, wire, body);
        add_etag(&mut response, self.etag::<A>());
        Ok(response)
    }
}

/// Sets `ETag` when the object has one.
fn add_etag(response: &mut Response, etag: Option<String>) {
    if let Some(value) = etag.and_then(|tag| HeaderValue::try_from(tag).ok()) {
        response.headers_mut().insert(http::header::ETAG, value);
    }
}

/// Renders `value` with the client's selection (or `base`), wrapped in the
/// endpoint's envelope.
pub fn render_body<A: App, T>(
    value: &T,
    ctx: &Context<A>,
    base: &Plan,
    endpoint: &EndpointMeta,
    wire: &Wire,
) -> Result<Vec<u8>, ApiError>
where
    T: Nested,
    T::Item: Render<A>,
{
    let resolved;
    let plan = match ctx.selection() {
        Some(selection) => {
            resolved = Plan::resolve(selection, T::Item::META, ctx.ceiling())?;
            resolved.as_ref()
        }
        None => base.as_ref(),
    };
    let rendered = Rendered::new(value, ctx, plan);
    let root = if T::MANY { "list" } else { T::Item::META.name };
    encode(wire, endpoint.envelope, root, &rendered)
}

/// Encodes `value`, in `envelope` if there is one: `{"key": value}` in
/// JSON, `<key>…</key>` as the root element in XML.
pub fn encode<T: Serialize + ?Sized>(
    wire: &Wire,
    envelope: Option<&'static str>,
    root: &str,
    value: &T,
) -> Result<Vec<u8>, ApiError> {
    let mut out = Vec::with_capacity(2048);
    match (envelope, wire) {
        (Some(key), Wire::Xml) => wire.encode(key, value, &mut out)?,
        (Some(key), _) => wire.encode(key, &Envelope { key, value }, &mut out)?,
        (None, _) => wire.encode(root, value, &mut out)?,
    }
    Ok(out)
}

struct Envelope<'a, T: ?Sized> {
    key: &'static str,
    value: &'a T,
}

impl<T: Serialize + ?Sized> Serialize for Envelope<'_, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = serializer.serialize_struct("envelope", 1)?;
        out.serialize_field(self.key, self.value)?;
        out.end()
    }
}

fn respond(status: StatusCode, wire: &Wire, body: Vec<u8>) -> Response {
    let mut response = http::Response::new(body);
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(wire.media_type()));
    response
}

/// A resource rendered with the handler's own default selection; the
/// client's `fields=` still wins when given.
///
/// ```
/// # use pale_core::prelude::*;
/// # #[derive(Resource)]
/// # #[pale(default_fields(year))]
/// # struct Time { year: i32, month: u8 }
/// let all = Fields::all(Time { year: 2024, month: 5 });
/// let more = Fields::defaults_and(Time { year: 2024, month: 5 }, &["month"]);
/// # let _ = (all, more);
/// ```
pub struct Fields<T> {
    value: T,
    plan: Plan,
}

impl<T: Nested> Fields<T> {
    /// Every field (that the viewer may see).
    pub fn all(value: T) -> Self {
        Self {
            value,
            plan: Plan::all(T::Item::META),
        }
    }

    /// The default fields and the named ones.
    pub fn defaults_and(value: T, names: &[&str]) -> Self {
        Self {
            value,
            plan: Plan::defaults_and(T::Item::META, names),
        }
    }

    /// An explicit plan.
    pub fn with_plan(value: T, plan: Plan) -> Self {
        Self { value, plan }
    }
}

impl<A: App, T> Reply<A> for Fields<T>
where
    T: Nested + Send,
    T::Item: Render<A>,
{
    const OUTPUT: OutputMeta = <T as Reply<A>>::OUTPUT;

    fn into_response(
        self,
        ctx: &Context<A>,
        endpoint: &'static EndpointMeta,
        wire: &Wire,
    ) -> Result<Response, ApiError> {
        let body = render_body(&self.value, ctx, &self.plan, endpoint, wire)?;
        let mut response = respond(StatusCode::OK, wire, body);
        add_etag(&mut response, self.value.etag::<A>());
        Ok(response)
    }
}

/// 201 Created: the new resource, and where it lives (`Location`).
pub struct Created<T> {
    location: String,
    value: T,
}

impl<T> Created<T> {
    /// `value`, created at `path` (a route path such as
    /// `GetAlbum::path(id)`; the API's base path is prefixed).
    pub fn at(path: String, value: T) -> Self {
        Self {
            location: path,
            value,
        }
    }
}

impl<A: App, T> Reply<A> for Created<T>
where
    T: Nested + Send,
    T::Item: Render<A>,
{
    const OUTPUT: OutputMeta = OutputMeta {
        status: 201,
        ..<T as Reply<A>>::OUTPUT
    };

    fn into_response(
        self,
        ctx: &Context<A>,
        endpoint: &'static EndpointMeta,
        wire: &Wire,
    ) -> Result<Response, ApiError> {
        let base = Plan::defaults(T::Item::META);
        let body = render_body(&self.value, ctx, &base, endpoint, wire)?;
        let mut response = respond(StatusCode::CREATED, wire, body);
        add_etag(&mut response, self.value.etag::<A>());
        let location = HeaderValue::try_from(ctx.link(&self.location))
            .map_err(|_| ApiError::internal("a Location header was not a valid header value"))?;
        response.headers_mut().insert(LOCATION, location);
        Ok(response)
    }
}

/// 204 No Content: no body, no content type.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoContent;

impl<A: App> Reply<A> for NoContent {
    const OUTPUT: OutputMeta = OutputMeta::of(204, None);

    fn into_response(
        self,
        _: &Context<A>,
        _: &'static EndpointMeta,
        _: &Wire,
    ) -> Result<Response, ApiError> {
        let mut response = http::Response::new(Vec::new());
        *response.status_mut() = StatusCode::NO_CONTENT;
        Ok(response)
    }
}

/// A redirect (303 See Other by default) to a path on this API or an
/// absolute URL.
#[derive(Clone, Debug)]
pub struct Redirect {
    status: StatusCode,
    location: String,
}

impl Redirect {
    /// 303 See Other to a route path (the base path is prefixed).
    pub fn see_other(path: String) -> Self {
        Self {
            status: StatusCode::SEE_OTHER,
            location: path,
        }
    }

    /// 307 Temporary Redirect to a route path (method and body kept).
    pub fn temporary(path: String) -> Self {
        Self {
            status: StatusCode::TEMPORARY_REDIRECT,
            location: path,
        }
    }

    /// 308 Permanent Redirect to a route path.
    pub fn permanent(path: String) -> Self {
        Self {
            status: StatusCode::PERMANENT_REDIRECT,
            location: path,
        }
    }
}

impl<A: App> Reply<A> for Redirect {
    const OUTPUT: OutputMeta = OutputMeta::of(303, None);

    fn into_response(
        self,
        ctx: &Context<A>,
        _: &'static EndpointMeta,
        _: &Wire,
    ) -> Result<Response, ApiError> {
        let mut response = http::Response::new(Vec::new());
        *response.status_mut() = self.status;
        let location = HeaderValue::try_from(ctx.link(&self.location))
            .map_err(|_| ApiError::internal("a redirect target was not a valid header value"))?;
        response.headers_mut().insert(LOCATION, location);
        Ok(response)
    }
}

/// Any `Serialize` value, sent as it is: no field selection, no audiences.
/// For documents with no fixed shape; prefer a resource when there is one.
#[derive(Clone, Debug)]
pub struct Plain<T> {
    root: &'static str,
    value: T,
}

impl<T> Plain<T> {
    /// `value`, with `root` as its XML root element.
    pub fn new(root: &'static str, value: T) -> Self {
        Self { root, value }
    }
}

impl<A: App, T: Serialize + Send> Reply<A> for Plain<T> {
    const OUTPUT: OutputMeta = OutputMeta::of(200, None);

    fn into_response(
        self,
        ctx: &Context<A>,
        endpoint: &'static EndpointMeta,
        wire: &Wire,
    ) -> Result<Response, ApiError> {
        // A plain value has no declared fields to choose from: say so
        // rather than silently ignore the client's `fields=`.
        if ctx.selection().is_some() {
            return Err(
                ApiError::bad_request("this endpoint's output has no fields to select")
                    .with_code("invalid_selection"),
            );
        }
        let body = encode(wire, endpoint.envelope, self.root, &self.value)?;
        Ok(respond(StatusCode::OK, wire, body))
    }
}

impl<A: App, T> Reply<A> for Page<T>
where
    T: Resource + Render<A> + Send,
{
    const OUTPUT: OutputMeta = OutputMeta {
        many: true,
        page: true,
        ..OutputMeta::of(200, Some(T::META))
    };

    fn into_response(
        self,
        ctx: &Context<A>,
        endpoint: &'static EndpointMeta,
        wire: &Wire,
    ) -> Result<Response, ApiError> {
        let resolved;
        let plan = match ctx.selection() {
            Some(selection) => {
                resolved = Plan::resolve(selection, T::META, ctx.ceiling())?;
                resolved.as_ref()
            }
            None => PlanRef::of(T::META.defaults),
        };
        let page = RenderedPage {
            page: &self,
            ctx,
            plan,
        };
        let body = encode(wire, endpoint.envelope, "page", &page)?;
        Ok(respond(StatusCode::OK, wire, body))
    }
}

struct RenderedPage<'a, T, A: App> {
    page: &'a Page<T>,
    ctx: &'a Context<A>,
    plan: PlanRef<'a>,
}

impl<T: Render<A>, A: App> Serialize for RenderedPage<'_, T, A> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.page.render(self.ctx, self.plan, serializer)
    }
}

/// Another reply with extra response headers (what the Python Pale's
/// after-response hooks were used for).
///
/// ```
/// use pale_core::{NoContent, WithHeaders};
/// use http::{HeaderName, HeaderValue};
///
/// let reply = WithHeaders::new(NoContent)
///     .header(HeaderName::from_static("after-response"), HeaderValue::from_static("OK"));
/// # let _ = reply;
/// ```
pub struct WithHeaders<T> {
    inner: T,
    headers: http::HeaderMap,
}

impl<T> WithHeaders<T> {
    /// `inner` with no extra headers yet.
    pub fn new(inner: T) -> Self {
        Self {
            inner,
            headers: http::HeaderMap::new(),
        }
    }

    /// Adds a header.
    #[must_use]
    pub fn header(mut self, name: http::HeaderName, value: HeaderValue) -> Self {
        self.headers.append(name, value);
        self
    }
}

impl<A: App, T: Reply<A>> Reply<A> for WithHeaders<T> {
    const OUTPUT: OutputMeta = T::OUTPUT;

    fn into_response(
        self,
        ctx: &Context<A>,
        endpoint: &'static EndpointMeta,
        wire: &Wire,
    ) -> Result<Response, ApiError> {
        let mut response = self.inner.into_response(ctx, endpoint, wire)?;
        for (name, value) in &self.headers {
            response.headers_mut().append(name.clone(), value.clone());
        }
        Ok(response)
    }
}
