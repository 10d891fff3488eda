//! How the store's types are written to and read from PostgreSQL columns,
//! the same forms as on SQLite: states as their lowercase text,
//! identifiers in canonical form, months as `YYYY-MM` (all `TEXT`, checked
//! by the schema), dates as `DATE`.
//!
//! Numbers are `BIGINT`; the Rust side's `u32` and `u64` are converted with
//! `try_from`, so a value out of range is an error, never a wrapped
//! number. Reading a value the types reject is a corrupt database: an
//! `Internal` error, not a panic.

use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::postgres::{PgArgumentBuffer, PgRow, PgTypeInfo, PgValueRef};
use sqlx::{Decode, Encode, Postgres, Row, Type};

use crate::domain::ids::{Isrc, Iswc, Upc};
use crate::domain::statement::SalesMonth;
use crate::store::{
    AlbumStatus, LicenseRoute, LicenseStatus, Result, Role, SaleFormat, StoreError,
};

/// Declares a type stored as `TEXT`: written as `$write`, read with `$read`
/// (which gives `Option` or `Result`, turned into a decode error).
macro_rules! text_column {
    ($($ty:ty),+ $(,)?) => {$(
        impl Type<Postgres> for $ty {
            fn type_info() -> PgTypeInfo {
                <&str as Type<Postgres>>::type_info()
            }

            fn compatible(ty: &PgTypeInfo) -> bool {
                <&str as Type<Postgres>>::compatible(ty)
            }
        }

        impl Encode<'_, Postgres> for $ty {
            fn encode_by_ref(&self, buf: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
                let text = Text::text(self);
                <&str as Encode<'_, Postgres>>::encode(&*text, buf)
            }
        }

        impl<'r> Decode<'r, Postgres> for $ty {
            fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
                let text = <&str as Decode<'r, Postgres>>::decode(value)?;
                <$ty as Text>::parse_text(text).ok_or_else(|| {
                    format!("unknown {} {text:?}", stringify!($ty)).into()
                })
            }
        }
    )+};
}

/// A value's text form in the database.
trait Text: Sized {
    fn text(&self) -> std::borrow::Cow<'static, str>;
    fn parse_text(text: &str) -> Option<Self>;
}

/// States: the text of `as_str`.
macro_rules! state_text {
    ($($ty:ty),+) => {$(
        impl Text for $ty {
            fn text(&self) -> std::borrow::Cow<'static, str> {
                self.as_str().into()
            }

            fn parse_text(text: &str) -> Option<Self> {
                Self::parse(text)
            }
        }
    )+};
}

/// Codes: their canonical `Display` form.
macro_rules! display_text {
    ($($ty:ty),+) => {$(
        impl Text for $ty {
            fn text(&self) -> std::borrow::Cow<'static, str> {
                self.to_string().into()
            }

            fn parse_text(text: &str) -> Option<Self> {
                Self::parse(text).ok()
            }
        }
    )+};
}

state_text!(Role, AlbumStatus, LicenseRoute, LicenseStatus, SaleFormat);
display_text!(Upc, Isrc, Iswc, SalesMonth);
text_column!(
    Role,
    AlbumStatus,
    LicenseRoute,
    LicenseStatus,
    SaleFormat,
    Upc,
    Isrc,
    Iswc,
    SalesMonth
);

/// The `BIGINT` in column `i` as a `u32`.
pub(super) fn u32_at(row: &PgRow, i: usize) -> Result<u32> {
    let value: i64 = row.try_get(i)?;
    u32::try_from(value).map_err(|_| out_of_range(value))
}

/// The nullable `BIGINT` in column `i` as a `u32`.
pub(super) fn opt_u32_at(row: &PgRow, i: usize) -> Result<Option<u32>> {
    let value: Option<i64> = row.try_get(i)?;
    value
        .map(|v| u32::try_from(v).map_err(|_| out_of_range(v)))
        .transpose()
}

/// The `BIGINT` (or `NUMERIC` cast to it) in column `i` as a `u64`.
pub(super) fn u64_at(row: &PgRow, i: usize) -> Result<u64> {
    let value: i64 = row.try_get(i)?;
    u64::try_from(value).map_err(|_| out_of_range(value))
}

/// A `u32` bound to a `BIGINT` parameter.
pub(super) fn big(value: u32) -> i64 {
    i64::from(value)
}

fn out_of_range(value: i64) -> StoreError {
    StoreError::Internal(format!("a stored number is out of range: {value}"))
}

/// Lowercases ASCII only, as SQLite's `LIKE` and `COLLATE NOCASE` do: the
/// engine compares it with `lower(column COLLATE "C")`, which on the `C`
/// collation also folds ASCII only, so both engines match and order text
/// the same way whatever the database's locale.
pub(super) fn ascii_lower(text: &str) -> String {
    text.to_ascii_lowercase()
}
