//! Reads kept in memory between writes: album pages and token lookups,
//! for either engine.
//!
//! An album page takes a dozen rows from several tables, and every
//! signed-in request looks its token up; both are read far more often than
//! anything is written. So an engine may keep what it has read, and forget
//! it all whenever a write commits.
//!
//! **Why it cannot serve a stale read.** The engine counts committed
//! writes (its *generation*), bumping the count after each commit it
//! learns of. A read notes the count *before* it starts, and its result
//! is kept only if the count has not moved when it finishes: a write that
//! committed meanwhile may or may not be in the result, so the result is
//! dropped. A lookup under a newer count than the cache's empties the
//! cache first. So a read never returns what a write the engine had
//! counted before the read began has changed. How complete the count is
//! is each engine's business: SQLite counts its own writes and asks the
//! file for everyone else's (`sqlite::pool`); PostgreSQL, when the cache
//! is switched on, counts its own and those other instances announce
//! (`postgres::shared_cache`).
//!
//! **What it holds.** Results as every viewer would have them: who may see
//! an album is decided after the lookup (`Viewer::may_see`), and which
//! fields a viewer gets when the page renders. At most [`CAPACITY`]
//! entries per cache; past that it starts again empty, which bounds memory
//! (a flood of made-up tokens included) without bookkeeping on every hit.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Mutex, MutexGuard, PoisonError};

/// The most entries a cache keeps at once.
pub(crate) const CAPACITY: usize = 1024;

/// Values read since the last write, by key.
#[derive(Debug)]
pub(crate) struct ReadCache<K, V> {
    state: Mutex<State<K, V>>,
}

#[derive(Debug)]
struct State<K, V> {
    /// The write count the entries were read under.
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
        }
    }
}

impl<K: Eq + Hash, V: Clone> ReadCache<K, V> {
    /// The value of `key`, if it was read under write count `generation`
    /// (the pool's count now).
    pub(crate) fn get(&self, key: &K, generation: u64) -> Option<V> {
        let mut state = self.lock();
        state.catch_up(generation);
        state.entries.get(key).cloned()
    }

    /// The values of `keys` read under write count `generation`, in the
    /// order of `keys`: `None` for each key not kept.
    pub(crate) fn get_many(&self, keys: &[K], generation: u64) -> Vec<Option<V>> {
        let mut state = self.lock();
        state.catch_up(generation);
        keys.iter()
            .map(|key| state.entries.get(key).cloned())
            .collect()
    }

    /// Keeps `value`, from a read that started under write count
    /// `read_under`, if no write has committed since (`now` is the pool's
    /// count after the read).
    pub(crate) fn put(&self, key: K, value: V, read_under: u64, now: u64) {
        if read_under != now {
            return;
        }
        let mut state = self.lock();
        state.catch_up(now);
        if state.generation != now {
            // A later read already moved the cache past this one.
            return;
        }
        if state.entries.len() >= CAPACITY {
            state.entries.clear();
        }
        state.entries.insert(key, value);
    }

    fn lock(&self) -> MutexGuard<'_, State<K, V>> {
        // Each method leaves the state whole between statements; a panic
        // elsewhere while holding the lock leaves nothing half done.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
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

impl<K, V> State<K, V> {
    /// Forgets everything read under an older write count.
    fn catch_up(&mut self, generation: u64) {
        if self.generation < generation {
            self.entries.clear();
            self.generation = generation;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_served_until_the_next_write() {
        let cache = ReadCache::default();
        cache.put(1, "a", 0, 0);
        assert_eq!(cache.get(&1, 0), Some("a"));
        assert_eq!(cache.get(&1, 1), None);
        // Nor does an older count bring it back.
        assert_eq!(cache.get(&1, 0), None);
    }

    #[test]
    fn a_read_overtaken_by_a_write_is_not_kept() {
        let cache = ReadCache::default();
        cache.put(1, "old", 0, 1);
        assert_eq!(cache.get(&1, 1), None);
    }

    #[test]
    fn a_late_read_does_not_undo_a_newer_one() {
        let cache = ReadCache::default();
        assert_eq!(cache.get(&1, 2), None);
        cache.put(1, "older", 1, 1);
        assert_eq!(cache.get(&1, 2), None);
    }

    #[test]
    fn many_keys_are_served_from_the_cache_and_the_rest_from_a_load_in_order() {
        let cache = ReadCache::default();
        cache.put(2, "two", 0, 0);
        let keys = [1, 2, 3, 4];
        let kept = cache.get_many(&keys, 0);
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
        assert_eq!(cache.get(&0, 0), Some(0));
        cache.put(CAPACITY, CAPACITY, 0, 0);
        assert_eq!(cache.get(&0, 0), None);
        assert_eq!(cache.get(&CAPACITY, 0), Some(CAPACITY));
    }
}
