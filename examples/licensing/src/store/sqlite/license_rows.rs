//! A license's row: its columns, and reading an album's licenses or one
//! license (the layer below `licensing` and `page`).

use rusqlite::{Connection, OptionalExtension, Row};

use crate::store::{License, Result, StoreError};

/// The license columns.
const LICENSE_SELECT: &str = "SELECT id, album_id, track_number, composition_id, route, status,
        rate_year, notice_date
    FROM licenses";

/// A license from the columns of [`LICENSE_SELECT`].
fn license(row: &Row<'_>) -> rusqlite::Result<License> {
    Ok(License {
        id: row.get(0)?,
        album_id: row.get(1)?,
        track_number: row.get(2)?,
        composition_id: row.get(3)?,
        route: row.get(4)?,
        status: row.get(5)?,
        rate_year: row.get(6)?,
        notice_date: row.get(7)?,
    })
}

/// An album's licenses by track number.
pub(super) fn list_licenses(conn: &Connection, album_id: i64) -> Result<Vec<License>> {
    let licenses = conn
        .prepare_cached(&format!(
            "{LICENSE_SELECT} WHERE album_id = ?1 ORDER BY track_number"
        ))?
        .query_map([album_id], license)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(licenses)
}

/// A license.
pub(super) fn fetch_license(conn: &Connection, license_id: i64) -> Result<License> {
    conn.prepare_cached(&format!("{LICENSE_SELECT} WHERE id = ?1"))?
        .query_row([license_id], license)
        .optional()?
        .ok_or(StoreError::NotFound("license"))
}
