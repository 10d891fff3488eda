//! What can go wrong in the store, as data the HTTP layer maps to a status
//! through one table: `NotFound` → 404, `Conflict` → 409, `VersionMismatch` →
//! 412, `Invalid` → 422, `Busy` → 503 with `Retry-After`, `Internal` → an
//! opaque 500.
//!
//! Only `Internal` carries text from outside this crate (SQLite's or
//! PostgreSQL's message, an I/O error): it is for the log, never for a
//! client, which is why it is a separate variant rather than a message on
//! every error.

use std::fmt;

/// The error of a store operation.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum StoreError {
    /// The named thing (`"album"`, `"track"`, …) does not exist, or is not
    /// visible to the viewer.
    NotFound(&'static str),
    /// A business rule forbids the operation in the current state; the
    /// text says which rule, and is safe to show.
    Conflict(&'static str),
    /// The caller's expected version is stale; `current` is the version
    /// now stored (for a fresh ETag).
    VersionMismatch {
        /// The version now stored.
        current: i64,
    },
    /// An input is unacceptable; `field` is a JSON-pointer-like path to it
    /// (`/upc`, `/lines/3/album_id`), `reason` a message safe to show.
    Invalid {
        /// Where the bad input is.
        field: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The database could not be had in time: another process holds
    /// SQLite's write lock past the busy timeout, or every PostgreSQL
    /// connection of the pool is taken. Nothing was written; the same
    /// request may succeed a moment later.
    Busy,
    /// The storage engine failed; the text is for logs only.
    Internal(String),
}

impl StoreError {
    /// An `Invalid` error at `field`.
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::Invalid {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotFound(what) => write!(f, "{what} not found"),
            Self::Conflict(rule) => write!(f, "conflict: {rule}"),
            Self::VersionMismatch { current } => {
                write!(f, "version mismatch: the current version is {current}")
            }
            Self::Invalid { field, reason } => write!(f, "invalid {field}: {reason}"),
            Self::Busy => write!(f, "the database is busy"),
            Self::Internal(detail) => write!(f, "storage failure: {detail}"),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode::{DatabaseBusy, DatabaseLocked};
        match &error {
            rusqlite::Error::SqliteFailure(e, _)
                if e.code == DatabaseBusy || e.code == DatabaseLocked =>
            {
                Self::Busy
            }
            _ => Self::Internal(error.to_string()),
        }
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        match error {
            sqlx::Error::PoolTimedOut => Self::Busy,
            other => Self::Internal(other.to_string()),
        }
    }
}

impl From<std::io::Error> for StoreError {
    fn from(error: std::io::Error) -> Self {
        Self::Internal(error.to_string())
    }
}

/// The result of a store operation.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_lowercase_and_plain() {
        #[rustfmt::skip]
        let cases = [
            (StoreError::NotFound("album"), "album not found"),
            (StoreError::Conflict("only drafts can be deleted"), "conflict: only drafts can be deleted"),
            (StoreError::VersionMismatch { current: 7 }, "version mismatch: the current version is 7"),
            (StoreError::invalid("/upc", "bad check digit"), "invalid /upc: bad check digit"),
            (StoreError::Internal("disk I/O error".into()), "storage failure: disk I/O error"),
        ];
        for (error, text) in cases {
            assert_eq!(error.to_string(), text);
        }
    }
}
