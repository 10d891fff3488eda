//! The health check a load balancer polls.

use pale::prelude::*;
use serde::Serialize;

use crate::api::app::Licensing;

/// Whether this instance can serve: 200 while its database answers.
///
/// 503 when the database does not answer. Cheap enough for a load
/// balancer to poll every second: one trivial query, nothing rendered
/// from stored data.
#[derive(Endpoint)]
#[pale(GET "/health", name = "health", tags("operations"), errors(503))]
pub struct GetHealth {}

/// What the health check found.
#[derive(Serialize)]
pub struct Health {
    /// Always `ok` (a failing check answers 503 instead).
    pub status: &'static str,
    /// The database engine: `sqlite` or `postgres`.
    pub database: &'static str,
}

impl Handler<Licensing> for GetHealth {
    type Output = Plain<Health>;
    async fn handle(self, ctx: &Context<Licensing>) -> Result<Plain<Health>, ApiError> {
        let store = &ctx.app().store;
        store.health().await.map_err(|err| {
            ApiError::new(
                http::StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "Service Unavailable",
            )
            .with_detail("the database does not answer")
            .with_log_message(err.to_string())
        })?;
        Ok(Plain::new(
            "health",
            Health {
                status: "ok",
                database: store.engine(),
            },
        ))
    }
}
