//! `Host` on HTTP/1.1: a request with none, or with more than one, is a
//! 400 (RFC 9112 §3.2: "A server MUST respond with a 400 (Bad Request)
//! status code to any HTTP/1.1 request message that lacks a Host header
//! field and to any that contains more than one Host header field line").
//!
//! The rule is about the message on the wire, so it is the server's, not
//! the pipeline's: a [`PaleService`](crate::PaleService) called in a test
//! with a hand-built request (no `Host`, as `http::Request::builder()`
//! makes them) is not refused, and a service of the application's own,
//! served by [`Server::serve_service`](crate::Server::serve_service), is
//! protected too. The answer is a problem document like every other
//! error: in the format negotiated from `Accept` among the API's formats
//! (JSON for a service of the application's own), with a request id.
//! HTTP/1.0 needs no `Host`; HTTP/2 names the authority in its
//! `:authority` pseudo-header.

use bytes::Bytes;
use http::header::{ACCEPT, CONNECTION, HOST, HeaderValue};
use http::{Request, Response, Version};
use http_body_util::Full;
use pale_core::ApiError;
use pale_core::format::Wire;

use crate::problem::ProblemWriter;
use crate::request_id::REQUEST_ID;

/// Whether `request` breaks the rule: an HTTP/1.1 request with no `Host`,
/// or two.
pub(crate) fn is_invalid<B>(request: &Request<B>) -> bool {
    if request.version() != Version::HTTP_11 {
        return false;
    }
    let mut hosts = request.headers().get_all(HOST).iter();
    hosts.next().is_none() || hosts.next().is_some()
}

/// Answers requests that break the rule.
pub(crate) struct HostRefusal {
    problems: ProblemWriter,
}

impl HostRefusal {
    /// Answers in one of `formats` (the first when the client accepts
    /// none of them, as for every error); JSON when there are none.
    pub(crate) fn new(formats: &[Wire]) -> Self {
        Self {
            problems: ProblemWriter::new(formats),
        }
    }

    /// The 400 for `request`. The connection is closed after it: a client
    /// that does not say which host it asks has nothing more to ask.
    pub(crate) fn answer<B>(&self, request: &Request<B>) -> Response<Full<Bytes>> {
        let headers = request.headers();
        let detail = "an HTTP/1.1 request needs exactly one Host header";
        let error = ApiError::bad_request(detail);
        let mut response =
            self.problems
                .answer(&error, headers.get(ACCEPT), headers.get(REQUEST_ID));
        let headers = response.headers_mut();
        headers.insert(CONNECTION, HeaderValue::from_static("close"));
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_host_on_http_1_1_and_none_needed_elsewhere() {
        let request = |version, hosts: &[&str]| {
            let mut builder = Request::builder().version(version).uri("/x");
            for host in hosts {
                builder = builder.header(HOST, *host);
            }
            builder.body(()).unwrap()
        };
        #[rustfmt::skip]
        let cases = [
            (Version::HTTP_11, &[][..], true),
            (Version::HTTP_11, &["a.example"][..], false),
            (Version::HTTP_11, &["a.example", "a.example"][..], true),
            (Version::HTTP_11, &["a.example", "b.example"][..], true),
            (Version::HTTP_10, &[][..], false),
            (Version::HTTP_2, &[][..], false),
        ];
        for (version, hosts, invalid) in cases {
            assert_eq!(
                is_invalid(&request(version, hosts)),
                invalid,
                "{version:?} {hosts:?}"
            );
        }
    }
}
