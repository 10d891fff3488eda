//! An opt-in read cache for PostgreSQL: album pages and token lookups kept
//! in memory until a change to them is committed by any instance, as
//! PostgreSQL tells every listening instance with `LISTEN/NOTIFY`.
//!
//! **Why it is off by default.** Without it every read asks the database,
//! which all instances share: no instance can serve what another has
//! changed, ever. With it, a read served from memory is as fresh as the
//! last notification this instance has *received*. PostgreSQL sends a
//! transaction's notification when the transaction commits, but it reaches
//! another instance a moment later (typically well under a millisecond on
//! one network, longer under load): a request that reaches instance B in
//! that moment, after a write through instance A has answered, may be
//! served the page as it was. Writes are never affected: versions and
//! `If-Match` are checked inside the database statement, so a stale `ETag`
//! is refused (412), however it was obtained. And this instance's own
//! writes show in its very next read (it forgets what they changed
//! itself, after their commit). Switch it on (`PgConfig::read_cache`,
//! `licensing serve --read-cache`) when that moment is acceptable for the
//! reads it speeds up; `bench/README.md` has what it buys.
//!
//! **How.** Triggers on every table (migrations 2 and 9) raise
//! `pg_notify('licensing_changes', …)` for each statement that changes
//! it, so any committed change notifies, whoever made it (another
//! instance, an operator in `psql`). The payload says what changed
//! ([`changed_by`]): `album 3,17` for the album-scoped tables (albums,
//! tracks, licenses, sales and their totals), so only those pages are
//! forgotten; an empty payload (any other table, a `TRUNCATE`, a
//! statement past a hundred albums) for everything. Since migration 11 an
//! album payload also names its transaction (`album 3,17 in 8812`), so
//! this instance can skip the notifications of its own writes, which it
//! counted as they answered (`own_writes`). A task per store holds
//! one listening connection (taken from the pool) and counts each
//! notification as a write ([`read_cache`](super::super::read_cache)
//! explains the count). While the listening connection is down, or not
//! yet up, the cache is bypassed: notifications may be missed, so nothing
//! kept is trusted; when it is back, everything is forgotten, so nothing
//! read before is served. The task ends when the last clone of the store
//! is dropped.

use std::future::Future;
use std::hash::Hash;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use sqlx::PgPool;
use sqlx::postgres::PgListener;
use tokio::sync::oneshot;

use super::super::read_cache::{Changed, ReadCache, in_order, missing};
use super::own_writes::OwnWrites;
use crate::store::{Account, AlbumDetail, Result};

/// The channel the change trigger notifies on (migration 2).
const CHANNEL: &str = "licensing_changes";

/// The longest wait between two attempts to listen again.
const MAX_RETRY: Duration = Duration::from_secs(5);

/// What the store keeps, and how many changes it has learned of.
#[derive(Debug, Default)]
pub(super) struct SharedCache {
    /// Album pages, whoever may see them.
    pub(super) albums: ReadCache<i64, Arc<AlbumDetail>>,
    /// Accounts by token digest, and digests of no account.
    pub(super) accounts: ReadCache<[u8; 32], Option<Account>>,
    /// This instance's own writes whose notifications are skipped.
    pub(super) own_writes: OwnWrites,
    generation: AtomicU64,
    listening: AtomicBool,
}

impl SharedCache {
    /// The count of changes learned of so far, or `None` while changes
    /// may go unnoticed (the cache must be bypassed).
    pub(super) fn generation(&self) -> Option<u64> {
        // Read `listening` first: a drop of the connection counts a change
        // before it clears the flag, so a generation read after a `true`
        // here is at least as new as the last notification received.
        self.listening
            .load(Ordering::SeqCst)
            .then(|| self.generation.load(Ordering::SeqCst))
    }

    /// Counts a committed change and forgets what it changed; gives the
    /// new count.
    pub(super) fn changed(&self, changed: &Changed) -> u64 {
        let generation = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
        self.albums.forget(changed.albums(), generation);
        self.accounts.forget(changed.accounts(), generation);
        generation
    }

    /// Counts what a notification's `payload` says was changed, unless it
    /// is a write of this instance's own that counted itself
    /// ([`OwnWrites`]).
    fn notified(&self, payload: &str) {
        let (changed, transaction) = changed_by(payload);
        if let (Some(transaction), Changed::Albums(ids)) = (transaction, &changed)
            && let [album_id] = ids[..]
            && self.own_writes.take(transaction, album_id)
        {
            return;
        }
        self.changed(&changed);
    }

    fn listening(&self, listening: bool) {
        self.changed(&Changed::All);
        self.listening.store(listening, Ordering::SeqCst);
    }
}

/// What a notification's payload says was changed, and by which
/// transaction: `album `, the album ids, comma-separated, and ` in ` and
/// the transaction (the album-scoped tables' triggers, migrations 7 and
/// 11; the transaction is absent before 11), or anything else (empty:
/// every other change) for everything. A payload this release cannot read
/// is everything too.
pub(super) fn changed_by(payload: &str) -> (Changed, Option<i64>) {
    let Some(rest) = payload.strip_prefix("album ") else {
        return (Changed::All, None);
    };
    let (ids, transaction) = match rest.split_once(" in ") {
        Some((ids, transaction)) => match transaction.parse() {
            Ok(transaction) => (ids, Some(transaction)),
            Err(_) => return (Changed::All, None),
        },
        None => (rest, None),
    };
    let ids = ids
        .split(',')
        .map(str::parse)
        .collect::<std::result::Result<Vec<i64>, _>>();
    match ids {
        Ok(ids) => (Changed::Albums(ids), transaction),
        Err(_) => (Changed::All, None),
    }
}

/// `load`'s answer for `key`: from `map` if no change was learned of since
/// it was read, otherwise loaded (and kept if no change is learned of
/// meanwhile). With the listening connection down, always loaded.
pub(super) async fn through<K, V>(
    cache: &SharedCache,
    map: &ReadCache<K, V>,
    key: K,
    load: impl Future<Output = Result<V>>,
) -> Result<V>
where
    K: Eq + Hash,
    V: Clone,
{
    let Some(read_under) = cache.generation() else {
        return load.await;
    };
    if let Some(value) = map.get(&key) {
        return Ok(value);
    }
    let value = load.await?;
    if let Some(now) = cache.generation() {
        map.put(key, value.clone(), read_under, now);
    }
    Ok(value)
}

/// The values of `keys`, in their order: those kept from `map`, the rest
/// loaded together by one call of `load` (which may leave out keys that
/// no longer exist) and kept as [`through`] keeps one.
pub(super) async fn through_many<K, V, F, Fut>(
    cache: &SharedCache,
    map: &ReadCache<K, V>,
    keys: Vec<K>,
    load: F,
) -> Result<Vec<V>>
where
    K: Eq + Hash + Clone,
    V: Clone,
    F: FnOnce(Vec<K>) -> Fut,
    Fut: Future<Output = Result<Vec<(K, V)>>>,
{
    let Some(read_under) = cache.generation() else {
        let loaded = load(keys.clone()).await?;
        return Ok(in_order(&keys, Vec::new(), loaded));
    };
    let kept = map.get_many(&keys);
    let missing = missing(&keys, &kept);
    let loaded = if missing.is_empty() {
        Vec::new()
    } else {
        load(missing).await?
    };
    if let Some(now) = cache.generation() {
        for (key, value) in &loaded {
            map.put(key.clone(), value.clone(), read_under, now);
        }
    }
    Ok(in_order(&keys, kept, loaded))
}

/// Keeps the listening task alive; dropping it (with the last clone of
/// the store) ends the task.
#[derive(Debug)]
pub(super) struct Listening {
    pub(super) cache: Arc<SharedCache>,
    _stop: oneshot::Sender<()>,
}

/// Starts listening for changes on a connection of `pool`; the cache is
/// used from the moment the first `LISTEN` has taken effect.
pub(super) fn start(pool: PgPool) -> Listening {
    let cache = Arc::new(SharedCache::default());
    let (stop, stopped) = oneshot::channel();
    tokio::spawn(listen(pool, Arc::clone(&cache), stopped));
    Listening { cache, _stop: stop }
}

async fn listen(pool: PgPool, cache: Arc<SharedCache>, mut stopped: oneshot::Receiver<()>) {
    loop {
        let mut listener = tokio::select! {
            _ = &mut stopped => return,
            listener = subscribe(&pool) => listener,
        };
        cache.listening(true);
        loop {
            tokio::select! {
                _ = &mut stopped => return,
                note = listener.try_recv() => match note {
                    Ok(Some(note)) => cache.notified(note.payload()),
                    Ok(None) | Err(_) => break,
                },
            }
        }
        cache.listening(false);
        tracing::warn!("change notifications lost: the read cache is off until they resume");
    }
}

/// A connection listening on [`CHANNEL`], retried until there is one.
async fn subscribe(pool: &PgPool) -> PgListener {
    let mut wait = Duration::from_millis(100);
    loop {
        let attempt = async {
            let mut listener = PgListener::connect_with(pool).await?;
            listener.listen(CHANNEL).await?;
            Ok::<_, sqlx::Error>(listener)
        };
        match attempt.await {
            Ok(listener) => return listener,
            Err(e) => {
                tracing::warn!("cannot listen for changes ({e}); retrying in {wait:?}");
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(MAX_RETRY);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_is_bypassed_until_listening_and_forgets_on_every_change() {
        let cache = SharedCache::default();
        assert_eq!(cache.generation(), None);
        cache.listening(true);
        let first = cache.generation().expect("listening");
        cache.changed(&Changed::album(1));
        assert!(cache.generation().expect("listening") > first);
        let before = cache.generation();
        cache.listening(false);
        assert_eq!(cache.generation(), None);
        cache.listening(true);
        assert!(cache.generation() > before);
    }

    #[test]
    fn an_album_change_leaves_the_accounts_and_any_other_change_forgets_them() {
        let cache = SharedCache::default();
        cache.listening(true);
        let now = cache.generation().expect("listening");
        cache.accounts.put([0; 32], None, now, now);
        cache.notified("album 1,5 in 40");
        assert_eq!(cache.accounts.get(&[0; 32]), Some(None));
        cache.notified("");
        assert_eq!(cache.accounts.get(&[0; 32]), None);
    }

    #[test]
    fn payloads_read_as_albums_or_everything() {
        assert_eq!(changed_by("album 7"), (Changed::album(7), None));
        assert_eq!(
            changed_by("album 1,22,333"),
            (Changed::Albums(vec![1, 22, 333]), None)
        );
        assert_eq!(changed_by("album 7 in 912"), (Changed::album(7), Some(912)));
        assert_eq!(
            changed_by("album 1,22 in 5"),
            (Changed::Albums(vec![1, 22]), Some(5))
        );
        for payload in [
            "",
            "album ",
            "album 1,x",
            "albums 1",
            "tracks 1",
            "album 1 in",
            "album 1 in x",
            "album in 5",
        ] {
            assert_eq!(changed_by(payload), (Changed::All, None), "{payload:?}");
        }
    }

    #[test]
    fn an_own_write_is_counted_once() {
        let cache = SharedCache::default();
        cache.listening(true);
        let written = cache.changed(&Changed::album(3));
        cache.own_writes.record(77, 3);
        cache.notified("album 3 in 77");
        assert_eq!(
            cache.generation(),
            Some(written),
            "its notification skipped"
        );
        cache.notified("album 3 in 77");
        assert_eq!(cache.generation(), Some(written + 1), "a repeat counted");
        cache.own_writes.record(78, 3);
        cache.notified("album 3,4 in 78");
        assert_eq!(cache.generation(), Some(written + 2), "more than it wrote");
        cache.notified("album 3 in 79");
        assert_eq!(cache.generation(), Some(written + 3), "another transaction");
    }
}
