//! The app behind the API: the store, and who calls.
//!
//! Callers authenticate with `Authorization: Bearer <token>` (tokens from
//! `licensing tokens`), read by `pale::auth`: the scheme in any case,
//! a malformed or unknown token a 401 with `error="invalid_token"`. No
//! header is an anonymous caller; a bad one is never silently anonymous.

use std::sync::Arc;

use pale::rate::RateLimitStore;
use pale::{ApiError, App, Audience, auth};
use time::OffsetDateTime;

use crate::store::{Account, Database, Role, Store};

/// The licensing service: a store and a clock.
///
/// The store is whichever engine the deployment chose; the endpoints call
/// only [`Store`]'s operations on it.
pub struct Licensing {
    /// The store.
    pub store: Database,
    today: fn() -> time::Date,
}

impl Licensing {
    /// The service over `store` (a [`Database`], or an engine that
    /// converts into one), with today's date from the system clock.
    pub fn new(store: impl Into<Database>) -> Self {
        Self {
            store: store.into(),
            today: || OffsetDateTime::now_utc().date(),
        }
    }

    /// The same service with a fixed "today" (for tests of late statements
    /// and notice dates).
    #[must_use]
    pub fn with_today(mut self, today: fn() -> time::Date) -> Self {
        self.today = today;
        self
    }

    /// Today's date.
    pub fn today(&self) -> time::Date {
        (self.today)()
    }
}

impl App for Licensing {
    type User = Account;

    async fn authenticate(
        &self,
        request: &http::request::Parts,
    ) -> Result<Option<Account>, ApiError> {
        let Some(token) = auth::bearer_token(request)? else {
            return Ok(None);
        };
        // Ours are `lic_` and 64 hex digits: a longer one names no one,
        // and is not worth hashing.
        if token.len() > 256 {
            return Err(auth::invalid_token());
        }
        self.store
            .authenticate(token.to_owned())
            .await?
            .map(Some)
            .ok_or_else(auth::invalid_token)
    }

    fn audience(user: &Account) -> Audience {
        match user.role {
            Role::Admin => Audience::Admin,
            Role::Artist => Audience::User,
        }
    }

    /// On PostgreSQL, endpoints' rate limits are counted in the database
    /// the instances share, so a caller has one budget across them; on
    /// SQLite (one instance), in memory.
    fn rate_limit_store(&self) -> Option<Arc<dyn RateLimitStore>> {
        match &self.store {
            Database::Postgres(store) => Some(Arc::new(store.clone())),
            _ => None,
        }
    }
}

/// The audience of `ctx`'s caller for something owned by `owner`.
pub fn audience_for(ctx: &pale::Context<Licensing>, owner: i64) -> Audience {
    match ctx.user() {
        Some(account) if account.artist_id == Some(owner) => ctx.audience().max(Audience::Owner),
        _ => ctx.audience(),
    }
}
