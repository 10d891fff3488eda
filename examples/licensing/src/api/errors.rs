//! Store errors to problem documents: business rules become 404/409/412/422
//! with their own words; a database that could not be had in time (another
//! process's lock, a full pool) a 503 with `Retry-After`; engine failures
//! an opaque 500 whose text goes to the log only.

use pale::{ApiError, FieldError};

use crate::store::StoreError;

/// A store error as the client's answer, so a handler writes
/// `store.op().await?`.
impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound(what) => Self::not_found(what),
            StoreError::Conflict(rule) => Self::conflict(rule),
            StoreError::VersionMismatch { .. } => Self::precondition_failed(),
            StoreError::Invalid { field, reason } => {
                Self::unprocessable(vec![FieldError::new(field, "invalid", reason)])
            }
            StoreError::Busy => Self::new(
                http::StatusCode::SERVICE_UNAVAILABLE,
                "busy",
                "Service unavailable",
            )
            .with_detail("the database is busy; nothing was changed, try again")
            .with_header(
                http::header::RETRY_AFTER,
                http::HeaderValue::from_static("1"),
            ),
            other => Self::internal(other.to_string()),
        }
    }
}
