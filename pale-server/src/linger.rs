//! Lingering close: an HTTP/1.1 connection closed while its client may
//! still be sending a request body reads and discards the rest for a
//! while before it closes.
//!
//! Why: a server that answers before reading the body (a 413 for a
//! `Content-Length` past the limit, a 404 or a 401 to a `POST`) and then
//! closes with unread bytes in its receive buffer makes the kernel send a
//! reset, not a FIN; the reset destroys the answer in the client's receive
//! buffer before the client reads it. Clients that write the whole body
//! before reading (Python's `urllib`, many simple clients) then see
//! "connection reset" or "broken pipe" instead of the 413. So, as Apache
//! and nginx do: send the answer, shut down the sending side (the client
//! reads the answer and an end of stream), read and discard what still
//! comes until the client closes, and close then, or after
//! [`Limits::linger_time`](crate::Limits::linger_time) or
//! [`Limits::linger_bytes`](crate::Limits::linger_bytes), whichever comes
//! first: a client cannot hold the connection open with it. (The idle
//! timeout bounds it too, should it be the shorter: a lingering connection
//! has no request in flight.)
//!
//! It is done in the IO object's `poll_shutdown`, which hyper calls when it
//! closes an HTTP/1.1 connection after its last response, so nothing is
//! added to a request that keeps its connection. A connection the server
//! closes while no request is in flight (idle, evicted) had no body to
//! read, and closes at once; HTTP/2 ends an unread body with a stream
//! reset of its own and never lingers.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::Sleep;

use crate::connections::ConnState;

/// How long and how much to linger.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Linger {
    pub(crate) time: Duration,
    pub(crate) bytes: usize,
}

/// A connection's socket, lingering when closed.
pub(crate) struct Lingering {
    stream: TcpStream,
    state: Arc<ConnState>,
    /// `None` for HTTP/2, or a zero bound: close at once.
    linger: Option<Linger>,
    closing: Closing,
}

enum Closing {
    Open,
    Draining { until: Pin<Box<Sleep>>, left: usize },
    Closed,
}

impl Lingering {
    pub(crate) fn new(stream: TcpStream, state: Arc<ConnState>, linger: Option<Linger>) -> Self {
        let linger = linger.filter(|l| !l.time.is_zero() && l.bytes > 0);
        Self {
            stream,
            state,
            linger,
            closing: Closing::Open,
        }
    }
}

#[cfg(unix)]
impl std::os::fd::AsFd for Lingering {
    fn as_fd(&self) -> std::os::fd::BorrowedFd<'_> {
        self.stream.as_fd()
    }
}

impl AsyncRead for Lingering {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Lingering {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    /// Sends a FIN after the last response, then lingers (module docs).
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        if let Closing::Open = this.closing {
            ready!(Pin::new(&mut this.stream).poll_shutdown(cx))?;
            this.closing = match this.linger {
                Some(linger) if !this.state.closed_quietly() => Closing::Draining {
                    until: Box::pin(tokio::time::sleep(linger.time)),
                    left: linger.bytes,
                },
                _ => Closing::Closed,
            };
        }
        if let Closing::Draining { until, left } = &mut this.closing {
            ready!(drain(&mut this.stream, until.as_mut(), left, cx));
            tracing::debug!(peer = %this.state.peer(), "lingering close done");
            this.closing = Closing::Closed;
        }
        Poll::Ready(Ok(()))
    }
}

/// Reads and discards until the client closes, `until` passes, `left`
/// bytes are read, or reading fails.
fn drain(
    stream: &mut TcpStream,
    mut until: Pin<&mut Sleep>,
    left: &mut usize,
    cx: &mut Context<'_>,
) -> Poll<()> {
    let mut scratch = [0u8; 16 * 1024];
    loop {
        if until.as_mut().poll(cx).is_ready() {
            return Poll::Ready(());
        }
        let mut buf = ReadBuf::new(&mut scratch);
        match ready!(Pin::new(&mut *stream).poll_read(cx, &mut buf)) {
            Ok(()) if !buf.filled().is_empty() => {
                *left = left.saturating_sub(buf.filled().len());
                if *left == 0 {
                    return Poll::Ready(());
                }
            }
            // The end of the client's stream, or an error: done.
            _ => return Poll::Ready(()),
        }
    }
}
