//! The server's limits: safe by default, every one configurable.
//!
//! The defaults are in the crate docs (`limits.md`, the same table as the
//! guide's). The connection-level ones (timeouts, caps, backlog, lingering
//! close) are the [`Server`](crate::Server)'s; the request-level ones (body
//! size, request timeout, depth) are the [`PaleService`](crate::PaleService)'s,
//! so they hold wherever it is served.

use std::time::Duration;

/// Limits on what one client can make the server do.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct Limits {
    /// The largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// How long a client may take to send its request headers; on HTTP/2,
    /// to complete its first stream's headers.
    pub header_read_timeout: Duration,
    /// How long a connection may stay open with no request in flight.
    pub idle_timeout: Duration,
    /// How long one request may take, body and handler included.
    pub request_timeout: Duration,
    /// How many connections are served at once; at the cap, the
    /// longest-idle connection gives way to a new one.
    pub max_connections: usize,
    /// How many connections one client address may hold at once (an IPv6
    /// address counts as its /64); `None`: no cap, as behind a proxy.
    pub max_connections_per_ip: Option<usize>,
    /// How many HTTP/2 streams one connection may have open at once.
    pub max_streams_per_connection: u32,
    /// The listen backlog: connections the kernel queues before they are
    /// accepted.
    pub listen_backlog: u32,
    /// How long the rest of an unread request body is read and discarded
    /// before an HTTP/1.1 connection is closed.
    pub linger_time: Duration,
    /// How many bytes of an unread request body are read and discarded
    /// before an HTTP/1.1 connection is closed.
    pub linger_bytes: usize,
    /// How deeply JSON and XML bodies may nest.
    pub max_depth: usize,
    /// How long in-flight requests may run on after a shutdown signal.
    pub shutdown_grace: Duration,
    /// Failed authentications one client address may make: `count` per
    /// `window`, then requests with credentials are 429 until the budget
    /// refills (`None`: not limited).
    pub failed_authentications: Option<(u32, Duration)>,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_body_bytes: 1024 * 1024,
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(30),
            request_timeout: Duration::from_secs(30),
            max_connections: 1024,
            max_connections_per_ip: Some(128),
            max_streams_per_connection: 128,
            listen_backlog: 4096,
            linger_time: Duration::from_secs(5),
            linger_bytes: 4 * 1024 * 1024,
            max_depth: 32,
            shutdown_grace: Duration::from_secs(30),
            failed_authentications: Some((10, Duration::from_secs(10))),
        }
    }
}

impl Limits {
    /// Sets how many failed authentications (`App::authenticate` answering
    /// 401) one client address may make per `window` before requests from
    /// it with credentials are answered 429; `None` turns it off.
    #[must_use]
    pub fn failed_authentications(mut self, limit: Option<(u32, Duration)>) -> Self {
        self.failed_authentications = limit;
        self
    }

    /// Sets the largest request body, in bytes.
    #[must_use]
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body_bytes = bytes;
        self
    }

    /// Sets the header read timeout.
    #[must_use]
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.header_read_timeout = timeout;
        self
    }

    /// Sets the whole-request timeout.
    #[must_use]
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// Sets the connection cap.
    #[must_use]
    pub fn max_connections(mut self, connections: usize) -> Self {
        self.max_connections = connections.max(1);
        self
    }

    /// Sets the idle timeout.
    #[must_use]
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = timeout;
        self
    }

    /// Sets the cap on connections per client address, or turns it off
    /// with `None` (behind a reverse proxy, every connection is the
    /// proxy's).
    #[must_use]
    pub fn max_connections_per_ip(mut self, connections: Option<usize>) -> Self {
        self.max_connections_per_ip = connections.map(|n| n.max(1));
        self
    }

    /// Sets the cap on concurrent HTTP/2 streams per connection.
    #[must_use]
    pub fn max_streams_per_connection(mut self, streams: u32) -> Self {
        self.max_streams_per_connection = streams.max(1);
        self
    }

    /// Sets the listen backlog.
    #[must_use]
    pub fn listen_backlog(mut self, backlog: u32) -> Self {
        self.listen_backlog = backlog.max(1);
        self
    }

    /// Sets how long, and how many bytes of, an unread request body are
    /// read and discarded before an HTTP/1.1 connection is closed; a zero
    /// time or size closes at once.
    #[must_use]
    pub fn lingering_close(mut self, time: Duration, bytes: usize) -> Self {
        self.linger_time = time;
        self.linger_bytes = bytes;
        self
    }

    /// Sets the nesting depth of bodies.
    #[must_use]
    pub fn max_depth(mut self, depth: usize) -> Self {
        self.max_depth = depth;
        self
    }

    /// Sets the shutdown grace period.
    #[must_use]
    pub fn shutdown_grace(mut self, grace: Duration) -> Self {
        self.shutdown_grace = grace;
        self
    }
}

#[cfg(test)]
mod tests {
    /// The guide's table is the crate docs' table.
    #[test]
    fn the_guide_has_the_same_limits_table() {
        let guide = include_str!("../../docs/serving.md");
        assert!(guide.contains(include_str!("limits.md")));
    }
}
