//! The warning a limit logs when it cuts a client off, throttled.
//!
//! An operator must learn that a limit is turning clients away (an attack,
//! or a limit set too low for the traffic): silently refused connections
//! were how a locked-out server looked healthy. But the clients a limit
//! cuts off come by the thousand under attack, and a line each would flood
//! the log and cost more than the connection: each limit logs at most one
//! line per [`WINDOW`], counting the ones in between.

use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// At most one line per limit in this long.
const WINDOW: Duration = Duration::from_secs(10);

/// One limit's cut-offs, counted and logged.
pub(crate) struct Cutoff {
    /// The limit's name in the `limit` field of the log line.
    limit: &'static str,
    /// What happened to the client, the log line's message.
    what: &'static str,
    /// Cut-offs since the last line.
    count: AtomicU64,
    /// When the next line may be written, in milliseconds since `epoch`.
    next_line: AtomicU64,
    epoch: Instant,
}

impl Cutoff {
    pub(crate) fn new(limit: &'static str, what: &'static str) -> Self {
        Self {
            limit,
            what,
            count: AtomicU64::new(0),
            next_line: AtomicU64::new(0),
            epoch: Instant::now(),
        }
    }

    /// Counts one client cut off, and logs the count when the last line is
    /// old enough.
    pub(crate) fn hit(&self, peer: IpAddr) {
        self.count.fetch_add(1, Ordering::Relaxed);
        let now = self.epoch.elapsed().as_millis() as u64;
        let next = self.next_line.load(Ordering::Relaxed);
        let window = WINDOW.as_millis() as u64;
        if now < next
            || self
                .next_line
                .compare_exchange(next, now + window, Ordering::Relaxed, Ordering::Relaxed)
                .is_err()
        {
            return;
        }
        let connections = self.count.swap(0, Ordering::Relaxed);
        tracing::warn!(
            limit = self.limit,
            %peer,
            connections,
            "{} ({connections} since the last such line)",
            self.what
        );
    }
}

/// The limits that cut clients off.
pub(crate) struct Cutoffs {
    /// The connection cap: an idle connection closed for a new one.
    pub(crate) cap: Cutoff,
    /// The per-address cap: a new connection refused.
    pub(crate) per_ip: Cutoff,
    /// The header read timeout: a connection that sent no request.
    pub(crate) first_request: Cutoff,
}

impl Cutoffs {
    pub(crate) fn new() -> Self {
        Self {
            cap: Cutoff::new(
                "max_connections",
                "connection cap reached: closed the longest-idle connection for a new one",
            ),
            per_ip: Cutoff::new(
                "max_connections_per_ip",
                "too many connections from one address: refused a new one",
            ),
            first_request: Cutoff::new(
                "header_read_timeout",
                "no request within the header read timeout: closed the connection",
            ),
        }
    }
}
