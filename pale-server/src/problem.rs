//! Errors to responses: every error status is a problem document in the
//! negotiated format, and 5xx details go to the log only.

use bytes::Bytes;
use http::header::{CONTENT_TYPE, HeaderValue};
use http_body_util::Full;
use pale_core::format::Wire;
use pale_core::{ApiError, reply};

/// Renders `err` as RFC 9457 problem details in `wire`.
pub(crate) fn response(
    err: &ApiError,
    wire: &Wire,
    request_id: &str,
) -> http::Response<Full<Bytes>> {
    if err.status().is_server_error() {
        tracing::error!(
            request_id,
            status = err.status().as_u16(),
            code = err.code(),
            message = err.log_message().unwrap_or(""),
            "request failed"
        );
    } else {
        tracing::debug!(
            request_id,
            status = err.status().as_u16(),
            code = err.code(),
            "request rejected"
        );
    }
    let problem = err.problem(Some(request_id));
    let (body, media_type) = match reply::encode(wire, None, "problem", &problem) {
        Ok(body) => (body, wire.problem_media_type()),
        // A problem document always encodes in JSON; a custom format that
        // cannot encode one must not turn an error into a worse one.
        Err(_) => (
            reply::encode(&Wire::Json, None, "problem", &problem).unwrap_or_default(),
            Wire::Json.problem_media_type(),
        ),
    };
    let mut response = http::Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = err.status();
    let headers = response.headers_mut();
    for (name, value) in err.headers() {
        headers.append(name.clone(), value.clone());
    }
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(media_type));
    response
}
