//! How durable a write is when it answers, chosen per kind of write.
//!
//! A durable commit in WAL mode (`synchronous = FULL`) waits for one
//! `fsync` of the write-ahead log. On a quiet disk that is ~0.2 ms; on a
//! disk shared with other work it was 2–4 ms here, which alone holds a
//! client patching an album under 500 requests a second. So each write
//! says what its answer promises:
//!
//! - [`Durability::AtAnswer`] (`FULL`): on disk before the answer. Every
//!   write that bears on money or on who may do what: sales reports,
//!   submissions, licenses, publishing, artists and accounts,
//!   compositions, the schema and the seed.
//! - [`Durability::Soon`] (`NORMAL`): written to the operating system at
//!   the commit (a crash of the process loses nothing), on disk within
//!   [`FLUSH_WITHIN`] (the [`Flusher`] syncs the log), or sooner, with
//!   the next durable commit or checkpoint. Only edits of an album's own
//!   catalogue data: a draft created or deleted, an album's fields
//!   patched, its tracks added, patched or removed. A power cut in that
//!   window can undo such an edit (the client then finds the previous
//!   version and its `ETag`: a patch with the newer one gets 412); it
//!   never corrupts the database, nor reorders edits (the log is
//!   sequential), and a durable write after an edit makes the edit
//!   durable too.
//!
//! **Checkpoints off the request path.** SQLite copies the log back into
//! the database (a checkpoint: an `fsync` of each file) when the log
//! passes a size, inside whichever commit crossed it; on a busy disk that
//! one request waited 5–10 ms. Here the [`Flusher`]'s own connection
//! checkpoints (`PASSIVE`: it waits for nobody) shortly after commits,
//! and the writer checkpoints itself only past [`WRITER_CHECKPOINT`]
//! pages, should the flusher fall that far behind.
//!
//! `bench/README.md` has the measurements, and `docs/deployment.md` says
//! what an operator is promised.

use std::fs::File;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::Duration;

use rusqlite::Connection;

/// The longest a [`Durability::Soon`] commit stays off the disk.
pub(crate) const FLUSH_WITHIN: Duration = Duration::from_millis(100);

/// The log's size, in pages, past which the writer checkpoints in its
/// own commit (SQLite's default is 1,000; the flusher's checkpoints keep
/// the log well below this).
pub(super) const WRITER_CHECKPOINT: u32 = 10_000;

/// What a write's answer promises (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Durability {
    /// On disk before the commit returns.
    AtAnswer,
    /// On disk within [`FLUSH_WITHIN`] of the commit.
    Soon,
}

impl Durability {
    /// The write connection's `synchronous` setting for it.
    pub(super) fn synchronous(self) -> &'static str {
        match self {
            Self::AtAnswer => "FULL",
            Self::Soon => "NORMAL",
        }
    }
}

/// Syncs the write-ahead log to disk within [`FLUSH_WITHIN`] of each
/// [`Durability::Soon`] commit, and checkpoints after commits, on a
/// thread of its own that ends when this is dropped (with the pool).
#[derive(Debug)]
pub(super) struct Flusher {
    committed: Sender<()>,
}

impl Flusher {
    /// Starts the thread for the database at `database` (its log is
    /// `database` with `-wal` appended), checkpointing on `conn`.
    pub(super) fn start(database: &std::path::Path, conn: Connection) -> std::io::Result<Self> {
        let mut wal = database.as_os_str().to_owned();
        wal.push("-wal");
        let (committed, commits) = channel();
        std::thread::Builder::new()
            .name("sqlite-flush".into())
            .spawn(move || flush(&PathBuf::from(wal), &conn, &commits))?;
        Ok(Self { committed })
    }

    /// Tells the thread that a commit was made.
    pub(super) fn committed(&self) {
        // The thread only stops when this is dropped.
        let _ = self.committed.send(());
    }
}

fn flush(wal: &PathBuf, conn: &Connection, commits: &Receiver<()>) {
    while commits.recv().is_ok() {
        std::thread::sleep(FLUSH_WITHIN / 2);
        // Commits told of until now are in the log's pages: one
        // checkpoint and one sync cover them all.
        while commits.try_recv().is_ok() {}
        // A checkpoint syncs the log before it copies it back, but copies
        // (and syncs) nothing past a reader's snapshot: the log is synced
        // after it either way (at no cost when it is already on disk).
        let checkpoint = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
        if let Err(e) = checkpoint {
            tracing::warn!("checkpoint of {} failed: {e}", wal.display());
        }
        if let Err(e) = File::open(wal).and_then(|log| log.sync_data()) {
            tracing::error!("cannot sync the write-ahead log {}: {e}", wal.display());
        }
    }
}
