//! The application's own tower layers around the Pale service
//! ([`Server::layer`](crate::Server::layer)), and the stage outside them
//! that keeps the promise every Pale error makes: it is a problem document
//! in the negotiated format.
//!
//! Layers such as tower-http's `TimeoutLayer` or `RequestBodyLimitLayer`
//! answer errors of their own (an empty 408, a plain-text 413), and
//! tower's `timeout` or `load_shed` fail the call with an error, which
//! hyper can only answer by closing the connection. Outside them, this
//! stage turns both into problem documents:
//!
//! - an error status (4xx, 5xx) whose `Content-Type` is not a problem
//!   media type is answered again as a problem document with that status
//!   (its other headers, such as `Retry-After`, kept); the pipeline's own
//!   errors are problem documents already and pass untouched, as do
//!   successes;
//! - an error from a layer is a 503 when it is tower's `Elapsed` (a
//!   timeout) or `Overloaded` (load shedding), and an opaque 500 (logged)
//!   otherwise.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};

use bytes::Bytes;
use http::header::{ACCEPT, CONTENT_LENGTH, CONTENT_TYPE, HeaderValue};
use http::{Request, Response, StatusCode};
use http_body_util::{Either, Full};
use pale_core::ApiError;
use pin_project_lite::pin_project;

use crate::problem_writer::ProblemWriter;
use crate::request_id::REQUEST_ID;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The stage outside the application's layers: see the module docs.
pub(crate) struct LayerProblems<S> {
    inner: S,
    problems: Arc<ProblemWriter>,
    /// The error `poll_ready` met, answered to the next call.
    unready: Option<BoxError>,
}

impl<S: Clone> Clone for LayerProblems<S> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
            problems: Arc::clone(&self.problems),
            unready: None,
        }
    }
}

impl<S> LayerProblems<S> {
    pub(crate) fn new(inner: S, problems: ProblemWriter) -> Self {
        Self {
            inner,
            problems: Arc::new(problems),
            unready: None,
        }
    }
}

impl<S, B, R> tower::Service<Request<B>> for LayerProblems<S>
where
    S: tower::Service<Request<B>, Response = Response<R>>,
    S::Error: Into<BoxError>,
{
    type Response = Response<Either<R, Full<Bytes>>>;
    type Error = Infallible;
    type Future = LayerProblemsFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        if let Err(err) = ready!(self.inner.poll_ready(cx)) {
            self.unready = Some(err.into());
        }
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        let headers = request.headers();
        let asked = Asked {
            accept: headers.get(ACCEPT).cloned(),
            id: headers.get(REQUEST_ID).cloned(),
            problems: Arc::clone(&self.problems),
        };
        let state = match self.unready.take() {
            Some(err) => State::Failed { err: Some(err) },
            None => State::Called {
                inner: self.inner.call(request),
            },
        };
        LayerProblemsFuture { state, asked }
    }
}

/// What the answer to a failure needs from the request.
struct Asked {
    accept: Option<HeaderValue>,
    id: Option<HeaderValue>,
    problems: Arc<ProblemWriter>,
}

impl Asked {
    fn answer(&self, err: &ApiError) -> Response<Full<Bytes>> {
        self.problems
            .answer(err, self.accept.as_ref(), self.id.as_ref())
    }
}

pin_project! {
    /// The call below, or the error `poll_ready` met.
    #[project = StateProj]
    enum State<F> {
        Called { #[pin] inner: F },
        Failed { err: Option<BoxError> },
    }
}

pin_project! {
    /// Answers what the layers below answer, as problem documents where
    /// they are errors.
    pub(crate) struct LayerProblemsFuture<F> {
        #[pin]
        state: State<F>,
        asked: Asked,
    }
}

impl<F, R, E> Future for LayerProblemsFuture<F>
where
    F: Future<Output = Result<Response<R>, E>>,
    E: Into<BoxError>,
{
    type Output = Result<Response<Either<R, Full<Bytes>>>, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let outcome = match this.state.project() {
            StateProj::Called { inner } => ready!(inner.poll(cx)).map_err(Into::into),
            StateProj::Failed { err } => Err(err.take().expect("polled after completion")),
        };
        let response = match outcome {
            Ok(response) if needs_problem(&response, &this.asked.problems) => {
                reanswer(response, this.asked)
            }
            Ok(response) => response.map(Either::Left),
            Err(err) => this
                .asked
                .answer(&from_layer_error(&*err))
                .map(Either::Right),
        };
        Poll::Ready(Ok(response))
    }
}

/// Whether `response` is an error that is not a problem document: its
/// `Content-Type` is none of the API's problem media types.
fn needs_problem<R>(response: &Response<R>, problems: &ProblemWriter) -> bool {
    let status = response.status();
    (status.is_client_error() || status.is_server_error())
        && !response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| problems.is_problem_type(v))
}

/// `response` answered again as a problem document with its status, its
/// headers kept (but the body's own).
fn reanswer<R>(response: Response<R>, asked: &Asked) -> Response<Either<R, Full<Bytes>>> {
    let (parts, _body) = response.into_parts();
    let error = ApiError::new(
        parts.status,
        status_code(parts.status),
        parts.status.canonical_reason().unwrap_or("Error"),
    );
    let mut answer = asked.answer(&error);
    for (name, value) in &parts.headers {
        if name != CONTENT_TYPE && name != CONTENT_LENGTH && !answer.headers().contains_key(name) {
            answer.headers_mut().append(name.clone(), value.clone());
        }
    }
    answer.map(Either::Right)
}

/// The machine code of a status a layer answered: its reason phrase in
/// `snake_case` (`request_timeout`, `payload_too_large`).
fn status_code(status: StatusCode) -> String {
    status
        .canonical_reason()
        .unwrap_or("error")
        .to_ascii_lowercase()
        .replace([' ', '-'], "_")
        .replace('\'', "")
}

/// The error a layer's failure is answered with.
fn from_layer_error(err: &(dyn std::error::Error + Send + Sync + 'static)) -> ApiError {
    if err.is::<tower::timeout::error::Elapsed>() {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "timeout",
            "Request timed out",
        )
        .with_detail("the request took longer than the server allows")
    } else if err.is::<tower::load_shed::error::Overloaded>() {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "overloaded", "Server busy")
            .with_detail("the server is at capacity: try again shortly")
            .with_header(http::header::RETRY_AFTER, HeaderValue::from_static("1"))
    } else {
        ApiError::internal(format!("a layer around the service failed: {err}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_codes_are_snake_case_reason_phrases() {
        let cases = [
            (StatusCode::REQUEST_TIMEOUT, "request_timeout"),
            (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
            (StatusCode::IM_A_TEAPOT, "im_a_teapot"),
            (StatusCode::SERVICE_UNAVAILABLE, "service_unavailable"),
            (
                StatusCode::NON_AUTHORITATIVE_INFORMATION,
                "non_authoritative_information",
            ),
        ];
        for (status, code) in cases {
            assert_eq!(status_code(status), code, "{status}");
        }
    }

    #[test]
    fn only_errors_that_are_not_problems_are_answered_again() {
        let response = |status: u16, content_type: Option<&str>| {
            let mut builder = Response::builder().status(status);
            if let Some(ct) = content_type {
                builder = builder.header(CONTENT_TYPE, ct);
            }
            builder.body(()).unwrap()
        };
        // An API whose formats are JSON and one that answers problems in
        // its own media type.
        let formats = [
            pale_core::format::Wire::Json,
            pale_core::format::Wire::Custom(Arc::new(crate::test_formats::Packed)),
        ];
        let problems = ProblemWriter::new(&formats);
        let cases = [
            (200, Some("text/plain"), false),
            (304, None, false),
            (408, None, true),
            (413, Some("text/plain; charset=utf-8"), true),
            (404, Some("application/problem+json"), false),
            (406, Some("application/problem+xml"), false),
            (503, Some("application/json"), true),
            (400, Some("application/vnd.msgpack"), false),
            (400, Some("application/vnd.other"), true),
        ];
        for (status, content_type, expected) in cases {
            assert_eq!(
                needs_problem(&response(status, content_type), &problems),
                expected,
                "{status} {content_type:?}"
            );
        }
    }
}
