//! How the store's types are written to and read from SQLite columns.
//!
//! States are stored as their lowercase text (readable in the `sqlite3`
//! shell and checked by the schema's `CHECK`s), identifiers in canonical
//! form, dates as `YYYY-MM-DD` (rusqlite's `time` feature). Reading a value
//! the types reject is a corrupt database: an `Internal` error, not a
//! panic.

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

use crate::domain::ids::{Isrc, Iswc, Upc};
use crate::domain::statement::SalesMonth;
use crate::store::{AlbumStatus, LicenseRoute, LicenseStatus, Role, SaleFormat};

/// Stores a type as the text of `as_str`, and reads it back with `parse`.
macro_rules! text_column {
    ($($ty:ty),+ $(,)?) => {$(
        impl ToSql for $ty {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.as_str()))
            }
        }

        impl FromSql for $ty {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                let text = value.as_str()?;
                <$ty>::parse(text).ok_or_else(|| {
                    FromSqlError::Other(format!("unknown {} {text:?}", stringify!($ty)).into())
                })
            }
        }
    )+};
}

text_column!(Role, AlbumStatus, LicenseRoute, LicenseStatus, SaleFormat);

/// Stores a type as its `Display` form, and reads it back with `parse`.
macro_rules! display_column {
    ($($ty:ty),+ $(,)?) => {$(
        impl ToSql for $ty {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.to_string()))
            }
        }

        impl FromSql for $ty {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                <$ty>::parse(value.as_str()?).map_err(|e| FromSqlError::Other(e.into()))
            }
        }
    )+};
}

display_column!(Upc, Isrc, Iswc, SalesMonth);
