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

use rusqlite::{Connection, params};
use time::Date;

use super::album_rows::{bump_version, fetch_album};
use super::license_rows::fetch_license;
use super::{catalog, page, tracks};
use crate::store::rules;
use crate::store::{Album, AlbumDetail, AlbumStatus, License, LicenseRoute, LicenseStatus, Result};

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
    page::detail(conn, fetch_album(conn, album_id)?)
}

/// Marks a license active.
pub(super) fn activate_license(conn: &Connection, license_id: i64) -> Result<License> {
    let license = fetch_license(conn, license_id)?;
    rules::require_inactive(&license)?;
    conn.prepare_cached("UPDATE licenses SET status = ?2 WHERE id = ?1")?
        .execute(params![license_id, LicenseStatus::Active])?;
    bump_version(conn, license.album_id)?;
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
