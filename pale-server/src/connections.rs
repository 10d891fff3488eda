//! The connections being served: how many from each client address, which
//! have a request in flight, and which has been idle longest.
//!
//! Why a registry: the connection cap alone let 1,024 clients that hold
//! connections open and do nothing (HTTP/2 prefaces answering PINGs,
//! keep-alive clients between requests) lock every other client out, as
//! new connections waited for a slot that never came. Knowing which
//! connections are idle, the server makes room instead: at the cap, the
//! longest-idle one is closed for the new one (see
//! [`Connections::evict_idlest`] for why that policy). Idle means no
//! request in flight: a slow handler or a long response keeps its
//! connection busy, and is never closed for being idle.
//!
//! A request costs two atomic updates and a clock read on its
//! connection's [`ConnState`] (in flight, then done); the registry's lock
//! is taken per connection (opened, closed) and per eviction, never per
//! request.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tokio::sync::Notify;

use crate::cutoff::Cutoffs;

/// The address a client is counted under: its IP address, or for IPv6
/// its /64, which one client usually holds whole.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct ClientKey(IpAddr);

impl std::fmt::Display for ClientKey {
    /// The address, or the /64 network's first address.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl ClientKey {
    pub(crate) fn of(ip: IpAddr) -> Self {
        match ip.to_canonical() {
            IpAddr::V6(v6) => {
                let prefix = u128::from(v6) & !((1u128 << 64) - 1);
                Self(IpAddr::V6(prefix.into()))
            }
            v4 => Self(v4),
        }
    }
}

/// What one connection's task and its requests share with the registry.
pub(crate) struct ConnState {
    id: u64,
    client: ClientKey,
    peer: IpAddr,
    epoch: Instant,
    /// Requests whose response has not been sent whole.
    in_flight: AtomicU32,
    /// Whether any request has started.
    started: AtomicBool,
    /// When the last request ended (or the connection opened), in
    /// milliseconds since `epoch`.
    last_active: AtomicU64,
    /// Whether the connection was asked to close (evicted, or the server
    /// stopping).
    closing: AtomicBool,
    /// Whether its slot was lent to the connection it was evicted for
    /// (see [`Eviction::Lent`]): then it must not give the slot back.
    lent: AtomicBool,
    /// Whether the server closed it with nothing in flight: then no
    /// request body can be left unread, and the close need not linger.
    quiet: AtomicBool,
    close: Notify,
}

impl ConnState {
    /// The client's address.
    pub(crate) fn peer(&self) -> IpAddr {
        self.peer
    }

    /// A request has started.
    pub(crate) fn request_started(&self) {
        self.in_flight.fetch_add(1, Ordering::Relaxed);
        if !self.started.load(Ordering::Relaxed) {
            self.started.store(true, Ordering::Relaxed);
        }
    }

    /// A request has ended: its response is sent, or abandoned.
    pub(crate) fn request_ended(&self) {
        self.last_active.store(self.now(), Ordering::Relaxed);
        self.in_flight.fetch_sub(1, Ordering::Release);
    }

    /// How many requests are in flight.
    pub(crate) fn in_flight(&self) -> u32 {
        self.in_flight.load(Ordering::Acquire)
    }

    /// Whether any request has started.
    pub(crate) fn started(&self) -> bool {
        self.started.load(Ordering::Relaxed)
    }

    /// When the connection has been idle too long: `first` after it
    /// opened if no request has started yet, else `idle` after the last
    /// request ended; `idle` from now while requests are in flight (then
    /// it is asked again).
    pub(crate) fn idle_deadline(&self, first: Duration, idle: Duration) -> Instant {
        if self.in_flight() > 0 {
            return Instant::now() + idle;
        }
        let since = Duration::from_millis(self.last_active.load(Ordering::Relaxed));
        let after = if self.started() { idle } else { first };
        self.epoch + since + after
    }

    /// Completes when the connection is asked to close.
    pub(crate) async fn close_requested(&self) {
        self.close.notified().await;
    }

    /// Asks the connection to close; `false` if it already was.
    fn ask_to_close(&self) -> bool {
        if self.closing.swap(true, Ordering::Relaxed) {
            return false;
        }
        self.close.notify_one();
        true
    }

    /// Records that the server is closing the connection; quietly when
    /// nothing is in flight.
    pub(crate) fn closing_now(&self) {
        self.closing.store(true, Ordering::Relaxed);
        if self.in_flight() == 0 {
            self.quiet.store(true, Ordering::Relaxed);
        }
    }

    /// Whether the connection's slot was lent to another (see
    /// [`Eviction::Lent`]).
    pub(crate) fn slot_was_lent(&self) -> bool {
        self.lent.load(Ordering::Relaxed)
    }

    /// Whether the server closed the connection with nothing in flight.
    pub(crate) fn closed_quietly(&self) -> bool {
        self.quiet.load(Ordering::Relaxed)
    }

    fn now(&self) -> u64 {
        self.epoch.elapsed().as_millis() as u64
    }
}

/// The open connections.
pub(crate) struct Connections {
    open: Mutex<Open>,
    per_ip: Option<usize>,
    epoch: Instant,
    /// Notified when the last connection closes.
    emptied: Notify,
    /// Evicted connections whose slot was lent, not closed yet.
    lent: AtomicUsize,
    /// At most this many lent at once.
    max_lent: usize,
    pub(crate) cutoffs: Cutoffs,
}

#[derive(Default)]
struct Open {
    next_id: u64,
    by_id: HashMap<u64, Arc<ConnState>>,
    by_client: HashMap<ClientKey, usize>,
}

impl Connections {
    /// No connections yet; at most `per_ip` from one client at once, and
    /// at most `max_lent` slots lent by evicted connections still closing.
    pub(crate) fn new(per_ip: Option<usize>, max_lent: usize) -> Arc<Self> {
        Arc::new(Self {
            open: Mutex::default(),
            per_ip,
            epoch: Instant::now(),
            emptied: Notify::new(),
            lent: AtomicUsize::new(0),
            max_lent,
            cutoffs: Cutoffs::new(),
        })
    }

    fn open(&self) -> MutexGuard<'_, Open> {
        // A panic while the lock was held left consistent maps: every
        // change is one insert or remove.
        self.open
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Whether `peer` may open one more connection (and logs when not).
    pub(crate) fn admits(&self, peer: IpAddr) -> bool {
        let Some(cap) = self.per_ip else { return true };
        let held = self
            .open()
            .by_client
            .get(&ClientKey::of(peer))
            .copied()
            .unwrap_or(0);
        if held < cap {
            return true;
        }
        self.cutoffs.per_ip.hit(peer);
        false
    }

    /// Registers a connection from `peer`; it is unregistered when the
    /// returned handle is dropped.
    pub(crate) fn register(self: &Arc<Self>, peer: IpAddr) -> Registered {
        let mut open = self.open();
        open.next_id += 1;
        let state = Arc::new(ConnState {
            id: open.next_id,
            client: ClientKey::of(peer),
            peer,
            epoch: self.epoch,
            in_flight: AtomicU32::new(0),
            started: AtomicBool::new(false),
            last_active: AtomicU64::new(self.epoch.elapsed().as_millis() as u64),
            closing: AtomicBool::new(false),
            lent: AtomicBool::new(false),
            quiet: AtomicBool::new(false),
            close: Notify::new(),
        });
        open.by_id.insert(state.id, Arc::clone(&state));
        *open.by_client.entry(state.client).or_insert(0) += 1;
        Registered {
            state,
            connections: Arc::clone(self),
        }
    }

    /// Asks the connection idle longest (no request in flight, not already
    /// closing) to close, lending its slot when fewer than `max_lent` are.
    ///
    /// Why this policy, at the cap, rather than the alternatives: making
    /// the new client wait (as before) lets idle clients lock everyone
    /// out; refusing it does the same, faster. An idle connection costs
    /// its client little to lose: an HTTP/2 client gets a `GOAWAY` and
    /// reconnects, an HTTP/1.1 keep-alive client finds the connection
    /// closed before its next request and opens another (as it must
    /// anyway, keep-alive connections being closed at any time between
    /// requests, RFC 9112 §9.6). The longest-idle is the one least likely
    /// to be used again soon, and the one a client opening and holding
    /// connections has held longest. A busy connection is never closed.
    pub(crate) fn evict_idlest(&self) -> Eviction {
        let open = self.open();
        let idlest = open
            .by_id
            .values()
            .filter(|c| c.in_flight() == 0 && !c.closing.load(Ordering::Relaxed))
            .min_by_key(|c| (c.last_active.load(Ordering::Relaxed), c.id));
        let Some(idlest) = idlest else {
            return Eviction::None;
        };
        idlest.ask_to_close();
        self.cutoffs.cap.hit(idlest.peer);
        if self.lent.load(Ordering::Relaxed) >= self.max_lent {
            return Eviction::Asked;
        }
        self.lent.fetch_add(1, Ordering::Relaxed);
        idlest.lent.store(true, Ordering::Relaxed);
        Eviction::Lent
    }

    /// Asks every connection to close: the server is stopping.
    pub(crate) fn close_all(&self) {
        for connection in self.open().by_id.values() {
            connection.ask_to_close();
        }
    }

    /// Completes when no connection is open.
    pub(crate) async fn all_closed(&self) {
        loop {
            let emptied = self.emptied.notified();
            if self.open().by_id.is_empty() {
                return;
            }
            emptied.await;
        }
    }

    fn unregister(&self, state: &ConnState) {
        if state.lent.load(Ordering::Relaxed) {
            self.lent.fetch_sub(1, Ordering::Relaxed);
        }
        let mut open = self.open();
        open.by_id.remove(&state.id);
        if let Some(held) = open.by_client.get_mut(&state.client) {
            *held -= 1;
            if *held == 0 {
                open.by_client.remove(&state.client);
            }
        }
        if open.by_id.is_empty() {
            self.emptied.notify_waiters();
        }
    }
}

/// What an eviction did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Eviction {
    /// Every connection is busy (or already closing): none was evicted.
    None,
    /// The idlest was asked to close; its slot comes back when it has.
    Asked,
    /// The idlest was asked to close, and its slot is lent at once to the
    /// connection it was evicted for: the caller adds a slot, and the
    /// evicted connection, when it has closed, does not give its own back
    /// ([`ConnState::slot_was_lent`]).
    ///
    /// Why lend: a graceful close takes a round trip to the client (an
    /// HTTP/2 `GOAWAY` waits for a PING's answer), up to a second with a
    /// client that never answers, and new connections queued up behind
    /// each other waiting for one each. Lending lets the new one in at
    /// once, and `max_lent` bounds how far past the cap the connections
    /// still closing can take the server.
    Lent,
}

/// A registered connection; unregistered on drop.
pub(crate) struct Registered {
    state: Arc<ConnState>,
    connections: Arc<Connections>,
}

impl Registered {
    pub(crate) fn state(&self) -> &Arc<ConnState> {
        &self.state
    }

    pub(crate) fn connections(&self) -> &Connections {
        &self.connections
    }
}

impl Drop for Registered {
    fn drop(&mut self) {
        self.connections.unregister(&self.state);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ipv6_client_is_its_64_and_a_mapped_ipv4_is_itself() {
        let key = |s: &str| ClientKey::of(s.parse().unwrap());
        assert_eq!(key("2001:db8:1:2:aaaa::1"), key("2001:db8:1:2:bbbb::9"));
        assert_ne!(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
        assert_eq!(key("::ffff:192.0.2.7"), key("192.0.2.7"));
        assert_ne!(key("192.0.2.7"), key("192.0.2.8"));
    }

    #[tokio::test]
    async fn the_per_address_cap_counts_open_connections() {
        let connections = Connections::new(Some(2), 0);
        let ip: IpAddr = "192.0.2.7".parse().unwrap();
        let first = connections.register(ip);
        assert!(connections.admits(ip));
        let second = connections.register(ip);
        assert!(!connections.admits(ip));
        assert!(connections.admits("192.0.2.8".parse().unwrap()));
        drop(first);
        assert!(connections.admits(ip));
        drop(second);
        connections.all_closed().await;
    }

    #[test]
    fn the_longest_idle_is_evicted_and_a_busy_one_never() {
        let connections = Connections::new(None, 1);
        let ip: IpAddr = "192.0.2.7".parse().unwrap();
        let busy = connections.register(ip);
        busy.state().request_started();
        std::thread::sleep(Duration::from_millis(3));
        let older = connections.register(ip);
        std::thread::sleep(Duration::from_millis(3));
        let newer = connections.register(ip);
        assert_eq!(connections.evict_idlest(), Eviction::Lent);
        assert!(older.state().closing.load(Ordering::Relaxed));
        assert!(older.state().slot_was_lent());
        assert!(!newer.state().closing.load(Ordering::Relaxed));
        // One lent at most: the next is only asked.
        assert_eq!(connections.evict_idlest(), Eviction::Asked);
        assert!(newer.state().closing.load(Ordering::Relaxed));
        assert!(!newer.state().slot_was_lent());
        assert_eq!(
            connections.evict_idlest(),
            Eviction::None,
            "the busy one stays"
        );
        assert!(!busy.state().closing.load(Ordering::Relaxed));
        // Once the lent one has closed, another may lend.
        drop(older);
        drop(newer);
        let another = connections.register(ip);
        assert_eq!(connections.evict_idlest(), Eviction::Lent);
        drop(another);
    }
}
