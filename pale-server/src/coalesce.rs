//! Coalesced writes on HTTP/2 connections: the responses of several
//! streams that finish together leave in one TCP segment, not one each,
//! without giving up `TCP_NODELAY`.
//!
//! Why: every connection has `TCP_NODELAY` (Nagle's algorithm off), since
//! with Nagle on, a small response written while an earlier one is not
//! yet acknowledged waits for the client's delayed ACK (40 ms on Linux):
//! on a multiplexed HTTP/2 connection that is the common case. But hyper
//! writes each response of an HTTP/2 connection as it comes (a stream's
//! task finishes, wakes the connection's task, which writes its frames:
//! one `writev` per response, as h2 chains each body to the write), and
//! with `TCP_NODELAY` each write is a segment of its own, sent and
//! received by the kernel's whole TCP path: under load the kernel's work
//! per request was twice that of a server with Nagle on (axum's
//! default). Here, when a connection writes while other requests are in
//! flight on it, their responses are about to follow: the socket is
//! corked (`TCP_CORK`), the connection's task lets the tasks queued before
//! it run once (it wakes itself, which puts it at the back of the run
//! queue), and after that next turn, when it has written what they
//! answered, the socket is uncorked, which sends what it holds at once.
//! Nothing waits for a timer or for the client: the hold lasts one pass
//! of the runtime's queue. A connection with nothing else in flight (one
//! request at a time, HTTP/1.1) writes as before.
//!
//! `TCP_CORK` is Linux's; elsewhere nothing is corked and writes are as
//! before.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};

use pin_project_lite::pin_project;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use crate::connections::ConnState;

/// Not corked.
const OPEN: u8 = 0;
/// Corked by a write in the current turn of the connection's task.
const CORKED: u8 = 1;
/// Corked, and the task has yielded once: uncork after this turn.
const HELD: u8 = 2;

/// The socket, shared by the connection that reads and writes it
/// ([`Coalesced`]) and the future around that connection ([`Flushing`]),
/// which uncorks it. The lock is never contended: both are polled by the
/// connection's task, one after the other.
struct Shared<T> {
    socket: Mutex<T>,
    /// Whether the socket is corked, and how far the hold has gone.
    state: AtomicU8,
}

impl<T> Shared<T> {
    fn socket(&self) -> MutexGuard<'_, T> {
        self.socket.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A socket that corks itself when it writes while other requests are in
/// flight on its connection (module docs); on HTTP/1.1 (`enabled`
/// false) it never corks.
pub(crate) struct Coalesced<T> {
    shared: Arc<Shared<T>>,
    enabled: bool,
    conn: Arc<ConnState>,
}

impl<T> Coalesced<T> {
    /// `socket` for a connection; `http2`: whether it may cork.
    pub(crate) fn new(socket: T, http2: bool, conn: Arc<ConnState>) -> Self {
        Self {
            shared: Arc::new(Shared {
                socket: Mutex::new(socket),
                state: AtomicU8::new(OPEN),
            }),
            enabled: http2,
            conn,
        }
    }

    /// What [`Flushing`] uncorks the socket with.
    pub(crate) fn cork(&self) -> Cork<T> {
        Cork(Arc::clone(&self.shared))
    }
}

/// A handle on a [`Coalesced`] socket, for [`Flushing`].
pub(crate) struct Cork<T>(Arc<Shared<T>>);

impl<T: Socket> Coalesced<T> {
    /// Does `io` on the socket, corked first if it `writes` and others'
    /// responses will follow.
    fn with<R>(&self, writes: bool, io: impl FnOnce(Pin<&mut T>) -> R) -> R {
        let mut socket = self.shared.socket();
        let state = &self.shared.state;
        if writes
            && self.enabled
            && state.load(Ordering::Relaxed) == OPEN
            && self.conn.in_flight() > 0
            && set_cork(&*socket, true)
        {
            state.store(CORKED, Ordering::Relaxed);
        }
        io(Pin::new(&mut *socket))
    }
}

impl<T: Socket> AsyncRead for Coalesced<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        self.with(false, |socket| socket.poll_read(cx, buf))
    }
}

impl<T: Socket> AsyncWrite for Coalesced<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.with(true, |socket| socket.poll_write(cx, buf))
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.with(true, |socket| socket.poll_write_vectored(cx, bufs))
    }

    fn is_write_vectored(&self) -> bool {
        self.shared.socket().is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.with(false, |socket| socket.poll_flush(cx))
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.with(false, |socket| socket.poll_shutdown(cx))
    }
}

/// The socket under [`Coalesced`]: read, written, and corked.
pub(crate) trait Socket: AsyncRead + AsyncWrite + Unpin + Fd {}

impl<T: AsyncRead + AsyncWrite + Unpin + Fd> Socket for T {}

#[cfg(unix)]
pub(crate) use std::os::fd::AsFd as Fd;

/// Elsewhere, nothing to cork with.
#[cfg(not(unix))]
pub(crate) trait Fd {}

#[cfg(not(unix))]
impl<T> Fd for T {}

/// Corks or uncorks `socket`; whether it is done.
#[cfg(target_os = "linux")]
fn set_cork(socket: &impl Fd, cork: bool) -> bool {
    socket2::SockRef::from(socket).set_tcp_cork(cork).is_ok()
}

#[cfg(not(target_os = "linux"))]
fn set_cork(_: &impl Fd, _: bool) -> bool {
    false
}

pin_project! {
    /// A connection whose socket is [`Coalesced`]: it holds a corked
    /// socket for one turn of its task, and uncorks it after the next.
    pub(crate) struct Flushing<F, T> {
        #[pin]
        connection: F,
        cork: Cork<T>,
    }
}

impl<F, T> Flushing<F, T> {
    pub(crate) fn new(connection: F, cork: Cork<T>) -> Self {
        Self { connection, cork }
    }

    /// The connection (to shut it down gracefully).
    pub(crate) fn connection(self: Pin<&mut Self>) -> Pin<&mut F> {
        self.project().connection
    }
}

impl<F: Future, T: Socket> Future for Flushing<F, T> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.project();
        let polled = this.connection.poll(cx);
        let shared = &this.cork.0;
        let state = &shared.state;
        match state.load(Ordering::Relaxed) {
            CORKED if polled.is_pending() => {
                state.store(HELD, Ordering::Relaxed);
                cx.waker().wake_by_ref();
            }
            CORKED | HELD => {
                state.store(OPEN, Ordering::Relaxed);
                if !set_cork(&*shared.socket(), false) {
                    tracing::debug!("could not uncork a connection's socket");
                }
            }
            _ => {}
        }
        polled
    }
}
