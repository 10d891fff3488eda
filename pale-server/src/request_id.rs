//! The first stage: request ids. The client's own `x-request-id` when it
//! is a sensible token, else one of ours, unique to this service.
//!
//! Every response carries the id, and every log line of its request, so a
//! support ticket's id finds the logs. The stage records it on the
//! request's span and hands it down with the request ([`Identified`]): the
//! problem documents and the handler's context name it. Ours are the service's
//! start time and a counter, in hex (`17d2a…-0000002a`): written by hand
//! into a stack buffer, since `format!` cost a tenth of a small request's
//! pipeline.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll, ready};

use http::header::HeaderName;
use http::{HeaderValue, Request, Response, Version};
use pin_project_lite::pin_project;

use crate::trace;

/// The header carrying the request id, generated when a client sends none.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The id of the request being served: a copy of the response's header
/// value, held inline, so that the stages that keep it (for a problem
/// document) copy 130 bytes rather than allocate.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RequestId {
    len: u8,
    bytes: [u8; MAX_LEN],
}

/// The longest id a client may choose.
const MAX_LEN: usize = 128;

impl RequestId {
    /// The id `value`, as [`RequestIds::take`] gave it (at most
    /// [`MAX_LEN`] bytes of ASCII; anything longer is cut).
    pub(crate) fn new(value: &HeaderValue) -> Self {
        let given = value.as_bytes();
        let len = given.len().min(MAX_LEN);
        let mut bytes = [0; MAX_LEN];
        bytes[..len].copy_from_slice(&given[..len]);
        Self {
            len: len as u8,
            bytes,
        }
    }

    /// The id.
    pub(crate) fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or_default()
    }
}

/// A request and its id: what the stages below the request-id stage are
/// called with. (By value: in the request's extensions, a map of boxed
/// values, it cost 700 instructions a request to insert and drop, more
/// than the routing.)
pub(crate) struct Identified<B> {
    pub(crate) request: Request<B>,
    pub(crate) id: RequestId,
}

/// Gives every request an id: see the module docs.
#[derive(Clone)]
pub(crate) struct RequestIdLayer {
    ids: Arc<RequestIds>,
}

impl RequestIdLayer {
    /// Ids for a service started now.
    pub(crate) fn new() -> Self {
        Self {
            ids: Arc::new(RequestIds::new()),
        }
    }
}

impl<S> tower::Layer<S> for RequestIdLayer {
    type Service = SetRequestId<S>;

    fn layer(&self, inner: S) -> SetRequestId<S> {
        SetRequestId {
            inner,
            ids: Arc::clone(&self.ids),
        }
    }
}

/// The request-id stage around `S`.
#[derive(Clone)]
pub(crate) struct SetRequestId<S> {
    inner: S,
    ids: Arc<RequestIds>,
}

impl<S, B, R> tower::Service<Request<B>> for SetRequestId<S>
where
    S: tower::Service<Identified<B>, Response = Response<R>>,
{
    type Response = Response<R>;
    type Error = S::Error;
    type Future = IdFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        let mut header = self.ids.take(request.headers().get(&REQUEST_ID));
        // Over HTTP/2 (and later) a header value is entered in the HPACK
        // table the connection's responses share unless it is marked
        // "never indexed": an id, new with each response, would push out
        // the entries that repeat and fill the table with ids no response
        // refers to again. Measured: a third of the encoder's time, and
        // the largest part of what Pale's HTTP/2 path cost over axum's.
        // (The mark only changes how HPACK sends the value; HTTP/1.1 is
        // left as it was, since `Debug` prints a marked value as
        // "Sensitive".)
        if request.version() >= Version::HTTP_2 {
            header.set_sensitive(true);
        }
        let id = RequestId::new(&header);
        trace::record_id(id.as_str());
        IdFuture {
            inner: self.inner.call(Identified { request, id }),
            id: Some(header),
        }
    }
}

pin_project! {
    /// Puts the id on the response.
    pub(crate) struct IdFuture<F> {
        #[pin]
        inner: F,
        id: Option<HeaderValue>,
    }
}

impl<F, R, E> Future for IdFuture<F>
where
    F: Future<Output = Result<Response<R>, E>>,
{
    type Output = Result<Response<R>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let mut response = ready!(this.inner.poll(cx))?;
        if let Some(id) = this.id.take() {
            response.headers_mut().insert(REQUEST_ID, id);
        }
        Poll::Ready(Ok(response))
    }
}

/// Hands out request ids.
pub(crate) struct RequestIds {
    /// The service's start time in nanoseconds, so that ids of two runs
    /// differ.
    prefix: u64,
    next: AtomicU64,
}

impl RequestIds {
    /// Ids for a service started now.
    pub(crate) fn new() -> Self {
        let prefix = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        Self {
            prefix,
            next: AtomicU64::new(1),
        }
    }

    /// The id of a request: `given` when it is 1 to 128 characters of
    /// ASCII letters, digits and `-_.:`, else a new one.
    pub(crate) fn take(&self, given: Option<&HeaderValue>) -> HeaderValue {
        if let Some(id) = given.filter(|id| is_sensible(id.as_bytes())) {
            return id.clone();
        }
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        // 16 digits, a dash, and at least 8 digits (up to 16).
        let mut id = [0u8; 33];
        let mut len = write_hex(&mut id, self.prefix, 16);
        id[len] = b'-';
        len += 1;
        len += write_hex(&mut id[len..], n, 8);
        HeaderValue::from_bytes(&id[..len]).expect("hex digits and a dash are a valid header value")
    }
}

fn is_sensible(id: &[u8]) -> bool {
    !id.is_empty()
        && id.len() <= MAX_LEN
        && id
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(b))
}

/// Writes `n` in lower-case hex, zero-padded to `width` digits, at the
/// start of `out`; returns the number of digits written (at most 16, as
/// `width` is).
fn write_hex(out: &mut [u8], n: u64, width: usize) -> usize {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let significant = (64 - n.leading_zeros() as usize).div_ceil(4);
    let digits = significant.max(width.min(16));
    for (place, slot) in out[..digits].iter_mut().rev().enumerate() {
        *slot = DIGITS[((n >> (4 * place)) & 0xf) as usize];
    }
    digits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ours_are_the_prefix_and_the_counter_in_hex() {
        let ids = RequestIds {
            prefix: 0x17d2_a000_0000_00ff,
            next: AtomicU64::new(42),
        };
        assert_eq!(ids.take(None), "17d2a000000000ff-0000002a");
        assert_eq!(ids.take(None), "17d2a000000000ff-0000002b");
        let ids = RequestIds {
            prefix: 0,
            next: AtomicU64::new(0x1_2345_6789),
        };
        assert_eq!(ids.take(None), "0000000000000000-123456789");
    }

    #[test]
    fn hex_agrees_with_format() {
        for n in [
            0,
            1,
            0xf,
            0x10,
            0xdead_beef,
            u64::from(u32::MAX) + 1,
            u64::MAX,
        ] {
            for width in [8, 16] {
                let mut out = [0u8; 16];
                let len = write_hex(&mut out, n, width);
                assert_eq!(
                    std::str::from_utf8(&out[..len]).unwrap(),
                    format!("{n:0width$x}")
                );
            }
        }
    }

    #[tokio::test]
    async fn the_stage_gives_the_request_and_its_response_one_id() {
        use tower::{Layer, ServiceExt};

        let echo = tower::service_fn(|Identified { id, .. }: Identified<()>| async move {
            Ok::<_, std::convert::Infallible>(Response::new(id.as_str().to_owned()))
        });
        let stage = RequestIdLayer::new().layer(echo);
        for given in [Some("req-42"), Some("not sensible"), None] {
            let mut request = Request::new(());
            if let Some(given) = given {
                request
                    .headers_mut()
                    .insert(REQUEST_ID, HeaderValue::from_static(given));
            }
            let response = stage.clone().oneshot(request).await.unwrap();
            let header = response.headers()[&REQUEST_ID].to_str().unwrap();
            assert_eq!(response.body(), header, "the handler saw the response's id");
            match given {
                Some("req-42") => assert_eq!(header, "req-42"),
                _ => assert_eq!(header.len(), 25, "one of ours: {header}"),
            }
        }
    }

    #[test]
    fn a_sensible_client_id_is_kept_and_others_replaced() {
        let ids = RequestIds::new();
        let table = [
            ("abc-123_x.y:z", true),
            ("", false),
            ("has space", false),
            ("é", false),
            (&*"a".repeat(128), true),
            (&*"a".repeat(129), false),
        ];
        for (given, kept) in table {
            let Ok(value) = HeaderValue::from_str(given) else {
                assert!(!kept);
                continue;
            };
            let id = ids.take(Some(&value));
            assert_eq!(id == value, kept, "{given:?}");
        }
    }
}
