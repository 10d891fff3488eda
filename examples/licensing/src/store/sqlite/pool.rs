//! Connections: one writer, a few readers.
//!
//! SQLite allows one writer at a time per database; in WAL mode readers
//! proceed alongside it, each on its own snapshot. The pool mirrors that:
//!
//! - **One write connection behind a mutex.** Writers queue on the mutex
//!   (in the blocking pool, never on executor threads) rather than inside
//!   SQLite, so they never see `SQLITE_BUSY` from each other; each write
//!   opens `BEGIN IMMEDIATE`, taking the write lock at the start instead of
//!   upgrading a read lock halfway (the upgrade is what fails with
//!   "database is locked" under contention). The busy timeout remains for
//!   other processes (a backup, the `sqlite3` shell).
//! - **Several read connections** (`query_only`) handed out from a stack;
//!   a reader waits on a condition variable when all are busy. Each read
//!   runs in a deferred transaction, so its queries see one snapshot.
//!
//! - **A watcher connection** that notices commits made by other
//!   processes (or any connection outside the pool) on the same file:
//!   SQLite's `PRAGMA data_version` changes on a connection whenever
//!   another connection commits. The read cache asks it before serving a
//!   kept page ([`Pool::notice_outside_writes`]), so a second process on
//!   the same data directory never makes this one serve a stale album.
//!   The watcher sees the pool's own commits too; a write tells it of its
//!   own ([`Pool::write`]) unless someone else committed around it, so
//!   the caches forget only what the pool's writes changed (by key), and
//!   everything for a write from outside.
//!
//! Every connection has the same pragmas: WAL (a property of the file),
//! `synchronous = FULL` (every commit is durable at once; this database
//! holds money), `foreign_keys = ON`, a busy timeout, and a statement
//! cache sized for the store's queries (`prepare_cached`). The writer
//! sets `synchronous` per write, to what the write's answer promises
//! (`durability`: catalogue edits are on disk within 100 ms, everything
//! else at once).

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

use super::durability::{Durability, Flusher, WRITER_CHECKPOINT};
use crate::store::Result;

/// Prepared statements kept per connection; the store has fewer queries.
const STATEMENT_CACHE: usize = 64;

/// The store's connections.
#[derive(Debug)]
pub(super) struct Pool {
    writer: Mutex<Writer>,
    flusher: Flusher,
    /// Sees commits from other connections (`data_version`), and the last
    /// value it read.
    watcher: Mutex<(Connection, i64)>,
    readers: Mutex<Vec<Connection>>,
    returned: Condvar,
    /// Writes committed so far (what the read cache is checked against).
    generation: AtomicU64,
}

/// The write connection and what it knows.
#[derive(Debug)]
struct Writer {
    conn: Connection,
    /// The last `data_version` it read (which its own commits leave
    /// alone, and others' move).
    written: i64,
    /// Its `synchronous` setting now.
    durability: Durability,
}

/// Opens a connection to `path` with the store's pragmas.
pub(super) fn connect(path: &Path, busy_timeout: Duration, read_only: bool) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(busy_timeout)?;
    // `journal_mode` answers with the mode now in force.
    let mode: String =
        conn.pragma_update_and_check(None, "journal_mode", "wal", |row| row.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(crate::store::StoreError::Internal(format!(
            "the database refused WAL mode (it is in {mode} mode)"
        )));
    }
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    if read_only {
        conn.pragma_update(None, "query_only", "ON")?;
    }
    // Without the query planner stability guarantee SQLite recompiles a
    // cached statement whenever a bound value might change its plan (any
    // `LIKE ?`, or a parameter compared to an indexed column once
    // `ANALYZE` has run): 74% of the instructions of `GET /albums/{id}`
    // went to recompiling. One plan per statement is what a statement
    // cache is for.
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    Ok(conn)
}

impl Pool {
    /// A pool of an already migrated `writer` and `readers` of the
    /// database at `path`, with `watcher` to notice commits from outside
    /// it and `flusher` (a write connection) to checkpoint.
    pub(super) fn new(
        path: &Path,
        writer: Connection,
        readers: Vec<Connection>,
        watcher: Connection,
        flusher: Connection,
    ) -> Result<Self> {
        let seen = data_version(&watcher)?;
        let written = data_version(&writer)?;
        writer.pragma_update(None, "wal_autocheckpoint", WRITER_CHECKPOINT)?;
        Ok(Self {
            writer: Mutex::new(Writer {
                conn: writer,
                written,
                durability: Durability::AtAnswer,
            }),
            flusher: Flusher::start(path, flusher)?,
            watcher: Mutex::new((watcher, seen)),
            readers: Mutex::new(readers),
            returned: Condvar::new(),
            generation: AtomicU64::new(0),
        })
    }

    /// How many writes have committed: a read that starts and ends under
    /// the same count saw no write commit meanwhile.
    pub(super) fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Counts a write committed outside [`Pool::write`]; gives the new
    /// count.
    pub(super) fn count_write(&self) -> u64 {
        self.generation.fetch_add(1, Ordering::SeqCst) + 1
    }

    /// Counts a write if any connection outside the pool (another process,
    /// the `sqlite3` shell) committed since the last call, and calls
    /// `outside` with the new count (to forget every kept read) before any
    /// other call returns: every commit that returned before this call is
    /// counted, and forgotten, when it returns.
    ///
    /// `PRAGMA data_version` reads the write-ahead log's shared index, not
    /// the disk, so this is cheap enough to run before every cached read.
    /// The pool's own writes move it too; [`Pool::write`] tells the
    /// watcher of them, so they are not taken for a write from outside.
    pub(super) fn notice_outside_writes(&self, outside: impl FnOnce(u64)) -> Result<()> {
        let mut watcher = self.watcher.lock().unwrap_or_else(PoisonError::into_inner);
        let now = data_version(&watcher.0)?;
        if now != watcher.1 {
            watcher.1 = now;
            outside(self.count_write());
        }
        Ok(())
    }

    /// Runs `f` in a `BEGIN IMMEDIATE` transaction on the write connection,
    /// committing if it succeeds and rolling back if it fails (or panics),
    /// as durable as `durability` says. Gives `f`'s value and the write
    /// count after the commit, which the caller tells its caches with what
    /// it changed.
    pub(super) fn write<T>(
        &self,
        durability: Durability,
        f: impl FnOnce(&Transaction<'_>) -> Result<T>,
    ) -> Result<(T, u64)> {
        // A panic while holding the lock rolled its transaction back when
        // the transaction dropped, so the connection is fine to reuse.
        let mut writer = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        let Writer {
            conn,
            written,
            durability: now,
        } = &mut *writer;
        if *now != durability {
            conn.pragma_update(None, "synchronous", durability.synchronous())?;
            *now = durability;
        }
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        self.flusher.committed();
        // Counted after the commit and before returning: the caller's next
        // read, and anyone's read that starts later, runs under the new count.
        let generation = self.count_write();
        self.own_commit_seen(conn, written)?;
        Ok((value, generation))
    }

    /// Tells the watcher that the `data_version` it now reads includes
    /// the writer's commit, if no other connection committed since the
    /// writer last looked (the writer's own `data_version` says: its own
    /// commits do not move it). Read in that order, a commit from outside
    /// before the watcher's read moves the writer's too, and is then left
    /// for [`Pool::notice_outside_writes`] to find.
    fn own_commit_seen(&self, writer: &Connection, written: &mut i64) -> Result<()> {
        let mut watcher = self.watcher.lock().unwrap_or_else(PoisonError::into_inner);
        let seen = data_version(&watcher.0)?;
        let now = data_version(writer)?;
        if now == *written {
            watcher.1 = seen;
        }
        *written = now;
        Ok(())
    }

    /// Runs `f` in a deferred (snapshot) transaction on a read connection,
    /// waiting for one if all are in use.
    pub(super) fn read<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let reader = self.checkout();
        let tx = reader.conn().unchecked_transaction()?;
        // Dropping a read transaction rolls it back, which is all it needs.
        f(&tx)
    }

    fn checkout(&self) -> Reader<'_> {
        let mut free = self.lock_readers();
        loop {
            if let Some(conn) = free.pop() {
                return Reader {
                    pool: self,
                    conn: Some(conn),
                };
            }
            free = self
                .returned
                .wait(free)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    fn lock_readers(&self) -> MutexGuard<'_, Vec<Connection>> {
        self.readers.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The connection's `data_version`: it differs from the last value read
/// on the same connection if another connection has committed since.
fn data_version(conn: &Connection) -> Result<i64> {
    Ok(conn
        .prepare_cached("PRAGMA data_version")?
        .query_row([], |row| row.get(0))?)
}

/// A read connection on loan; it goes back to the pool when dropped.
struct Reader<'a> {
    pool: &'a Pool,
    conn: Option<Connection>,
}

impl Reader<'_> {
    fn conn(&self) -> &Connection {
        // `conn` is only `None` inside `drop`.
        self.conn.as_ref().expect("a loaned connection")
    }
}

impl Drop for Reader<'_> {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            self.pool.lock_readers().push(conn);
            self.pool.returned.notify_one();
        }
    }
}
