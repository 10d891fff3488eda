//! Failed authentications, throttled per client address: a client that
//! keeps sending credentials the app refuses (guessing tokens) is answered
//! 429 for a while, without its credentials being checked, while every
//! other client goes on as before.
//!
//! The budget is a GCRA (a leaky bucket kept as one instant per address):
//! `count` failures per `window`, spent at once or spread out; each
//! failure pushes the address's instant on by `window / count`; while it
//! is more than a window ahead, a request carrying credentials
//! (`Authorization`) from that address is a 429 with `Retry-After` and the
//! IETF `RateLimit` / `RateLimit-Policy` headers. Requests without
//! credentials are never throttled here: they guess nothing. With the
//! default 10 failures per 10 s, 50 bad tokens in a second get ten 401s and
//! forty 429s, and one more guess a second after that.
//!
//! The address is the connection's ([`Peer`]), or, on a connection from a
//! trusted proxy, the last address of its `X-Forwarded-For` (the one the
//! proxy saw). A service called without a [`Peer`] (nested in another
//! server, in tests) is not throttled. One entry per address that failed
//! recently; entries whose budget is whole again are dropped as the map
//! grows.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use http::header::{AUTHORIZATION, HeaderValue, RETRY_AFTER};
use http::request::Parts;
use pale_core::ApiError;
use pale_core::rate::{Decision, Quota};

use crate::connections::ClientKey;
use crate::peer::Peer;
use crate::rate_limit::{headers, whole_seconds};

/// The policy's name in the `RateLimit` headers.
const POLICY: &str = "failed-auth";

/// How many addresses are kept before the whole ones are swept.
const SWEEP_AT: usize = 4096;

/// The failed-authentication budget of every client address.
pub(crate) struct AuthThrottle {
    budget: Option<Quota>,
    /// Per address: when its budget is whole again (the GCRA's instant).
    whole_at: Mutex<HashMap<ClientKey, Instant>>,
}

impl AuthThrottle {
    /// `count` failures per `window` (`None`: no throttling; a window is
    /// counted in whole seconds, at least one).
    pub(crate) fn new(limit: Option<(u32, Duration)>) -> Self {
        let budget = limit
            .filter(|(count, window)| *count > 0 && !window.is_zero())
            .map(|(count, window)| {
                let seconds = u32::try_from(whole_seconds(window)).unwrap_or(u32::MAX);
                Quota::new(count, seconds)
            });
        Self {
            budget,
            whole_at: Mutex::new(HashMap::new()),
        }
    }

    /// The address a request is counted under, when it carries credentials
    /// and came through the server.
    pub(crate) fn client(&self, parts: &Parts) -> Option<ClientKey> {
        self.budget?;
        if !parts.headers.contains_key(AUTHORIZATION) {
            return None;
        }
        Peer::client_ip(parts).map(ClientKey::of)
    }

    /// A 429 when `client` has spent its budget: one more failure would
    /// not fit in a window. Nothing is spent here; [`failed`](Self::failed)
    /// spends.
    pub(crate) fn check(&self, client: ClientKey) -> Result<(), ApiError> {
        let Some(budget) = self.budget else {
            return Ok(());
        };
        let whole_at = self.lock().get(&client).copied();
        let ahead = whole_at.map_or(Duration::ZERO, |at| {
            at.saturating_duration_since(Instant::now())
        });
        let (decision, _) = Decision::gcra(budget, ahead);
        if decision.allowed {
            return Ok(());
        }
        Err(too_many(budget, decision))
    }

    /// Records a failed authentication by `client`.
    pub(crate) fn failed(&self, client: ClientKey) {
        let Some(budget) = self.budget else { return };
        let now = Instant::now();
        let mut map = self.lock();
        if map.len() >= SWEEP_AT {
            map.retain(|_, at| *at > now);
        }
        let at = map.entry(client).or_insert(now);
        *at = (*at).max(now) + budget.cost();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<ClientKey, Instant>> {
        self.whole_at
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The 429 for a client past its budget.
fn too_many(budget: Quota, decision: Decision) -> ApiError {
    let seconds = whole_seconds(decision.reset);
    let mut error = ApiError::too_many_requests()
        .with_detail(format!(
            "too many failed authentications from this address; try again in {seconds} s"
        ))
        .with_header(RETRY_AFTER, HeaderValue::from(seconds));
    for (name, value) in headers(POLICY, budget, decision) {
        error = error.with_header(name, value);
    }
    error
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::IpAddr;

    fn key(ip: &str) -> ClientKey {
        ClientKey::of(ip.parse().unwrap())
    }

    #[test]
    fn a_burst_of_failures_is_allowed_then_refused_for_a_while() {
        let throttle = AuthThrottle::new(Some((10, Duration::from_secs(10))));
        let guesser = key("192.0.2.1");
        for attempt in 0..10 {
            assert!(throttle.check(guesser).is_ok(), "attempt {attempt}");
            throttle.failed(guesser);
        }
        let refused = throttle.check(guesser).unwrap_err();
        assert_eq!(refused.status(), 429);
        let headers = refused.headers();
        assert_eq!(headers[RETRY_AFTER], "1");
        assert_eq!(headers["ratelimit-policy"], "\"failed-auth\";q=10;w=10");
        assert_eq!(headers["ratelimit"], "\"failed-auth\";r=0;t=1");
        // Another address is untouched.
        assert!(throttle.check(key("192.0.2.2")).is_ok());
    }

    #[test]
    fn no_budget_no_throttle() {
        for limit in [
            None,
            Some((0, Duration::from_secs(1))),
            Some((5, Duration::ZERO)),
        ] {
            let throttle = AuthThrottle::new(limit);
            for _ in 0..100 {
                throttle.failed(key("192.0.2.1"));
            }
            assert!(throttle.check(key("192.0.2.1")).is_ok());
        }
    }

    #[test]
    fn whole_entries_are_swept() {
        let throttle = AuthThrottle::new(Some((1000, Duration::from_millis(1))));
        for i in 0..SWEEP_AT as u32 {
            throttle.failed(ClientKey::of(IpAddr::from(i.to_be_bytes())));
        }
        std::thread::sleep(Duration::from_millis(5));
        throttle.failed(key("192.0.2.1"));
        assert_eq!(throttle.lock().len(), 1);
    }

    #[test]
    fn behind_a_proxy_the_forwarded_client_counts() {
        let throttle = AuthThrottle::new(Some((10, Duration::from_secs(10))));
        let request = |trusted_proxy: bool, forwarded: Option<&str>| {
            let mut builder = http::Request::builder().header(AUTHORIZATION, "Bearer x");
            if let Some(f) = forwarded {
                builder = builder.header("x-forwarded-for", f);
            }
            let (mut parts, ()) = builder.body(()).unwrap().into_parts();
            parts.extensions.insert(Peer {
                addr: "10.0.0.2:5000".parse().unwrap(),
                trusted_proxy,
            });
            parts
        };
        let cases = [
            (true, Some("198.51.100.7, 203.0.113.9"), Some("203.0.113.9")),
            (true, Some("nonsense"), Some("10.0.0.2")),
            (true, None, Some("10.0.0.2")),
            (false, Some("203.0.113.9"), Some("10.0.0.2")),
        ];
        for (trusted, forwarded, expected) in cases {
            let got = throttle.client(&request(trusted, forwarded));
            assert_eq!(got, expected.map(key), "{trusted} {forwarded:?}");
        }
        let (anonymous, ()) = http::Request::builder().body(()).unwrap().into_parts();
        assert_eq!(throttle.client(&anonymous), None);
    }
}
