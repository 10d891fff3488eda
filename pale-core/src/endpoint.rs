//! Endpoints: a struct whose fields are its arguments (ARCHITECTURE.md,
//! decision 5).
//!
//! `#[derive(Endpoint)]` writes the `const` [`EndpointMeta`] (method, path,
//! route name, cache policy, CORS, envelope, minimum audience, rate
//! limits, arguments),
//! the argument casting, and a typed path builder; the
//! [`Handler`](crate::Handler) impl the user writes is the logic.

use crate::argument::{ArgumentMeta, Arguments};
use crate::audience::Audience;

/// An HTTP method an endpoint can declare.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET` (also answers `HEAD`).
    Get,
    /// `POST`.
    Post,
    /// `PUT`.
    Put,
    /// `PATCH`.
    Patch,
    /// `DELETE`.
    Delete,
}

impl Method {
    /// The method's name, upper-case.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Patch => "PATCH",
            Self::Delete => "DELETE",
        }
    }

    /// The `http` crate's method.
    pub fn to_http(self) -> http::Method {
        match self {
            Self::Get => http::Method::GET,
            Self::Post => http::Method::POST,
            Self::Put => http::Method::PUT,
            Self::Patch => http::Method::PATCH,
            Self::Delete => http::Method::DELETE,
        }
    }

    /// Whether requests with this method carry a body to read arguments from.
    pub const fn has_body(self) -> bool {
        matches!(self, Self::Post | Self::Put | Self::Patch)
    }
}

/// Which cross-origin callers may use an endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cors {
    /// No CORS headers: same-origin only (the default).
    Off,
    /// Any origin, without credentials (`Access-Control-Allow-Origin: *`).
    Any,
    /// These origins exactly (scheme, host and port), echoed one at a time.
    Origins(&'static [&'static str]),
}

impl Cors {
    /// The `Access-Control-Allow-Origin` value for a request from `origin`,
    /// or `None` when it is not allowed. An origin is echoed only when it is
    /// on the allow-list: never reflected blindly.
    pub fn allow_origin(self, origin: Option<&str>) -> Option<&str> {
        match self {
            Self::Off => None,
            Self::Any => Some("*"),
            Self::Origins(list) => origin.filter(|o| list.contains(o)),
        }
    }
}

/// An endpoint, described. Derived; read by the server and the docs.
#[derive(Clone, Copy, Debug)]
// Not `#[non_exhaustive]`: the derives build it with struct update syntax
// from `new`, so fields can still be added without breaking them.
pub struct EndpointMeta {
    /// The route name (unique in an `Api`; the OpenAPI `operationId`).
    pub name: &'static str,
    /// The method.
    pub method: Method,
    /// The path template, with `{param}` segments.
    pub path: &'static str,
    /// The doc comment's first paragraph.
    pub summary: &'static str,
    /// The rest of the doc comment.
    pub description: &'static str,
    /// The `Cache-Control` header of successful responses.
    pub cache: &'static str,
    /// Cross-origin policy.
    pub cors: Cors,
    /// The key successful responses are wrapped in (`{"album": …}`).
    pub envelope: Option<&'static str>,
    /// The least audience that may call it: an anonymous caller below it
    /// gets 401, an authenticated one 403.
    pub audience: Audience,
    /// The arguments.
    pub arguments: &'static [ArgumentMeta],
    /// Whether unknown arguments are rejected.
    pub deny_unknown: bool,
    /// Documentation tags.
    pub tags: &'static [&'static str],
    /// Error statuses the handler answers itself (`errors(409, 412)`), on
    /// top of those the pipeline produces (400, 401, 403, 404, 406, 413,
    /// 415, 422, 500): the docs list every one, so a client (or a fuzzer)
    /// meets no status it was not told about.
    pub errors: &'static [u16],
    /// The resource a `from = document` body is written into, for the
    /// docs' request schema (`writes = TrackInput`); `None`: the output's
    /// resource, as for a `POST` that creates what it returns.
    pub writes: Option<&'static crate::resource::ResourceMeta>,
    /// How often each audience may call it (`rate_limit(public = "60/min")`;
    /// see [`rate`](crate::rate)); empty: unlimited.
    pub rate_limits: &'static [crate::rate::RateLimit],
}

impl EndpointMeta {
    /// An endpoint with defaults for everything but method, path and name.
    pub const fn new(method: Method, path: &'static str, name: &'static str) -> Self {
        Self {
            name,
            method,
            path,
            summary: "",
            description: "",
            cache: "no-cache",
            cors: Cors::Off,
            envelope: None,
            audience: Audience::Public,
            arguments: &[],
            deny_unknown: false,
            tags: &[],
            errors: &[],
            writes: None,
            rate_limits: &[],
        }
    }

    /// The names of the path parameters, in order (a built
    /// [`Api`](crate::Api) has each route's template parsed:
    /// [`Route::template`](crate::Route::template)).
    pub fn path_params(&self) -> impl Iterator<Item = &'static str> {
        pale_path::segments(self.path).filter_map(|segment| match segment {
            Ok(pale_path::Segment::Param(name)) => Some(name),
            _ => None,
        })
    }
}

/// An endpoint's static side. Derived with `#[derive(Endpoint)]`.
pub trait Endpoint: Arguments + Send + 'static {
    /// The description.
    const META: &'static EndpointMeta;
}
