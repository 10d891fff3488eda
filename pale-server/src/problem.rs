//! Errors to responses: every error status is a problem document in the
//! negotiated format, and 5xx details go to the log only.

use bytes::Bytes;
use http::header::{CACHE_CONTROL, CONTENT_TYPE, HeaderValue};
use http_body_util::Full;
use pale_core::format::Wire;
use pale_core::{ApiError, reply};

use crate::negotiate;
use crate::request_id::{REQUEST_ID, RequestIds};

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

/// Answers errors that arise outside the pipeline (a request the server
/// refuses before routing it, an error from a layer the application put
/// around the service): negotiated from the request's `Accept` among the
/// API's formats, with the request's id (the client's, when sensible, or
/// a new one), as the pipeline answers its own.
pub(crate) struct ProblemWriter {
    formats: Vec<Wire>,
    ids: RequestIds,
}

impl ProblemWriter {
    /// Answers in one of `formats` (the first when the client accepts none
    /// of them, as for every error); JSON when there are none.
    pub(crate) fn new(formats: &[Wire]) -> Self {
        let formats = if formats.is_empty() {
            vec![Wire::Json]
        } else {
            formats.to_vec()
        };
        Self {
            formats,
            ids: RequestIds::new(),
        }
    }

    /// `err` for a request whose `Accept` is `accept` and whose
    /// `x-request-id` is `id`, with `x-request-id` and `Cache-Control:
    /// no-cache` set.
    pub(crate) fn answer(
        &self,
        err: &ApiError,
        accept: Option<&HeaderValue>,
        id: Option<&HeaderValue>,
    ) -> http::Response<Full<Bytes>> {
        let accept = accept.and_then(|v| v.to_str().ok());
        let wire = negotiate::choose(accept, &self.formats).unwrap_or(0);
        let id = self.ids.take(id);
        let mut response = response(err, &self.formats[wire], id.to_str().unwrap_or(""));
        let headers = response.headers_mut();
        headers.insert(REQUEST_ID, id);
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        response
    }
}
