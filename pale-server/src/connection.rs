//! One accepted connection, from its first bytes to its close: served by
//! hyper-util (HTTP/1.1, or HTTP/2 with prior knowledge), and closed
//! gracefully when it has been idle too long, when it is evicted to make
//! room for a new connection, or when the server stops.
//!
//! Why a timer of our own around hyper's connection: hyper's HTTP/1.1
//! header read timeout ends a connection that sends no request, but
//! HTTP/2 has none, and its PINGs only end a peer that stopped answering.
//! A client that sends the preface and answers PINGs held its connection
//! for ever. Here a connection must start its first request within the
//! header read timeout, and may then stay with no request in flight for
//! the idle timeout; either way it is closed gracefully (HTTP/2:
//! `GOAWAY`). Requests in flight stop the clock, so a slow handler or a
//! long response is never cut for being idle.

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use http::{Request, Response};
use http_body::Body;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use tokio::net::TcpStream;
use tokio::sync::OwnedSemaphorePermit;

use crate::coalesce::{Coalesced, Flushing};
use crate::connections::{ConnState, Registered};
use crate::host::HostRefusal;
use crate::in_flight::Tracked;
use crate::limits::Limits;
use crate::linger::{Linger, Lingering};
use crate::peer::Peer;

/// How long a connection asked to close may take to do so with nothing
/// in flight (an HTTP/2 client answering the `GOAWAY`'s PING) before it
/// is dropped.
const CLOSE_GRACE: Duration = Duration::from_secs(1);

/// One accepted connection and its slot.
pub(crate) struct Connection {
    pub(crate) stream: TcpStream,
    pub(crate) peer: Peer,
    pub(crate) registered: Registered,
    /// The slot under the connection cap, given back on drop.
    pub(crate) permit: OwnedSemaphorePermit,
    pub(crate) limits: Limits,
}

/// Why a connection is being closed.
enum Why {
    /// It sent no request within the header read timeout.
    NoRequest,
    /// No request was in flight for the idle timeout.
    Idle,
    /// Evicted for a new connection, or the server is stopping.
    Asked,
}

impl Connection {
    /// Serves the connection with `service` until it closes.
    pub(crate) async fn serve<S, B>(
        self,
        builder: auto::Builder<TokioExecutor>,
        service: S,
        refusal: Arc<HostRefusal>,
    ) where
        S: tower::Service<Request<Incoming>, Response = Response<B>> + Clone + Send + 'static,
        S::Future: Send + 'static,
        S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
        B: Body + Send + 'static,
        B::Data: Send,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let Self {
            stream,
            peer: client,
            registered,
            permit,
            limits,
        } = self;
        let peer = client.addr;
        let state = Arc::clone(registered.state());
        let cutoffs = &registered.connections().cutoffs;
        let http1 = match first_bytes(&stream, &state, &limits).await {
            First::Http1 => true,
            First::Http2 => false,
            First::TimedOut => {
                cutoffs.first_request.hit(peer.ip());
                return give_back(permit, registered);
            }
            First::Gone => return give_back(permit, registered),
        };
        let linger = http1.then_some(Linger {
            time: limits.linger_time,
            bytes: limits.linger_bytes,
        });
        let socket = Lingering::new(stream, Arc::clone(&state), linger);
        let socket = Coalesced::new(socket, !http1, Arc::clone(&state));
        let cork = socket.cork();
        let service = Tracked::new(service, Arc::clone(&state), client, refusal);
        let connection = builder.serve_connection_with_upgrades(TokioIo::new(socket), service);
        let connection = Flushing::new(connection, cork);
        tokio::pin!(connection);
        let shutdown = |connection: Pin<&mut Flushing<_, _>>| {
            auto::UpgradeableConnection::graceful_shutdown(connection.connection());
        };
        if let Some(Why::NoRequest) = drive(connection, shutdown, &state, &limits, peer).await {
            cutoffs.first_request.hit(peer.ip());
        }
        give_back(permit, registered);
    }
}

/// Unregisters the connection, and gives its slot back unless it was
/// lent to the connection it was evicted for, which holds it now. In this
/// order: once unregistered, it cannot be evicted (and lent) any more.
fn give_back(permit: OwnedSemaphorePermit, registered: Registered) {
    let state = Arc::clone(registered.state());
    drop(registered);
    if state.slot_was_lent() {
        permit.forget();
    }
}

/// What a new connection's first bytes said.
enum First {
    Http1,
    Http2,
    /// Nothing, within the header read timeout.
    TimedOut,
    /// The client closed the connection, or it was asked to close.
    Gone,
}

/// Waits, within the header read timeout, until the client has sent
/// enough to tell HTTP/1.1 from HTTP/2.
async fn first_bytes(stream: &TcpStream, state: &ConnState, limits: &Limits) -> First {
    let waiting = tokio::time::timeout(limits.header_read_timeout, protocol(stream));
    tokio::select! {
        started = waiting => match started {
            Err(_) => First::TimedOut,
            Ok(Ok(Some(true))) => First::Http1,
            Ok(Ok(Some(false))) => First::Http2,
            Ok(Ok(None) | Err(_)) => First::Gone,
        },
        () = state.close_requested() => First::Gone,
    }
}

/// Serves the connection until it ends; closes it gracefully when it is
/// idle too long or asked to close, and drops it if it then holds on with
/// nothing in flight. Returns why the server closed it, if it did.
async fn drive<C, E>(
    mut connection: Pin<&mut C>,
    shutdown: impl Fn(Pin<&mut C>),
    state: &ConnState,
    limits: &Limits,
    peer: SocketAddr,
) -> Option<Why>
where
    C: Future<Output = Result<(), E>>,
    E: std::fmt::Display,
{
    let why = tokio::select! {
        result = connection.as_mut() => {
            log_end(result, peer);
            return None;
        }
        why = until_closing(state, limits) => why,
    };
    match why {
        Why::Idle => tracing::debug!(%peer, "idle: closing the connection"),
        Why::NoRequest | Why::Asked => {}
    }
    state.closing_now();
    shutdown(connection.as_mut());
    loop {
        tokio::select! {
            result = connection.as_mut() => {
                log_end(result, peer);
                return Some(why);
            }
            () = tokio::time::sleep(CLOSE_GRACE) => {
                if state.in_flight() == 0 {
                    tracing::debug!(%peer, "the connection did not close: dropped");
                    return Some(why);
                }
            }
        }
    }
}

/// Completes when the connection has to close, and says why.
async fn until_closing(state: &ConnState, limits: &Limits) -> Why {
    tokio::select! {
        () = state.close_requested() => Why::Asked,
        why = idle_expired(state, limits) => why,
    }
}

/// Completes when the connection has had no request in flight for too
/// long: the header read timeout before its first request, the idle
/// timeout after.
async fn idle_expired(state: &ConnState, limits: &Limits) -> Why {
    loop {
        let now = std::time::Instant::now();
        let deadline = state.idle_deadline(limits.header_read_timeout, limits.idle_timeout);
        if deadline <= now {
            return if state.started() {
                Why::Idle
            } else {
                Why::NoRequest
            };
        }
        // The deadline moves earlier when a first request ends and the idle
        // timeout is the shorter: look again within the idle timeout.
        let again = now + limits.idle_timeout.max(Duration::from_millis(10));
        tokio::time::sleep_until(deadline.min(again).into()).await;
    }
}

fn log_end<E: std::fmt::Display>(result: Result<(), E>, peer: SocketAddr) {
    if let Err(err) = result {
        tracing::debug!(%peer, error = %err, "connection ended with an error");
    }
}

/// The first bytes of an HTTP/2 connection with prior knowledge.
const H2_PREFACE: &[u8; 24] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/// Waits until the client has sent enough to tell HTTP/1.1 (`true`) from
/// HTTP/2 (`false`); `None` when it closed the connection first.
///
/// hyper-util's protocol detection waits for those bytes with no timeout,
/// and hyper's header read timeout only starts after it: without this wait
/// under the timeout, a client that connects and sends nothing would hold
/// a connection slot for ever (slowloris).
async fn protocol(stream: &TcpStream) -> std::io::Result<Option<bool>> {
    let mut buf = [0u8; H2_PREFACE.len()];
    loop {
        let n = stream.peek(&mut buf).await?;
        if n == 0 {
            return Ok(None);
        }
        if buf[..n] != H2_PREFACE[..n] {
            return Ok(Some(true));
        }
        if n == buf.len() {
            return Ok(Some(false));
        }
        // Part of the HTTP/2 preface: `peek` would see the same bytes again
        // at once, so wait a moment for the rest.
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}
