//! The service hyper calls for each request of a connection: the
//! application's, with the request counted in flight on its connection
//! until its response has been sent whole, the connection's [`Peer`] in
//! its extensions, and the `Host` rule ([`host`](crate::host)) checked
//! first.
//!
//! In flight is what keeps a connection from being idle (closed by the
//! idle timeout, or to make room at the connection cap), so it lasts as
//! long as the response body does, not just the handler: a slow stream of
//! a body keeps its connection. The count is taken in `call` and given
//! back when the response body is dropped (sent, or abandoned), by an
//! [`InFlight`] guard that moves from the future into the body.
//!
//! Per request this costs one reference count and one in-flight count up
//! and down, a clock read at the end, and the extension map hyper's
//! request would allocate for the first extension anyway.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};

use bytes::{Buf, Bytes};
use http::{Request, Response};
use http_body::{Body, Frame, SizeHint};
use http_body_util::Full;
use hyper::body::Incoming;
use pin_project_lite::pin_project;
use tower::ServiceExt;
use tower::util::Oneshot;

use crate::connections::ConnState;
use crate::host::{self, HostRefusal};
use crate::peer::Peer;

/// A request counted in flight on its connection until dropped.
pub(crate) struct InFlight(Arc<ConnState>);

impl InFlight {
    fn start(state: &Arc<ConnState>) -> Self {
        state.request_started();
        Self(Arc::clone(state))
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.request_ended();
    }
}

/// The application's service, as hyper calls it on one connection.
pub(crate) struct Tracked<S> {
    inner: S,
    state: Arc<ConnState>,
    peer: Peer,
    refusal: Arc<HostRefusal>,
}

impl<S> Tracked<S> {
    pub(crate) fn new(
        inner: S,
        state: Arc<ConnState>,
        peer: Peer,
        refusal: Arc<HostRefusal>,
    ) -> Self {
        Self {
            inner,
            state,
            peer,
            refusal,
        }
    }
}

impl<S, B> hyper::service::Service<Request<Incoming>> for Tracked<S>
where
    S: tower::Service<Request<Incoming>, Response = Response<B>> + Clone,
{
    type Response = Response<TrackedBody<B>>;
    type Error = S::Error;
    type Future = TrackedFuture<Oneshot<S, Request<Incoming>>>;

    fn call(&self, mut request: Request<Incoming>) -> Self::Future {
        let guard = InFlight::start(&self.state);
        if host::is_invalid(&request) {
            tracing::debug!(peer = %self.state.peer(), "refused: no Host, or two");
            let response = self.refusal.answer(&request);
            return TrackedFuture::Answered {
                answer: Some((response, guard)),
            };
        }
        request.extensions_mut().insert(self.peer);
        TrackedFuture::Called {
            inner: self.inner.clone().oneshot(request),
            guard: Some(guard),
        }
    }
}

pin_project! {
    /// The application's response, or the server's own answer.
    #[project = Projected]
    pub(crate) enum TrackedFuture<F> {
        Called { #[pin] inner: F, guard: Option<InFlight> },
        Answered { answer: Option<(Response<Full<Bytes>>, InFlight)> },
    }
}

impl<F, B, E> Future for TrackedFuture<F>
where
    F: Future<Output = Result<Response<B>, E>>,
{
    type Output = Result<Response<TrackedBody<B>>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project() {
            Projected::Called { inner, guard } => {
                let response = ready!(inner.poll(cx))?;
                let guard = guard.take().expect("polled after completion");
                Poll::Ready(Ok(response.map(|body| TrackedBody::Inner { body, guard })))
            }
            Projected::Answered { answer } => {
                let (response, guard) = answer.take().expect("polled after completion");
                Poll::Ready(Ok(response.map(|body| TrackedBody::Own { body, guard })))
            }
        }
    }
}

pin_project! {
    /// A response body holding its request in flight.
    #[project = BodyProjected]
    pub(crate) enum TrackedBody<B> {
        Inner { #[pin] body: B, guard: InFlight },
        Own { #[pin] body: Full<Bytes>, guard: InFlight },
    }
}

impl<B: Body> Body for TrackedBody<B> {
    type Data = Chunk<B::Data>;
    type Error = B::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        match self.project() {
            BodyProjected::Inner { body, .. } => body
                .poll_frame(cx)
                .map(|f| f.map(|f| f.map(|f| f.map_data(Chunk::Inner)))),
            BodyProjected::Own { body, .. } => body.poll_frame(cx).map(|f| {
                f.map(|f| match f {
                    Ok(frame) => Ok(frame.map_data(Chunk::Own)),
                    Err(never) => match never {},
                })
            }),
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            Self::Inner { body, .. } => body.is_end_stream(),
            Self::Own { body, .. } => body.is_end_stream(),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Self::Inner { body, .. } => body.size_hint(),
            Self::Own { body, .. } => body.size_hint(),
        }
    }
}

/// A chunk of either body.
pub(crate) enum Chunk<D> {
    Inner(D),
    Own(Bytes),
}

impl<D: Buf> Buf for Chunk<D> {
    fn remaining(&self) -> usize {
        match self {
            Self::Inner(d) => d.remaining(),
            Self::Own(b) => b.remaining(),
        }
    }

    fn chunk(&self) -> &[u8] {
        match self {
            Self::Inner(d) => d.chunk(),
            Self::Own(b) => b.chunk(),
        }
    }

    fn advance(&mut self, n: usize) {
        match self {
            Self::Inner(d) => d.advance(n),
            Self::Own(b) => b.advance(n),
        }
    }

    fn chunks_vectored<'a>(&'a self, dst: &mut [std::io::IoSlice<'a>]) -> usize {
        match self {
            Self::Inner(d) => d.chunks_vectored(dst),
            Self::Own(b) => b.chunks_vectored(dst),
        }
    }

    fn copy_to_bytes(&mut self, len: usize) -> Bytes {
        match self {
            Self::Inner(d) => d.copy_to_bytes(len),
            Self::Own(b) => b.copy_to_bytes(len),
        }
    }
}
