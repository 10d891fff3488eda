//! A license's row: its columns, and reading an album's licenses or one
//! license (the layer below `licensing` and `page`).

use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};

use super::row::u32_at;
use crate::store::{License, Result, StoreError};

/// The license columns.
macro_rules! license_select {
    () => {
        "SELECT id, album_id, track_number, composition_id, route, status,
                rate_year, notice_date
         FROM licenses"
    };
}

/// A license from the columns of `license_select!`.
fn license(row: &PgRow) -> Result<License> {
    Ok(License {
        id: row.try_get(0)?,
        album_id: row.try_get(1)?,
        track_number: u32_at(row, 2)?,
        composition_id: row.try_get(3)?,
        route: row.try_get(4)?,
        status: row.try_get(5)?,
        rate_year: row.try_get(6)?,
        notice_date: row.try_get(7)?,
    })
}

/// An album's licenses by track number.
pub(super) async fn list_licenses(conn: &mut PgConnection, album_id: i64) -> Result<Vec<License>> {
    sqlx::query(concat!(
        license_select!(),
        " WHERE album_id = $1 ORDER BY track_number"
    ))
    .bind(album_id)
    .fetch_all(conn)
    .await?
    .iter()
    .map(license)
    .collect()
}

/// A license.
pub(super) async fn fetch_license(conn: &mut PgConnection, license_id: i64) -> Result<License> {
    let row = sqlx::query(concat!(license_select!(), " WHERE id = $1"))
        .bind(license_id)
        .fetch_optional(conn)
        .await?;
    license(&row.ok_or(StoreError::NotFound("license"))?)
}
