//! Rate limits declared with an endpoint, and the store that counts them.
//!
//! An endpoint declares how often each audience may call it:
//!
//! ```ignore
//! #[pale(GET "/albums", name = "albums",
//!        rate_limit(public = "60/min", user = "600/min", admin = "unlimited"))]
//! ```
//!
//! (`rate_limit = "60/min"` is one limit for every caller.) A caller gets
//! the limit declared for the greatest audience not above its own: an
//! anonymous caller the `public` one, an authenticated caller the `user`
//! one (or `public`'s, when no `user` limit is declared), an administrator
//! `admin`'s. An endpoint that declares none is not limited.
//!
//! The server counts each caller apart: an anonymous one by its address (the
//! connection's, or, behind a trusted proxy, the one the proxy forwarded),
//! an authenticated one by its credential. The counts live in a
//! [`RateLimitStore`]: in memory by default, which is one budget per
//! instance; an app that runs several instances returns a shared store from
//! [`App::rate_limit_store`](crate::App::rate_limit_store) (a table in its
//! database, Redis), so the budget is one across all of them.
//!
//! The count is a GCRA (a leaky bucket kept as one instant per caller): a
//! [`Quota`] of `count` requests per `window` may be spent at once or
//! spread out, each request pushing the caller's instant on by
//! `window / count`.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use crate::audience::Audience;

/// How many requests per window.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Quota {
    /// Requests allowed per window (at least 1).
    pub count: u32,
    /// The window, in seconds (at least 1).
    pub window_secs: u32,
}

impl Quota {
    /// `count` requests per `window_secs` seconds.
    pub const fn new(count: u32, window_secs: u32) -> Self {
        Self { count, window_secs }
    }

    /// The window.
    pub const fn window(self) -> Duration {
        Duration::from_secs(self.window_secs as u64)
    }

    /// What one request costs: `window / count`.
    pub fn cost(self) -> Duration {
        self.window() / self.count.max(1)
    }
}

impl fmt::Display for Quota {
    /// `60 per 60 s`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} per {} s", self.count, self.window_secs)
    }
}

/// One audience's limit on an endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    /// The least audience it is for.
    pub audience: Audience,
    /// The quota; `None`: unlimited.
    pub quota: Option<Quota>,
}

/// The quota a caller of `audience` gets from `limits`: the one declared
/// for the greatest audience not above it.
///
/// ```
/// use pale_core::Audience;
/// use pale_core::rate::{RateLimit, Quota, quota_for};
///
/// let limits = [
///     RateLimit { audience: Audience::Public, quota: Some(Quota::new(60, 60)) },
///     RateLimit { audience: Audience::Admin, quota: None },
/// ];
/// assert_eq!(quota_for(&limits, Audience::Public), Some(Quota::new(60, 60)));
/// assert_eq!(quota_for(&limits, Audience::User), Some(Quota::new(60, 60)));
/// assert_eq!(quota_for(&limits, Audience::Admin), None);
/// ```
pub fn quota_for(limits: &[RateLimit], audience: Audience) -> Option<Quota> {
    limits
        .iter()
        .filter(|limit| limit.audience <= audience)
        .max_by_key(|limit| limit.audience)
        .and_then(|limit| limit.quota)
}

/// What a store decided for one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decision {
    /// Whether the request may go on (it was counted).
    pub allowed: bool,
    /// Requests left in the window after this one.
    pub remaining: u32,
    /// When allowed: until the budget is whole again. When refused: until
    /// one more request will be allowed (`Retry-After`).
    pub reset: Duration,
}

impl Decision {
    /// The GCRA's decision for a caller whose budget is whole again
    /// `ahead` from now (zero when it is whole already): allowed while one
    /// more request keeps it within a window. Returns the decision and,
    /// when allowed, the new `ahead` to keep.
    ///
    /// Every store keeps one instant per key and asks this, so they all
    /// count alike.
    pub fn gcra(quota: Quota, ahead: Duration) -> (Self, Option<Duration>) {
        let (window, cost) = (quota.window(), quota.cost());
        if ahead + cost > window {
            let decision = Self {
                allowed: false,
                remaining: 0,
                reset: ahead + cost - window,
            };
            return (decision, None);
        }
        let ahead = ahead + cost;
        let left = window - ahead;
        let remaining = (left.as_nanos() / cost.as_nanos().max(1)) as u32;
        let decision = Self {
            allowed: true,
            remaining: remaining.min(quota.count),
            reset: ahead,
        };
        (decision, Some(ahead))
    }
}

/// A store could not be asked (its database is down).
#[derive(Debug)]
pub struct StoreUnavailable(pub String);

impl fmt::Display for StoreUnavailable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "rate limit store unavailable: {}", self.0)
    }
}

impl std::error::Error for StoreUnavailable {}

/// The future of [`RateLimitStore::spend`].
pub type SpendFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Decision, StoreUnavailable>> + Send + 'a>>;

/// Where the counts live. Implement it for a store several instances
/// share, with [`Decision::gcra`] deciding, and return it from
/// [`App::rate_limit_store`](crate::App::rate_limit_store).
///
/// When a store fails, the server lets the request through and logs a
/// warning: a limit is a defence, and the store being down should not take
/// the API down with it.
pub trait RateLimitStore: Send + Sync + 'static {
    /// Counts one request by `key` against `quota`, atomically.
    fn spend<'a>(&'a self, key: &'a str, quota: Quota) -> SpendFuture<'a>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_is_allowed_then_refused_until_a_request_is_repaid() {
        let quota = Quota::new(3, 3);
        let mut ahead = Duration::ZERO;
        let mut remaining = Vec::new();
        for _ in 0..3 {
            let (decision, next) = Decision::gcra(quota, ahead);
            assert!(decision.allowed);
            remaining.push(decision.remaining);
            ahead = next.unwrap();
        }
        assert_eq!(remaining, [2, 1, 0]);
        assert_eq!(ahead, Duration::from_secs(3));
        let (refused, next) = Decision::gcra(quota, ahead);
        assert_eq!(next, None);
        assert_eq!(
            refused,
            Decision {
                allowed: false,
                remaining: 0,
                reset: Duration::from_secs(1)
            }
        );
    }

    #[test]
    fn the_greatest_audience_not_above_the_callers_decides() {
        let limits = [
            RateLimit {
                audience: Audience::User,
                quota: Some(Quota::new(600, 60)),
            },
            RateLimit {
                audience: Audience::Public,
                quota: Some(Quota::new(60, 60)),
            },
        ];
        let cases = [
            (Audience::Public, Some(Quota::new(60, 60))),
            (Audience::User, Some(Quota::new(600, 60))),
            (Audience::Owner, Some(Quota::new(600, 60))),
            (Audience::Admin, Some(Quota::new(600, 60))),
        ];
        for (audience, expected) in cases {
            assert_eq!(quota_for(&limits, audience), expected, "{audience:?}");
        }
        assert_eq!(quota_for(&limits[..1], Audience::Public), None);
        assert_eq!(quota_for(&[], Audience::Admin), None);
    }
}
