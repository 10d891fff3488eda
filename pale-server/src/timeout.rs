//! The whole-request timeout ([`Limits::request_timeout`]): a request that
//! is not answered in time, body and handler included, is a 503 problem
//! document (`timeout`), and its handler's future is dropped.
//!
//! [`Limits::request_timeout`]: crate::Limits::request_timeout

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use http::StatusCode;
use pale_core::ApiError;
use pin_project_lite::pin_project;

/// Bounds how long the stages below may take.
#[derive(Clone, Copy)]
pub(crate) struct TimeoutLayer {
    after: Duration,
}

impl TimeoutLayer {
    /// Requests time out `after` this long.
    pub(crate) fn new(after: Duration) -> Self {
        Self { after }
    }
}

impl<S> tower::Layer<S> for TimeoutLayer {
    type Service = Timeout<S>;

    fn layer(&self, inner: S) -> Timeout<S> {
        Timeout {
            inner,
            after: self.after,
        }
    }
}

/// The timeout stage around `S`.
#[derive(Clone)]
pub(crate) struct Timeout<S> {
    inner: S,
    after: Duration,
}

/// A request ran out of time.
#[derive(Clone, Copy, Debug)]
pub(crate) struct TimedOut {
    after: Duration,
}

impl From<TimedOut> for ApiError {
    fn from(timed_out: TimedOut) -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "timeout",
            "Request timed out",
        )
        .with_detail(format!(
            "the request took longer than {} s",
            timed_out.after.as_secs_f32()
        ))
    }
}

impl<S, R> tower::Service<R> for Timeout<S>
where
    S: tower::Service<R>,
    S::Error: From<TimedOut>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = TimeoutFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: R) -> Self::Future {
        TimeoutFuture {
            inner: tokio::time::timeout(self.after, self.inner.call(request)),
            after: self.after,
        }
    }
}

pin_project! {
    /// The stages below, or a [`TimedOut`].
    pub(crate) struct TimeoutFuture<F> {
        #[pin]
        inner: tokio::time::Timeout<F>,
        after: Duration,
    }
}

impl<F, T, E> Future for TimeoutFuture<F>
where
    F: Future<Output = Result<T, E>>,
    E: From<TimedOut>,
{
    type Output = Result<T, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        Poll::Ready(match ready!(this.inner.poll(cx)) {
            Ok(result) => result,
            Err(_) => Err(TimedOut { after: *this.after }.into()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower::{Layer, ServiceExt};

    #[tokio::test]
    async fn a_slow_answer_is_a_503_and_a_quick_one_passes() {
        let inner = tower::service_fn(|wait_ms: u64| async move {
            tokio::time::sleep(Duration::from_millis(wait_ms)).await;
            Ok::<_, ApiError>(wait_ms)
        });
        let stage = TimeoutLayer::new(Duration::from_millis(200)).layer(inner);
        assert_eq!(stage.clone().oneshot(0).await.unwrap(), 0);
        let err = stage.oneshot(60_000).await.unwrap_err();
        assert_eq!((err.status().as_u16(), err.code()), (503, "timeout"));
        assert_eq!(err.detail(), Some("the request took longer than 0.2 s"));
    }
}
