//! Store errors to problem documents: business rules become 404/409/412/422
//! with their own words; SQLite failures become an opaque 500 whose text
//! goes to the log only.

use pale_core::{ApiError, FieldError};

use crate::store::StoreError;

/// Maps a store error to the client's answer.
pub fn store_error(err: StoreError) -> ApiError {
    match err {
        StoreError::NotFound(what) => ApiError::not_found(what),
        StoreError::Conflict(rule) => ApiError::conflict(rule),
        StoreError::VersionMismatch { .. } => ApiError::precondition_failed(),
        StoreError::Invalid { field, reason } => {
            ApiError::unprocessable(vec![FieldError::new(field, "invalid", reason)])
        }
        other => ApiError::internal(other.to_string()),
    }
}
