//! Endpoints' declared rate limits, enforced: after the caller is known
//! and authorized, before its body is read, each call is counted against
//! the quota its audience gets ([`pale_core::rate`]), and a caller past it
//! is answered 429 without the handler running.
//!
//! Every response of a limited endpoint carries the IETF `RateLimit-Policy`
//! (`"<route>";q=<count>;w=<seconds>`) and `RateLimit`
//! (`"<route>";r=<remaining>;t=<seconds>`) headers, so a client can slow
//! down before it is refused; a 429 adds `Retry-After`.
//!
//! Callers are counted apart: an anonymous one by its address (its /64
//! for IPv6; behind a trusted proxy, the address the proxy forwarded), an
//! authenticated one by a hash of its credential (the `Authorization`
//! value: never stored as given). A service called without a
//! [`Peer`](crate::Peer) (nested in another server) counts anonymous
//! callers not at all: it cannot tell them apart.
//!
//! When the store fails (its database is down), the call goes on and a
//! warning is logged: see [`RateLimitStore`].

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::Duration;

use http::header::{AUTHORIZATION, HeaderName, HeaderValue, RETRY_AFTER};
use http::request::Parts;
use pale_core::rate::{Decision, Quota, RateLimitStore, quota_for};
use pale_core::{ApiError, Audience, EndpointMeta};

use crate::connections::ClientKey;
use crate::peer::Peer;
use crate::rate_store::MemoryRateLimitStore;

/// `RateLimit-Policy`.
const POLICY: HeaderName = HeaderName::from_static("ratelimit-policy");
/// `RateLimit`.
const STATE: HeaderName = HeaderName::from_static("ratelimit");

/// Counts calls in the app's store, or in memory.
pub(crate) struct RateLimiter {
    store: Arc<dyn RateLimitStore>,
}

/// A call that was counted and allowed: the headers its response gets.
pub(crate) struct Counted {
    headers: [(HeaderName, HeaderValue); 2],
}

impl Counted {
    /// Adds the `RateLimit` headers to `response`.
    pub(crate) fn stamp(self, response: &mut pale_core::Response) {
        for (name, value) in self.headers {
            response.headers_mut().insert(name, value);
        }
    }
}

impl RateLimiter {
    /// Counts in `store`, or in this process's memory when `None`.
    pub(crate) fn new(store: Option<Arc<dyn RateLimitStore>>) -> Self {
        Self {
            store: store.unwrap_or_else(|| Arc::new(MemoryRateLimitStore::default())),
        }
    }

    /// Counts a call to `endpoint` by a caller of `audience`: `Ok(None)`
    /// when the endpoint does not limit it, `Ok(Some)` with the headers
    /// for its response, a 429 when it is past its quota.
    pub(crate) async fn count(
        &self,
        endpoint: &EndpointMeta,
        audience: Audience,
        parts: &Parts,
    ) -> Result<Option<Counted>, ApiError> {
        let Some(quota) = quota_for(endpoint.rate_limits, audience) else {
            return Ok(None);
        };
        let Some(caller) = caller_key(parts, audience) else {
            return Ok(None);
        };
        let key = format!("{}:{caller}", endpoint.name);
        let decision = match self.store.spend(&key, quota).await {
            Ok(decision) => decision,
            Err(error) => {
                tracing::warn!(%error, route = endpoint.name, "rate limit not enforced");
                return Ok(None);
            }
        };
        let headers = headers(endpoint.name, quota, decision);
        if decision.allowed {
            return Ok(Some(Counted { headers }));
        }
        let seconds = whole_seconds(decision.reset);
        let mut error = ApiError::too_many_requests()
            .with_detail(format!(
                "this endpoint allows {quota} to each caller; try again in {seconds} s"
            ))
            .with_header(RETRY_AFTER, HeaderValue::from(seconds));
        for (name, value) in headers {
            error = error.with_header(name, value);
        }
        Err(error)
    }
}

/// Who is counted: `ip:<address>` or `credential:<hash>`.
fn caller_key(parts: &Parts, audience: Audience) -> Option<String> {
    let credential = parts.headers.get(AUTHORIZATION);
    match credential {
        Some(value) if audience > Audience::Public => {
            let hash = xxhash_rust::xxh3::xxh3_128(value.as_bytes());
            Some(format!("credential:{hash:032x}"))
        }
        _ => {
            let ip = Peer::client_ip(parts)?;
            let mut key = String::from("ip:");
            let _ = write!(key, "{}", ClientKey::of(ip));
            Some(key)
        }
    }
}

/// `RateLimit-Policy` and `RateLimit` for `decision` under `policy`.
pub(crate) fn headers(
    policy: &str,
    quota: Quota,
    decision: Decision,
) -> [(HeaderName, HeaderValue); 2] {
    let value = |text: String| {
        // The policy name is a route name: an identifier, always ASCII.
        HeaderValue::try_from(text).unwrap_or(HeaderValue::from_static("\"limit\""))
    };
    let policy_value = format!("\"{policy}\";q={};w={}", quota.count, quota.window_secs);
    let state = format!(
        "\"{policy}\";r={};t={}",
        decision.remaining,
        whole_seconds(decision.reset)
    );
    [(POLICY, value(policy_value)), (STATE, value(state))]
}

/// `duration` in whole seconds, rounded up, at least 1.
pub(crate) fn whole_seconds(duration: Duration) -> u64 {
    let seconds = duration.as_secs() + u64::from(duration.subsec_nanos() > 0);
    seconds.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pale_core::rate::RateLimit;
    use pale_core::{EndpointMeta, Method};

    const SEARCH: EndpointMeta = EndpointMeta {
        rate_limits: &[
            RateLimit {
                audience: Audience::Public,
                quota: Some(Quota::new(2, 60)),
            },
            RateLimit {
                audience: Audience::Admin,
                quota: None,
            },
        ],
        ..EndpointMeta::new(Method::Get, "/search", "search")
    };

    fn request(from: &str, token: Option<&str>) -> Parts {
        let mut builder = http::Request::builder();
        if let Some(token) = token {
            builder = builder.header(AUTHORIZATION, format!("Bearer {token}"));
        }
        let (mut parts, ()) = builder.body(()).unwrap().into_parts();
        parts.extensions.insert(Peer {
            addr: from.parse().unwrap(),
            trusted_proxy: false,
        });
        parts
    }

    async fn status(
        limiter: &RateLimiter,
        audience: Audience,
        parts: &Parts,
    ) -> (u16, Vec<String>) {
        match limiter.count(&SEARCH, audience, parts).await {
            Ok(None) => (200, vec![]),
            Ok(Some(counted)) => {
                let mut response = pale_core::Response::default();
                counted.stamp(&mut response);
                (200, header_values(response.headers()))
            }
            Err(error) => (error.status().as_u16(), header_values(error.headers())),
        }
    }

    fn header_values(headers: &http::HeaderMap) -> Vec<String> {
        ["retry-after", "ratelimit-policy", "ratelimit"]
            .iter()
            .filter_map(|name| headers.get(*name))
            .map(|v| v.to_str().unwrap().to_owned())
            .collect()
    }

    /// A request, its caller's audience, the status and headers expected.
    type Case<'a> = (&'a Parts, Audience, (u16, Vec<&'a str>));

    #[tokio::test]
    async fn each_caller_has_its_own_budget_by_address_or_credential() {
        let limiter = RateLimiter::new(None);
        let anonymous = request("192.0.2.1:4000", None);
        let neighbour = request("192.0.2.2:4000", None);
        let member = request("192.0.2.1:4001", Some("abc"));
        let admin = request("192.0.2.1:4002", Some("root"));
        let policy = "\"search\";q=2;w=60";
        #[rustfmt::skip]
        let cases: Vec<Case<'_>> = vec![
            (&anonymous, Audience::Public, (200, vec![policy, "\"search\";r=1;t=30"])),
            (&anonymous, Audience::Public, (200, vec![policy, "\"search\";r=0;t=60"])),
            (&anonymous, Audience::Public, (429, vec!["30", policy, "\"search\";r=0;t=30"])),
            (&neighbour, Audience::Public, (200, vec![policy, "\"search\";r=1;t=30"])),
            // Same address, but counted by its credential.
            (&member, Audience::User, (200, vec![policy, "\"search\";r=1;t=30"])),
            (&admin, Audience::Admin, (200, vec![])),
            (&admin, Audience::Admin, (200, vec![])),
            (&admin, Audience::Admin, (200, vec![])),
        ];
        for (i, (parts, audience, (code, headers))) in cases.into_iter().enumerate() {
            let got = status(&limiter, audience, parts).await;
            assert_eq!(
                got,
                (code, headers.iter().map(|h| (*h).to_owned()).collect()),
                "case {i}"
            );
        }
    }

    #[tokio::test]
    async fn without_a_peer_anonymous_callers_are_not_counted() {
        let limiter = RateLimiter::new(None);
        let (parts, ()) = http::Request::builder().body(()).unwrap().into_parts();
        for _ in 0..5 {
            assert_eq!(
                status(&limiter, Audience::Public, &parts).await,
                (200, vec![])
            );
        }
    }
}
