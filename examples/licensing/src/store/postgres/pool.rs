//! The two pools of connections an instance lends: one for everything,
//! one for catalogue edits, and when a lent connection is checked.
//!
//! **Checking a connection.** sqlx pings a connection (a `Sync` round
//! trip) when it goes back to its pool, and by default again before it
//! lends it (`test_before_acquire`). The second ping was a round trip on
//! the critical path of every statement: an album patch, three statements
//! (the token, the page, the write), waited for six round trips. A
//! connection that answered its release ping a moment ago is alive, so
//! here it is lent without another; one idle for longer than
//! [`PING_AFTER_IDLE`] is pinged first (a restarted or failed-over
//! server, a connection cut by a firewall while idle), and replaced if
//! the ping fails. What is lost: a server that drops its connections in
//! the second after they were returned fails the next statement on each
//! of them once (an `Internal` error, a 500 to that request), instead of
//! a reconnect; sqlx then closes the broken connection.
//!
//! **Edits.** Catalogue edits (an album's fields, its tracks, a draft
//! created or deleted) run on the second, smaller pool, whose sessions
//! have `synchronous_commit = off` ([`edits`]).

use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::{Connection, PgConnection};

use crate::store::{Result, StoreError};

/// A connection idle for longer than this is pinged before it is lent.
pub(super) const PING_AFTER_IDLE: Duration = Duration::from_secs(1);

/// A pool of at most `connections`, whose connections are checked as the
/// module docs say.
pub(super) fn options(connections: u32) -> PgPoolOptions {
    PgPoolOptions::new()
        .max_connections(connections)
        .test_before_acquire(false)
        .before_acquire(|conn: &mut PgConnection, meta| {
            Box::pin(async move {
                if meta.idle_for > PING_AFTER_IDLE {
                    conn.ping().await?;
                }
                Ok(true)
            })
        })
}

/// How many of `connections` serve catalogue edits: a quarter, at least
/// one (`connections` is at least two).
pub(super) fn edit_connections(connections: u32) -> u32 {
    (connections / 4).max(1)
}

/// The pool for catalogue edits: sessions with `synchronous_commit = off`,
/// so an edit's commit answers before it reaches the disk (up to three
/// times `wal_writer_delay`, 600 ms by default, after it: a crash of the
/// database server in that window undoes the edit, never half of it, nor
/// one edit before an earlier one). Only edits of an album's catalogue
/// data run here, never a write that bears on money or on who may do what
/// (`docs/deployment.md`); their commits wait for the disk as always. A
/// setting of the session, not of each transaction (`SET LOCAL`), so an
/// edit is one statement, one round trip, like the durable write it
/// replaces. Connected lazily: an instance that edits nothing opens none.
pub(super) fn edits(url: &str, connections: u32) -> Result<PgPool> {
    let connect: PgConnectOptions = url
        .parse()
        .map_err(|e| StoreError::Internal(format!("connecting to PostgreSQL: {e}")))?;
    Ok(options(connections).connect_lazy_with(connect.options([("synchronous_commit", "off")])))
}
