//! The transactions of this instance's own album writes, already counted:
//! so their notifications can be skipped.
//!
//! A write on this instance counts itself as it answers (it forgets what
//! it changed, and may keep the page it read back, `read_cache`'s
//! `keep_written`). Its notification then reaches this instance's
//! listener too, a moment later, and counting it again would forget that
//! page: a patch's next read, the next patch's own check included, would
//! go to the database. So a write that knows its transaction (the
//! statement returns it, after its commit) records it here as it counts
//! itself, just before, with nothing in between, and the listener skips a
//! notification that names that transaction and exactly the album
//! recorded with it (migration 11 puts the transaction in the payload).
//! Skipping one is safe: the write counts everything it says before it
//! answers. A notification that arrives before the record is counted as
//! any other (the write has kept nothing yet, so nothing is lost).
//!
//! What is not recorded is never skipped: a write that does not know its
//! transaction, and one that failed or was cancelled before it counted
//! itself. Only the last [`KEPT`] are kept, so records that never match
//! (their notification came first) cost nothing for long.

use std::collections::VecDeque;
use std::sync::{Mutex, PoisonError};

/// How many recorded writes are kept.
const KEPT: usize = 64;

/// This instance's recent album writes, as (transaction, album).
#[derive(Debug, Default)]
pub(super) struct OwnWrites {
    recent: Mutex<VecDeque<(i64, i64)>>,
}

impl OwnWrites {
    /// Records that transaction `transaction`, which changed album
    /// `album_id` and nothing else, has been counted.
    pub(super) fn record(&self, transaction: i64, album_id: i64) {
        let mut recent = self.recent.lock().unwrap_or_else(PoisonError::into_inner);
        if recent.len() == KEPT {
            recent.pop_front();
        }
        recent.push_back((transaction, album_id));
    }

    /// Whether a notification of `transaction` changing album `album_id`
    /// is a recorded write's (then forgotten: a transaction notifies once
    /// per statement, and only the recorded statement is known).
    pub(super) fn take(&self, transaction: i64, album_id: i64) -> bool {
        let mut recent = self.recent.lock().unwrap_or_else(PoisonError::into_inner);
        match recent.iter().position(|&w| w == (transaction, album_id)) {
            Some(at) => {
                recent.remove(at);
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recorded_write_matches_once_and_only_its_album() {
        let own = OwnWrites::default();
        own.record(10, 3);
        assert!(!own.take(10, 4), "another album");
        assert!(!own.take(11, 3), "another transaction");
        assert!(own.take(10, 3));
        assert!(!own.take(10, 3), "a second notification is counted");
    }

    #[test]
    fn only_the_last_writes_are_kept() {
        let own = OwnWrites::default();
        for transaction in 0..=KEPT as i64 {
            own.record(transaction, 1);
        }
        assert!(!own.take(0, 1), "the oldest was dropped");
        assert!(own.take(1, 1));
        assert!(own.take(KEPT as i64, 1));
    }
}
