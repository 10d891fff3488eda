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
//!
//! **No JIT.** Every session has `jit = off` ([`session`]). PostgreSQL
//! compiles a statement whose plan it costs above `jit_above_cost`, and
//! a plan made for any value of a prepared statement's parameters is
//! costed for the worst: a list's generic plan costed for a million
//! albums was compiled for about 200 ms, and the composition list's
//! deepest page, before it read its ids first, spent 6.6 ms of its 185
//! compiling. The service's statements read
//! a page or a few rows through an index, which compiling never pays
//! back; `licensing check`, the one statement that reads whole tables,
//! took as long without it (8.3–9.2 s at 10M sales lines, either way).

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

/// The connection options of every session of the service: `url`'s, and
/// no JIT (see the module docs).
pub(super) fn session(url: &str) -> Result<PgConnectOptions> {
    let connect: PgConnectOptions = url
        .parse()
        .map_err(|e| StoreError::Internal(format!("connecting to PostgreSQL: {e}")))?;
    Ok(connect.options([("jit", "off")]))
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
    let connect = session(url)?.options([("synchronous_commit", "off")]);
    Ok(options(connections).connect_lazy_with(connect))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_session_has_no_jit_and_keeps_the_urls_options() {
        let plain = session("postgres://u@localhost/db").unwrap();
        assert_eq!(plain.get_options(), Some("-c jit=off"));
        let given = session("postgres://u@localhost/db?options=-c%20work_mem%3D8MB").unwrap();
        assert_eq!(given.get_options(), Some("-c work_mem=8MB -c jit=off"));
        assert!(session("not a url").is_err());
    }
}
