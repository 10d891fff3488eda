//! The default rate limit store: one GCRA instant per caller, in this
//! process's memory. Fine for one instance; several instances each keep
//! their own budget (a caller gets the quota once per instance), which is
//! why an app can bring a shared store instead
//! ([`App::rate_limit_store`](pale_core::App::rate_limit_store)).
//!
//! Entries whose budget is whole again are swept as the map grows, so a
//! crowd of one-off callers costs memory only while they are counted.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use pale_core::rate::{Decision, Quota, RateLimitStore, SpendFuture};

/// How many keys are kept before the whole ones are swept.
const SWEEP_AT: usize = 4096;

/// Counts in memory. The default when the app brings no store.
#[derive(Default)]
pub struct MemoryRateLimitStore {
    /// Per key: when its budget is whole again.
    whole_at: Mutex<HashMap<String, Instant>>,
}

impl MemoryRateLimitStore {
    /// Counts one request by `key` against `quota`, now.
    pub fn spend_now(&self, key: &str, quota: Quota) -> Decision {
        let now = Instant::now();
        let mut map = self.lock();
        let ahead = map
            .get(key)
            .map_or(Default::default(), |at| at.saturating_duration_since(now));
        let (decision, kept) = Decision::gcra(quota, ahead);
        if let Some(ahead) = kept {
            if map.len() >= SWEEP_AT {
                map.retain(|_, at| *at > now);
            }
            map.insert(key.to_owned(), now + ahead);
        }
        decision
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, Instant>> {
        self.whole_at.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl RateLimitStore for MemoryRateLimitStore {
    fn spend<'a>(&'a self, key: &'a str, quota: Quota) -> SpendFuture<'a> {
        let decision = self.spend_now(key, quota);
        Box::pin(std::future::ready(Ok(decision)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_entries_are_swept() {
        let store = MemoryRateLimitStore::default();
        let quota = Quota::new(1000, 1);
        for i in 0..SWEEP_AT {
            assert!(store.spend_now(&format!("ip:{i}"), quota).allowed);
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
        store.spend_now("ip:last", quota);
        assert_eq!(store.lock().len(), 1);
    }
}
