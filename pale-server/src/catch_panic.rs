//! A panic below this stage (a handler's, most likely) is an opaque 500
//! problem document with the request id; the panic's message goes to the
//! log only, as the error's log message. The connection, and every other
//! request, go on.

use std::any::Any;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use futures_util::FutureExt;
use futures_util::future::CatchUnwind;
use pale_core::ApiError;
use pin_project_lite::pin_project;

/// Turns panics into errors.
#[derive(Clone, Copy)]
pub(crate) struct CatchPanicLayer;

impl<S> tower::Layer<S> for CatchPanicLayer {
    type Service = CatchPanic<S>;

    fn layer(&self, inner: S) -> CatchPanic<S> {
        CatchPanic { inner }
    }
}

/// The panic-catching stage around `S`.
#[derive(Clone)]
pub(crate) struct CatchPanic<S> {
    inner: S,
}

/// Something below panicked, with this message.
#[derive(Debug)]
pub(crate) struct Panicked {
    message: String,
}

impl Panicked {
    fn new(payload: &(dyn Any + Send)) -> Self {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".to_owned());
        Self { message }
    }
}

impl From<Panicked> for ApiError {
    fn from(panicked: Panicked) -> Self {
        Self::internal(format!("the handler panicked: {}", panicked.message))
    }
}

impl<S, R> tower::Service<R> for CatchPanic<S>
where
    S: tower::Service<R>,
    S::Error: From<Panicked>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = CatchPanicFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: R) -> Self::Future {
        // A service may panic when called, before it has a future.
        match std::panic::catch_unwind(AssertUnwindSafe(|| self.inner.call(request))) {
            Ok(future) => CatchPanicFuture::Polling {
                inner: AssertUnwindSafe(future).catch_unwind(),
            },
            Err(payload) => CatchPanicFuture::Panicked {
                panicked: Some(Panicked::new(&*payload)),
            },
        }
    }
}

pin_project! {
    /// The stages below, or the [`Panicked`] error.
    #[project = Projected]
    pub(crate) enum CatchPanicFuture<F> {
        Polling { #[pin] inner: CatchUnwind<AssertUnwindSafe<F>> },
        Panicked { panicked: Option<Panicked> },
    }
}

impl<F, T, E> Future for CatchPanicFuture<F>
where
    F: Future<Output = Result<T, E>>,
    E: From<Panicked>,
{
    type Output = Result<T, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Poll::Ready(match self.project() {
            Projected::Polling { inner } => match ready!(inner.poll(cx)) {
                Ok(result) => result,
                Err(payload) => Err(Panicked::new(&*payload).into()),
            },
            Projected::Panicked { panicked } => {
                Err(panicked.take().expect("polled after completion").into())
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower::{Layer, ServiceExt};

    /// Answers 1, panics when polled on 2, panics when called on 3.
    #[derive(Clone)]
    struct Moody;

    impl tower::Service<u8> for Moody {
        type Response = u8;
        type Error = ApiError;
        type Future = futures_util::future::BoxFuture<'static, Result<u8, ApiError>>;

        fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), ApiError>> {
            Poll::Ready(Ok(()))
        }

        fn call(&mut self, n: u8) -> Self::Future {
            assert!(n != 3, "called with 3");
            Box::pin(async move {
                if n == 2 {
                    panic!("{}", String::from("polled with 2"));
                }
                Ok(n)
            })
        }
    }

    #[tokio::test]
    async fn panics_when_called_or_polled_are_opaque_500s() {
        let stage = CatchPanicLayer.layer(Moody);
        assert_eq!(stage.clone().oneshot(1).await.unwrap(), 1);
        for (n, message) in [(2, "polled with 2"), (3, "called with 3")] {
            let err = stage.clone().oneshot(n).await.unwrap_err();
            assert_eq!((err.status().as_u16(), err.code()), (500, "internal_error"));
            let logged = err.log_message().unwrap_or_default();
            assert!(logged.ends_with(message), "{logged}");
            assert!(!err.detail().unwrap_or_default().contains(message));
        }
    }
}
