//! `HEAD`: the router answers it with the `GET` endpoint, and this stage
//! sends that response without its body, its `Content-Length` saying how
//! long the body would have been (RFC 9110 §9.3.2). Error responses too.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use http::header::{CONTENT_LENGTH, HeaderValue};
use http::{Method, Request, Response};
use http_body::Body;
use pin_project_lite::pin_project;

/// Strips the bodies of `HEAD` responses.
#[derive(Clone, Copy)]
pub(crate) struct HeadLayer;

impl<S> tower::Layer<S> for HeadLayer {
    type Service = Head<S>;

    fn layer(&self, inner: S) -> Head<S> {
        Head { inner }
    }
}

/// The `HEAD` stage around `S`.
#[derive(Clone)]
pub(crate) struct Head<S> {
    inner: S,
}

impl<S, B, R> tower::Service<Request<B>> for Head<S>
where
    S: tower::Service<Request<B>, Response = Response<R>>,
    R: Body + Default,
{
    type Response = Response<R>;
    type Error = S::Error;
    type Future = HeadFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        let is_head = request.method() == Method::HEAD;
        HeadFuture {
            inner: self.inner.call(request),
            is_head,
        }
    }
}

pin_project! {
    /// Empties the body of a `HEAD` response.
    pub(crate) struct HeadFuture<F> {
        #[pin]
        inner: F,
        is_head: bool,
    }
}

impl<F, R, E> Future for HeadFuture<F>
where
    F: Future<Output = Result<Response<R>, E>>,
    R: Body + Default,
{
    type Output = Result<Response<R>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let mut response = ready!(this.inner.poll(cx))?;
        if *this.is_head {
            let length = response.body().size_hint().exact().unwrap_or(0);
            response
                .headers_mut()
                .insert(CONTENT_LENGTH, HeaderValue::from(length));
            *response.body_mut() = R::default();
        }
        Poll::Ready(Ok(response))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;
    use http_body_util::{BodyExt, Full};
    use tower::{Layer, ServiceExt};

    #[tokio::test]
    async fn head_has_the_length_and_not_the_body_of_get() {
        let inner = tower::service_fn(|_: Request<()>| async {
            Ok::<_, std::convert::Infallible>(Response::new(Full::new(Bytes::from("twelve bytes"))))
        });
        let stage = HeadLayer.layer(inner);
        for (method, length, body) in [
            (Method::GET, None, "twelve bytes"),
            (Method::HEAD, Some("12"), ""),
        ] {
            let request = Request::builder().method(method).body(()).unwrap();
            let response = stage.clone().oneshot(request).await.unwrap();
            let got = response
                .headers()
                .get(CONTENT_LENGTH)
                .map(|v| v.to_str().unwrap());
            assert_eq!(got, length);
            let bytes = response.into_body().collect().await.unwrap().to_bytes();
            assert_eq!(bytes, body);
        }
    }
}
