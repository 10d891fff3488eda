//! Endpoints' rate limits counted in the database every instance shares
//! (`pale::rate`), so a caller has one budget however many instances
//! its requests reach. The app hands this engine to the server as its
//! rate limit store (`Licensing::rate_limit_store`).
//!
//! One row per caller and route holds when its budget is whole again, on
//! the database's clock (instances' clocks may disagree; the database's
//! is one). The common case, an allowed call, is one `UPDATE` whose
//! `WHERE` is the GCRA's test, atomic under READ COMMITTED (a concurrent
//! update is waited for and the test evaluated again); a caller's first
//! call inserts its row; a refused call reads the row for `Retry-After`.
//! Rows whose budget is whole are deleted now and then.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use pale::rate::{Decision, Quota, RateLimitStore, SpendFuture, StoreUnavailable};
use sqlx::PgPool;

use super::PgStore;

/// Every this many counted calls, the whole rows are swept.
const SWEEP_EVERY: u64 = 1024;

static COUNTED: AtomicU64 = AtomicU64::new(0);

impl RateLimitStore for PgStore {
    fn spend<'a>(&'a self, key: &'a str, quota: Quota) -> SpendFuture<'a> {
        Box::pin(async move {
            spend(&self.pool, key, quota)
                .await
                .map_err(|error| StoreUnavailable(error.to_string()))
        })
    }
}

async fn spend(pool: &PgPool, key: &str, quota: Quota) -> Result<Decision, sqlx::Error> {
    let cost = quota.cost().as_secs_f64();
    let window = quota.window().as_secs_f64();
    // Allowed: the budget, pushed on by one call, stays within a window.
    let ahead: Option<f64> = sqlx::query_scalar(
        "UPDATE rate_limits
            SET whole_at = GREATEST(whole_at, clock_timestamp()) + make_interval(secs => $2)
          WHERE key = $1
            AND GREATEST(whole_at, clock_timestamp()) + make_interval(secs => $2)
                <= clock_timestamp() + make_interval(secs => $3)
      RETURNING EXTRACT(EPOCH FROM whole_at - clock_timestamp())::float8",
    )
    .bind(key)
    .bind(cost)
    .bind(window)
    .fetch_optional(pool)
    .await?;
    if COUNTED.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1 {
        sqlx::query("DELETE FROM rate_limits WHERE whole_at < clock_timestamp()")
            .execute(pool)
            .await?;
    }
    if let Some(ahead) = ahead {
        return Ok(allowed(quota, ahead));
    }
    // No row yet (a first call), or refused.
    let inserted = sqlx::query(
        "INSERT INTO rate_limits (key, whole_at)
         VALUES ($1, clock_timestamp() + make_interval(secs => $2))
         ON CONFLICT (key) DO NOTHING",
    )
    .bind(key)
    .bind(cost)
    .execute(pool)
    .await?;
    if inserted.rows_affected() == 1 {
        return Ok(allowed(quota, cost));
    }
    let ahead: f64 = sqlx::query_scalar(
        "SELECT GREATEST(EXTRACT(EPOCH FROM whole_at - clock_timestamp())::float8, 0)
           FROM rate_limits WHERE key = $1",
    )
    .bind(key)
    .fetch_optional(pool)
    .await?
    .unwrap_or(0.0);
    let (decision, _) = Decision::gcra(quota, seconds(ahead));
    Ok(Decision {
        allowed: false,
        remaining: 0,
        reset: decision.reset.max(Duration::from_secs(1)),
    })
}

/// The decision for a call that left the budget whole `ahead` seconds
/// from now.
fn allowed(quota: Quota, ahead: f64) -> Decision {
    let before = seconds(ahead).saturating_sub(quota.cost());
    let (decision, _) = Decision::gcra(quota, before);
    Decision {
        allowed: true,
        ..decision
    }
}

fn seconds(value: f64) -> Duration {
    Duration::try_from_secs_f64(value.max(0.0)).unwrap_or(Duration::ZERO)
}
