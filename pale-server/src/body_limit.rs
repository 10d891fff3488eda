//! The request body limit ([`Limits::max_body_bytes`]): a body declared
//! (`Content-Length`) or found (chunked, while it is read) to be longer is
//! a 413 problem document.
//!
//! Unlike tower-http's `RequestBodyLimit`, which answers 413 as soon as the
//! declared length is too long, this stage only wraps the body: the limit
//! is met when, and if, the body is read. A request that is refused for
//! another reason (its route does not exist, its caller may not call it)
//! is refused for that reason, whatever its length, and a body nobody
//! reads costs nothing.
//!
//! [`Limits::max_body_bytes`]: crate::Limits::max_body_bytes

use std::pin::Pin;
use std::task::{Context, Poll};

use http::Request;
use http::header::CONTENT_LENGTH;
use http_body::{Body, Frame, SizeHint};
use http_body_util::{LengthLimitError, Limited};
use pale_core::ApiError;
use pin_project_lite::pin_project;

/// An error a body may yield.
type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Limits request bodies to a number of bytes.
#[derive(Clone, Copy)]
pub(crate) struct RequestBodyLimitLayer {
    limit: usize,
}

impl RequestBodyLimitLayer {
    /// Bodies of at most `limit` bytes.
    pub(crate) fn new(limit: usize) -> Self {
        Self { limit }
    }
}

impl<S> tower::Layer<S> for RequestBodyLimitLayer {
    type Service = RequestBodyLimit<S>;

    fn layer(&self, inner: S) -> RequestBodyLimit<S> {
        RequestBodyLimit {
            inner,
            limit: self.limit,
        }
    }
}

/// The body-limit stage around `S`.
#[derive(Clone)]
pub(crate) struct RequestBodyLimit<S> {
    inner: S,
    limit: usize,
}

impl<S, B> tower::Service<Request<B>> for RequestBodyLimit<S>
where
    S: tower::Service<Request<LimitedBody<B>>>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        let limit = self.limit;
        let declared_too_long = request
            .headers()
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok())
            .is_some_and(|n| n > limit as u64);
        self.inner.call(request.map(|body| LimitedBody {
            inner: Limited::new(body, limit),
            limit,
            declared_too_long,
        }))
    }
}

/// A body was longer than the limit.
#[derive(Clone, Copy, Debug)]
pub(crate) struct BodyTooLong {
    limit: usize,
}

impl std::fmt::Display for BodyTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the request body is longer than {} bytes", self.limit)
    }
}

impl std::error::Error for BodyTooLong {}

impl From<BodyTooLong> for ApiError {
    fn from(too_long: BodyTooLong) -> Self {
        Self::payload_too_large(too_long.limit)
    }
}

pin_project! {
    /// A body that yields [`BodyTooLong`] once it is known to be too long.
    pub(crate) struct LimitedBody<B> {
        #[pin]
        inner: Limited<B>,
        limit: usize,
        declared_too_long: bool,
    }
}

impl<B> Body for LimitedBody<B>
where
    B: Body,
    B::Error: Into<BoxError>,
{
    type Data = B::Data;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<B::Data>, BoxError>>> {
        let this = self.project();
        let too_long = || Box::new(BodyTooLong { limit: *this.limit }) as BoxError;
        if *this.declared_too_long {
            return Poll::Ready(Some(Err(too_long())));
        }
        this.inner.poll_frame(cx).map_err(|err| {
            if err.is::<LengthLimitError>() {
                too_long()
            } else {
                err
            }
        })
    }

    fn is_end_stream(&self) -> bool {
        !self.declared_too_long && self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;
    use http_body_util::{BodyExt, Full, StreamBody};
    use tower::{Layer, ServiceExt};

    /// Reads the whole body: its length, or the error as an `ApiError`'s
    /// status (413) or 400 for any other.
    async fn read(
        request: Request<LimitedBody<impl Body<Error: Into<BoxError>>>>,
    ) -> Result<usize, u16> {
        match request.into_body().collect().await {
            Ok(collected) => Ok(collected.to_bytes().len()),
            Err(err) => Err(match err.downcast::<BodyTooLong>() {
                Ok(too_long) => ApiError::from(*too_long).status().as_u16(),
                Err(_) => 400,
            }),
        }
    }

    #[tokio::test]
    async fn bodies_past_the_limit_are_413_declared_or_found() {
        let stage = RequestBodyLimitLayer::new(4).layer(tower::service_fn(|r| async {
            Ok::<_, ApiError>(read(r).await)
        }));
        let full = |body: &'static str, declared: Option<&str>| {
            let mut request = Request::new(Full::new(Bytes::from(body)));
            if let Some(length) = declared {
                request
                    .headers_mut()
                    .insert(CONTENT_LENGTH, length.parse().unwrap());
            }
            request
        };
        #[rustfmt::skip]
        let cases = [
            (full("abcd", None), Ok(4)),
            (full("abcde", None), Err(413)),
            (full("abcd", Some("4")), Ok(4)),
            (full("ab", Some("5")), Err(413)),
            (full("", Some("99")), Err(413)),
        ];
        for (request, expected) in cases {
            assert_eq!(stage.clone().oneshot(request).await.unwrap(), expected);
        }
    }

    #[tokio::test]
    async fn a_chunked_body_is_counted_as_it_comes() {
        let stage = RequestBodyLimitLayer::new(4).layer(tower::service_fn(|r| async {
            Ok::<_, ApiError>(read(r).await)
        }));
        for (chunks, expected) in [(vec!["ab", "cd"], Ok(4)), (vec!["ab", "cd", "e"], Err(413))] {
            let frames = chunks
                .into_iter()
                .map(|c| Ok::<_, std::convert::Infallible>(Frame::data(Bytes::from(c))));
            let body = StreamBody::new(futures_util::stream::iter(frames));
            let got = stage.clone().oneshot(Request::new(body)).await.unwrap();
            assert_eq!(got, expected);
        }
    }
}
