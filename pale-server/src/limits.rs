//! The server's limits: safe by default, every one configurable.
//!
//! The defaults (also in the crate docs):
//!
//! | limit | default | when exceeded |
//! |---|---|---|
//! | request body size | 1 MiB | 413, before or while reading (chunked bodies too) |
//! | header read timeout | 10 s | the connection is closed (slowloris) |
//! | whole-request timeout | 30 s | 503 problem |
//! | concurrent connections | 1024 | new connections wait for a free slot |
//! | JSON/XML nesting depth | 32 | 400 problem |
//! | graceful shutdown grace period | 30 s | remaining connections are dropped |

use std::time::Duration;

/// Limits on what one client can make the server do.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct Limits {
    /// The largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// How long a client may take to send its request headers.
    pub header_read_timeout: Duration,
    /// How long one request may take, body and handler included.
    pub request_timeout: Duration,
    /// How many connections are served at once.
    pub max_connections: usize,
    /// How deeply JSON and XML bodies may nest.
    pub max_depth: usize,
    /// How long in-flight requests may run on after a shutdown signal.
    pub shutdown_grace: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_body_bytes: 1024 * 1024,
            header_read_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            max_connections: 1024,
            max_depth: 32,
            shutdown_grace: Duration::from_secs(30),
        }
    }
}

impl Limits {
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
