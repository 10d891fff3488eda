//! Declarative CORS: each endpoint's policy, never a reflected origin.
//!
//! The Python Pale echoed any `Origin` with credentials allowed, which lets
//! any site act as the user. Here an origin is echoed only when the
//! endpoint's allow-list names it (`Vary: Origin` then tells caches the
//! answer depends on it), `*` is sent only for endpoints declared
//! `cors = "*"`, and credentials are never allowed.

use http::header::{self, HeaderMap, HeaderName, HeaderValue};
use pale_core::{Cors, Method};

/// The CORS headers of a response to a request from `origin`: `Vary:
/// Origin` when the answer depends on it, and the allowed origin.
pub(crate) fn headers(
    policy: Cors,
    origin: Option<&HeaderValue>,
) -> impl Iterator<Item = (HeaderName, HeaderValue)> {
    let vary = matches!(policy, Cors::Origins(_))
        .then(|| (header::VARY, HeaderValue::from_static("Origin")));
    let origin = origin.and_then(|o| o.to_str().ok());
    let allowed = policy
        .allow_origin(origin)
        .and_then(|allowed| HeaderValue::from_str(allowed).ok())
        .map(|value| (header::ACCESS_CONTROL_ALLOW_ORIGIN, value));
    vary.into_iter().chain(allowed)
}

/// Adds the CORS headers of a normal response.
pub(crate) fn apply(policy: Cors, origin: Option<&HeaderValue>, headers: &mut HeaderMap) {
    if policy == Cors::Off {
        return;
    }
    for (name, value) in self::headers(policy, origin) {
        if name == header::VARY {
            headers.append(name, value);
        } else {
            headers.insert(name, value);
        }
    }
}

/// The CORS policy of each method answered on one path.
pub(crate) type Policies<'a> = &'a [(Method, Cors)];

/// Answers `OPTIONS` on a path whose `Allow` header is `allow`: a CORS
/// preflight when it is one, by the `policies` of its methods. Returns
/// the headers of a 204.
pub(crate) fn options(allow: &str, policies: Policies<'_>, request: &HeaderMap) -> HeaderMap {
    let mut headers = HeaderMap::new();
    if let Ok(allow) = HeaderValue::from_str(allow) {
        headers.insert(header::ALLOW, allow);
    }
    let origin = request.get(header::ORIGIN).and_then(|o| o.to_str().ok());
    let requested = request
        .get(header::ACCESS_CONTROL_REQUEST_METHOD)
        .and_then(|m| m.to_str().ok());
    if let (Some(origin), Some(requested)) = (origin, requested) {
        preflight(policies, origin, requested, request, &mut headers);
    }
    headers
}

/// Adds the answer to a preflight from `origin` for a `requested` method.
fn preflight(
    policies: Policies<'_>,
    origin: &str,
    requested: &str,
    request: &HeaderMap,
    headers: &mut HeaderMap,
) {
    let policies = || policies.iter().copied();
    // The methods on this path whose endpoints allow this origin.
    let allowed: Vec<&str> = policies()
        .filter(|(_, cors)| cors.allow_origin(Some(origin)).is_some())
        .map(|(method, _)| method.as_str())
        .collect();
    if policies().any(|(_, cors)| matches!(cors, Cors::Origins(_))) {
        headers.append(header::VARY, HeaderValue::from_static("Origin"));
    }
    let requested_ok = allowed
        .iter()
        .any(|m| m.eq_ignore_ascii_case(requested) || (requested == "HEAD" && *m == "GET"));
    if !requested_ok {
        return;
    }
    let policy = policies()
        .map(|(_, cors)| cors)
        .find(|c| c.allow_origin(Some(origin)).is_some())
        .unwrap_or(Cors::Off);
    if let Some(value) = policy
        .allow_origin(Some(origin))
        .and_then(|o| HeaderValue::from_str(o).ok())
    {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, value);
    }
    if let Ok(methods) = HeaderValue::from_str(&allowed.join(", ")) {
        headers.insert(header::ACCESS_CONTROL_ALLOW_METHODS, methods);
    }
    if let Some(requested_headers) = request.get(header::ACCESS_CONTROL_REQUEST_HEADERS) {
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            requested_headers.clone(),
        );
    }
    headers.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("600"),
    );
}
