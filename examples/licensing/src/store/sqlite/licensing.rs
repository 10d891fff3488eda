//! An album's way to the store: submit (licenses are requested), activate
//! (a license is secured), publish (on sale once every license is).
//!
//! Submitting decides each cover's route, following the compulsory license
//! (17 U.S.C. §115): a faithful cover of a released song gets a Notice of
//! Intention, served the day of submission, at that year's rate; a cover
//! with changed lyrics, or of a song never released, is outside the
//! compulsory license and is marked for negotiation. Nothing is decided
//! for an incomplete album: a cover that names no composition stops the
//! whole submission.

use rusqlite::{Connection, OptionalExtension, Row, params};
use time::Date;

use super::albums::{self, fetch_album};
use super::{catalog, tracks};
use crate::store::rules;
use crate::store::{
    Album, AlbumDetail, AlbumStatus, License, LicenseRoute, LicenseStatus, Result, StoreError,
};

const LICENSE_SELECT: &str = "SELECT id, album_id, track_number, composition_id, route, status,
        rate_year, notice_date
    FROM licenses";

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

fn fetch_license(conn: &Connection, license_id: i64) -> Result<License> {
    conn.prepare_cached(&format!("{LICENSE_SELECT} WHERE id = ?1"))?
        .query_row([license_id], license)
        .optional()?
        .ok_or(StoreError::NotFound("license"))
}

fn set_status(conn: &Connection, album_id: i64, status: AlbumStatus) -> Result<()> {
    conn.prepare_cached("UPDATE albums SET status = ?2, version = version + 1 WHERE id = ?1")?
        .execute(params![album_id, status])?;
    Ok(())
}

/// Submits a draft: a license per cover, the album `submitted`.
pub(super) fn submit_album(conn: &Connection, album_id: i64, today: Date) -> Result<AlbumDetail> {
    let album = fetch_album(conn, album_id)?;
    let tracks = tracks::list_tracks(conn, album_id)?;
    rules::require_submittable(&album, &tracks)?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO licenses (album_id, track_number, composition_id, route, status,
                               rate_year, notice_date)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for track in &tracks {
        let Some(composition_id) = track.cover_of else {
            continue;
        };
        let composition = catalog::get_composition(conn, composition_id)?;
        let terms = rules::license_terms(composition.released, track.lyrics_changed, today);
        insert.execute(params![
            album_id,
            track.number,
            composition_id,
            LicenseRoute::Noi,
            terms.status,
            terms.rate_year,
            terms.notice_date
        ])?;
    }
    set_status(conn, album_id, AlbumStatus::Submitted)?;
    albums::detail(conn, fetch_album(conn, album_id)?)
}

/// Marks a license active.
pub(super) fn activate_license(conn: &Connection, license_id: i64) -> Result<License> {
    let license = fetch_license(conn, license_id)?;
    rules::require_inactive(&license)?;
    conn.prepare_cached("UPDATE licenses SET status = ?2 WHERE id = ?1")?
        .execute(params![license_id, LicenseStatus::Active])?;
    albums::bump_version(conn, license.album_id)?;
    fetch_license(conn, license_id)
}

/// Puts a submitted album whose licenses are all active on sale.
pub(super) fn publish_album(conn: &Connection, album_id: i64) -> Result<Album> {
    let album = fetch_album(conn, album_id)?;
    let outstanding = conn
        .prepare_cached("SELECT 1 FROM licenses WHERE album_id = ?1 AND status <> 'active'")?
        .exists([album_id])?;
    rules::require_publishable(&album, outstanding)?;
    set_status(conn, album_id, AlbumStatus::Live)?;
    fetch_album(conn, album_id)
}
