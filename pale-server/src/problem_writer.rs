//! Problem documents for errors that arise outside the pipeline: a
//! request the server refuses before routing it (`host`), an error from a
//! layer the application put around the service (`layers`). Negotiated
//! and identified as the pipeline's own are, so a client cannot tell who
//! answered.

use bytes::Bytes;
use http::header::{CACHE_CONTROL, HeaderValue};
use http_body_util::Full;
use pale_core::ApiError;
use pale_core::format::Wire;

use crate::negotiate;
use crate::problem::response;
use crate::request_id::{REQUEST_ID, RequestIds};

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

    /// Whether `content_type` is one the API's problem documents have (a
    /// format may use its own media type for them, as MessagePack does).
    pub(crate) fn is_problem_type(&self, content_type: &str) -> bool {
        let essence = content_type.split(';').next().unwrap_or("").trim();
        essence.starts_with("application/problem+")
            || self
                .formats
                .iter()
                .any(|wire| wire.problem_media_type().eq_ignore_ascii_case(essence))
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
