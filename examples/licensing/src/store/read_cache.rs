//! Reads kept in memory between writes: album pages and token lookups,
//! for either engine.
//!
//! An album page takes a dozen rows from several tables, and every
//! signed-in request looks its token up; both are read far more often than
//! anything is written. So an engine may keep what it has read, and forget
//! what a write changes when the write commits: the entries it names
//! ([`Changed`]: the album pages of the albums it wrote), or everything
//! when it cannot say (an account, the catalogue, a change made outside
//! the service).
//!
//! **Why it cannot serve a stale read.** The engine counts committed
//! writes (its *generation*), bumping the count after each commit it
//! learns of, and then tells each cache what the write changed
//! ([`ReadCache::forget`]), which removes those entries and remembers the
//! count. A read notes the count *before* it starts, and its result is
//! kept only if the count has not moved when it finishes, nor has the
//! cache been told of a later write: a write that committed meanwhile may
//! or may not be in the result, so the result is dropped. A result put
//! just before a write's `forget` is removed by it. So once a write's
//! `forget` has run (before the write answers), no read returns what it
//! changed. How complete the count is is each engine's business: SQLite
//! counts its own writes and asks the file for everyone else's
//! (`sqlite::pool`); PostgreSQL, when the cache is switched on, counts its
//! own and those other instances announce, with the keys they changed
//! (`postgres::shared_cache`).
//!
//! **What it holds.** Results as every viewer would have them: who may see
//! an album is decided after the lookup (`Viewer::may_see`), and which
//! fields a viewer gets when the page renders. At most [`CAPACITY`]
//! entries per cache; past that it starts again empty, which bounds memory
//! (a flood of made-up tokens included) without bookkeeping on every hit.
//! Hits are counted ([`ReadCache::hits`]), so a test (and an operator) can
//! tell a page served from memory from one read again.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// The most entries a cache keeps at once.
pub(crate) const CAPACITY: usize = 1024;

/// What a committed write changed, as the caches see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Changed {
    /// Anything: every entry of every cache goes.
    All,
    /// The pages of these albums (their rows, tracks, licenses or sales)
    /// and nothing an account lookup reads.
    Albums(Vec<i64>),
}

impl Changed {
    /// One album's page.
    pub(crate) fn album(album_id: i64) -> Self {
        Self::Albums(vec![album_id])
    }

    /// What `changed` means for a cache of album pages: `None` for all of
    /// them, else the keys to forget.
    pub(crate) fn albums(&self) -> Option<&[i64]> {
        match self {
            Self::All => None,
            Self::Albums(ids) => Some(ids),
        }
    }

    /// What `changed` means for a cache of account lookups: `None` for
    /// all of them, else the keys to forget (an album write changes none).
    pub(crate) fn accounts<K>(&self) -> Option<&[K]> {
        match self {
            Self::All => None,
            Self::Albums(_) => Some(&[]),
        }
    }
}

/// Values read since the writes that changed them, by key.
#[derive(Debug)]
pub(crate) struct ReadCache<K, V> {
    state: Mutex<State<K, V>>,
    hits: AtomicU64,
}

#[derive(Debug)]
struct State<K, V> {
    /// The newest write count this cache has been told of.
    generation: u64,
    entries: HashMap<K, V>,
}

impl<K, V> Default for ReadCache<K, V> {
    fn default() -> Self {
        Self {
            state: Mutex::new(State {
                generation: 0,
                entries: HashMap::new(),
            }),
            hits: AtomicU64::new(0),
        }
    }
}

impl<K: Eq + Hash, V: Clone> ReadCache<K, V> {
    /// The value of `key`, if kept.
    pub(crate) fn get(&self, key: &K) -> Option<V> {
        let value = self.lock().entries.get(key).cloned();
        if value.is_some() {
            self.hits.fetch_add(1, Ordering::Relaxed);
        }
        value
    }

    /// The values of `keys`, in the order of `keys`: `None` for each key
    /// not kept.
    pub(crate) fn get_many(&self, keys: &[K]) -> Vec<Option<V>> {
        let state = self.lock();
        let values: Vec<Option<V>> = keys
            .iter()
            .map(|key| state.entries.get(key).cloned())
            .collect();
        let hits = values.iter().filter(|v| v.is_some()).count();
        self.hits.fetch_add(hits as u64, Ordering::Relaxed);
        values
    }

    /// Keeps `value`, from a read that started under write count
    /// `read_under`, if no write has committed since (`now` is the
    /// engine's count after the read, and this cache has been told of
    /// nothing newer).
    pub(crate) fn put(&self, key: K, value: V, read_under: u64, now: u64) {
        if read_under != now {
            return;
        }
        let mut state = self.lock();
        if state.generation > read_under {
            // A write told of since the read began may be missing from it.
            return;
        }
        state.insert(key, value);
    }

    /// Forgets what write number `generation` changed: the entries of
    /// `keys`, or every entry for `None`. Writes may be told in any
    /// order; each removes its own keys.
    pub(crate) fn forget(&self, keys: Option<&[K]>, generation: u64) {
        let mut state = self.lock();
        state.generation = state.generation.max(generation);
        match keys {
            None => state.entries.clear(),
            Some(keys) => {
                for key in keys {
                    state.entries.remove(key);
                }
            }
        }
    }

    /// Keeps `value` as read by write number `generation` itself, after
    /// its commit (what the write left, read under its lock), unless a
    /// later write has been told of since.
    pub(crate) fn keep_written(&self, key: K, value: V, generation: u64) {
        let mut state = self.lock();
        if state.generation == generation {
            state.insert(key, value);
        }
    }

    /// How many lookups were answered from memory, since the start.
    pub(crate) fn hits(&self) -> u64 {
        self.hits.load(Ordering::Relaxed)
    }

    fn lock(&self) -> MutexGuard<'_, State<K, V>> {
        // Each method leaves the state whole between statements; a panic
        // elsewhere while holding the lock leaves nothing half done.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<K: Eq + Hash, V> State<K, V> {
    fn insert(&mut self, key: K, value: V) {
        if self.entries.len() >= CAPACITY && !self.entries.contains_key(&key) {
            self.entries.clear();
        }
        self.entries.insert(key, value);
    }
}

/// The keys `kept` has no value for (`kept` as [`ReadCache::get_many`]
/// returns it for `keys`).
pub(crate) fn missing<K: Clone, V>(keys: &[K], kept: &[Option<V>]) -> Vec<K> {
    keys.iter()
        .enumerate()
        .filter(|(i, _)| kept.get(*i).is_none_or(Option::is_none))
        .map(|(_, key)| key.clone())
        .collect()
}

/// The values of `keys`, in their order, from `kept` (as
/// [`ReadCache::get_many`] returns it, or empty) and `loaded` (what was
/// read for the rest); a key neither has is left out.
pub(crate) fn in_order<K: Eq, V>(keys: &[K], kept: Vec<Option<V>>, loaded: Vec<(K, V)>) -> Vec<V> {
    let mut kept = kept.into_iter();
    let mut loaded: Vec<Option<(K, V)>> = loaded.into_iter().map(Some).collect();
    keys.iter()
        .filter_map(|key| {
            kept.next().flatten().or_else(|| {
                let slot = loaded
                    .iter_mut()
                    .find(|slot| slot.as_ref().is_some_and(|(k, _)| k == key))?;
                slot.take().map(|(_, value)| value)
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_forgets_the_keys_it_names_and_keeps_the_rest() {
        let cache = ReadCache::default();
        cache.put(1, "a", 0, 0);
        cache.put(2, "b", 0, 0);
        cache.forget(Some(&[1]), 1);
        assert_eq!(cache.get(&1), None);
        assert_eq!(cache.get(&2), Some("b"));
        assert_eq!(cache.hits(), 1);
        cache.forget(None, 2);
        assert_eq!(cache.get(&2), None);
    }

    #[test]
    fn a_read_overtaken_by_a_write_is_not_kept() {
        let cache = ReadCache::default();
        // The count moved during the read.
        cache.put(1, "old", 0, 1);
        assert_eq!(cache.get(&1), None);
        // The count had not moved when the read ended, but the cache has
        // been told of a write since it began.
        cache.forget(Some(&[2]), 1);
        cache.put(1, "old", 0, 0);
        assert_eq!(cache.get(&1), None);
        cache.put(1, "new", 1, 1);
        assert_eq!(cache.get(&1), Some("new"));
    }

    #[test]
    fn a_read_kept_just_before_its_write_is_told_is_forgotten() {
        let cache = ReadCache::default();
        cache.put(1, "old", 0, 0);
        cache.forget(Some(&[1]), 1);
        assert_eq!(cache.get(&1), None);
    }

    #[test]
    fn what_a_write_read_is_kept_unless_a_later_write_was_told() {
        let cache = ReadCache::default();
        cache.forget(Some(&[1]), 1);
        cache.keep_written(1, "written", 1);
        assert_eq!(cache.get(&1), Some("written"));
        // Writes 2 and 3 told out of order: 2's page is not kept.
        cache.forget(Some(&[1]), 3);
        cache.forget(Some(&[1]), 2);
        cache.keep_written(1, "two", 2);
        assert_eq!(cache.get(&1), None);
    }

    #[test]
    fn many_keys_are_served_from_the_cache_and_the_rest_from_a_load_in_order() {
        let cache = ReadCache::default();
        cache.put(2, "two", 0, 0);
        let keys = [1, 2, 3, 4];
        let kept = cache.get_many(&keys);
        assert_eq!(kept, [None, Some("two"), None, None]);
        assert_eq!(missing(&keys, &kept), [1, 3, 4]);
        // 4 was deleted meanwhile: the load does not return it.
        let loaded = vec![(3, "three"), (1, "one")];
        assert_eq!(in_order(&keys, kept, loaded), ["one", "two", "three"]);
        // Nothing kept at all.
        assert_eq!(missing::<_, &str>(&keys, &[]), keys);
        assert_eq!(in_order(&keys, Vec::new(), vec![(4, "four")]), ["four"]);
    }

    #[test]
    fn a_full_cache_starts_again() {
        let cache = ReadCache::default();
        for key in 0..CAPACITY {
            cache.put(key, key, 0, 0);
        }
        assert_eq!(cache.get(&0), Some(0));
        cache.put(CAPACITY, CAPACITY, 0, 0);
        assert_eq!(cache.get(&0), None);
        assert_eq!(cache.get(&CAPACITY), Some(CAPACITY));
    }
}
