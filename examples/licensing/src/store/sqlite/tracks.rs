//! Tracks of a draft album.
//!
//! **Numbering.** A track's number is its position, and numbers always run
//! 1 to n without gaps, because that is what a tracklist is and what
//! licenses and sales reports name. Adding appends, or inserts at a given
//! position and moves later tracks down; deleting moves later tracks up;
//! a number outside 1 to n + 1 is rejected. Renumbering is safe because
//! only drafts' tracks change, and drafts have no licenses or sales yet
//! (submitting freezes the tracklist).
//!
//! SQLite checks the primary key row by row during an `UPDATE`, so a shift
//! by one would collide with the neighbour; shifts go through a detour
//! above [`DETOUR`] instead, two statements, no collision.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::album_rows::{bump_version, fetch_album};
use crate::store::rules::{self, require_draft, require_version};
use crate::store::{NewTrack, Result, StoreError, Track, TrackPatch, check};

/// A number no real track reaches, used to move tracks out of the way.
const DETOUR: u32 = 1_000_000;

const TRACK_SELECT: &str = "SELECT t.album_id, t.number, t.title, t.duration_s, t.isrc,
        t.preview_url, t.is_cover, t.cover_of, t.lyrics_changed, l.status
    FROM tracks t
    LEFT JOIN licenses l ON l.album_id = t.album_id AND l.track_number = t.number";

fn track(row: &Row<'_>) -> rusqlite::Result<Track> {
    Ok(Track {
        album_id: row.get(0)?,
        number: row.get(1)?,
        title: row.get(2)?,
        duration_s: row.get(3)?,
        isrc: row.get(4)?,
        preview_url: row.get(5)?,
        is_cover: row.get(6)?,
        cover_of: row.get(7)?,
        lyrics_changed: row.get(8)?,
        license_status: row.get(9)?,
    })
}

/// An album's tracks in running order.
pub(super) fn list_tracks(conn: &Connection, album_id: i64) -> Result<Vec<Track>> {
    let tracks = conn
        .prepare_cached(&format!(
            "{TRACK_SELECT} WHERE t.album_id = ?1 ORDER BY t.number"
        ))?
        .query_map([album_id], track)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(tracks)
}

fn fetch_track(conn: &Connection, album_id: i64, number: u32) -> Result<Track> {
    conn.prepare_cached(&format!(
        "{TRACK_SELECT} WHERE t.album_id = ?1 AND t.number = ?2"
    ))?
    .query_row(params![album_id, number], track)
    .optional()?
    .ok_or(StoreError::NotFound("track"))
}

/// `Invalid` unless `cover_of`, if given, names a composition.
fn check_cover_of(conn: &Connection, cover_of: Option<i64>) -> Result<()> {
    if let Some(id) = cover_of {
        let exists = conn
            .prepare_cached("SELECT 1 FROM compositions WHERE id = ?1")?
            .exists([id])?;
        if !exists {
            return Err(StoreError::invalid("/cover_of", "no such composition"));
        }
    }
    Ok(())
}

fn track_count(conn: &Connection, album_id: i64) -> Result<u32> {
    Ok(conn
        .prepare_cached("SELECT count(*) FROM tracks WHERE album_id = ?1")?
        .query_row([album_id], |row| row.get(0))?)
}

/// Moves tracks numbered `from` and later by `by` (+1 or -1).
fn shift(conn: &Connection, album_id: i64, from: u32, by: i64) -> Result<()> {
    conn.prepare_cached(
        "UPDATE tracks SET number = number + ?3 WHERE album_id = ?1 AND number >= ?2",
    )?
    .execute(params![album_id, from, i64::from(DETOUR) + by])?;
    conn.prepare_cached(
        "UPDATE tracks SET number = number - ?2 WHERE album_id = ?1 AND number > ?2",
    )?
    .execute(params![album_id, DETOUR])?;
    Ok(())
}

/// Adds a track to a draft, appending or inserting (see the module docs).
pub(super) fn add_track(conn: &Connection, album_id: i64, new: &NewTrack) -> Result<Track> {
    require_draft(&fetch_album(conn, album_id)?)?;
    let is_cover = new.is_cover || new.cover_of.is_some();
    check::track(
        &new.title,
        new.duration_s,
        is_cover,
        new.cover_of,
        new.lyrics_changed,
    )?;
    check_cover_of(conn, new.cover_of)?;
    let count = track_count(conn, album_id)?;
    let number = rules::track_position(count, new.number)?;
    if number <= count {
        shift(conn, album_id, number, 1)?;
    }
    conn.prepare_cached(
        "INSERT INTO tracks (album_id, number, title, duration_s, isrc, preview_url,
                             is_cover, cover_of, lyrics_changed)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        album_id,
        number,
        new.title,
        new.duration_s,
        new.isrc,
        new.preview_url,
        is_cover,
        new.cover_of,
        new.lyrics_changed
    ])?;
    bump_version(conn, album_id)?;
    fetch_track(conn, album_id, number)
}

/// Changes a track of a draft whose album is at `expected_version`. The
/// write lock is held since `BEGIN IMMEDIATE`, so nobody changes the
/// version between this check and the update: of two writers holding one
/// version, the second finds it stale.
pub(super) fn update_track(
    conn: &Connection,
    album_id: i64,
    number: u32,
    expected_version: i64,
    patch: TrackPatch,
) -> Result<Track> {
    let album = fetch_album(conn, album_id)?;
    require_version(&album, Some(expected_version))?;
    require_draft(&album)?;
    let before = fetch_track(conn, album_id, number)?;
    let after = rules::patch_track(&before, patch)?;
    check_cover_of(conn, after.cover_of)?;
    if after == before {
        return Ok(before);
    }
    conn.prepare_cached(
        "UPDATE tracks SET title = ?3, duration_s = ?4, isrc = ?5, preview_url = ?6,
             is_cover = ?7, cover_of = ?8, lyrics_changed = ?9
         WHERE album_id = ?1 AND number = ?2",
    )?
    .execute(params![
        album_id,
        number,
        after.title,
        after.duration_s,
        after.isrc,
        after.preview_url,
        after.is_cover,
        after.cover_of,
        after.lyrics_changed
    ])?;
    bump_version(conn, album_id)?;
    fetch_track(conn, album_id, number)
}

/// Deletes a track of a draft (whose album is at `expected_version`, when
/// given); later tracks move up.
pub(super) fn delete_track(
    conn: &Connection,
    album_id: i64,
    number: u32,
    expected_version: Option<i64>,
) -> Result<()> {
    let album = fetch_album(conn, album_id)?;
    require_version(&album, expected_version)?;
    require_draft(&album)?;
    let deleted = conn
        .prepare_cached("DELETE FROM tracks WHERE album_id = ?1 AND number = ?2")?
        .execute(params![album_id, number])?;
    if deleted == 0 {
        return Err(StoreError::NotFound("track"));
    }
    shift(conn, album_id, number + 1, -1)?;
    bump_version(conn, album_id)
}
