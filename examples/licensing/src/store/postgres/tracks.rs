//! Tracks of a draft album: numbers run 1 to n without gaps (see the
//! SQLite engine's `tracks` for why). Every change locks the album row
//! first (`album_rows::lock_album`), so two instances adding tracks at once
//! queue instead of both taking number n + 1.
//!
//! PostgreSQL checks a non-deferrable primary key row by row during an
//! `UPDATE`, as SQLite does, so shifts take the same detour above
//! [`DETOUR`]. (The key cannot be made deferrable instead: licenses'
//! foreign key refers to it.)

use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};

use super::album_rows::{bump_version, lock_album};
use super::row::{big, u32_at};
use crate::store::rules::{self, require_draft, require_version};
use crate::store::{NewTrack, Result, StoreError, Track, TrackPatch, check};

/// A number no real track reaches, used to move tracks out of the way.
const DETOUR: i64 = 1_000_000;

/// The track columns, with the state of the track's license.
macro_rules! track_select {
    () => {
        "SELECT t.album_id, t.number, t.title, t.duration_s, t.isrc,
                t.preview_url, t.is_cover, t.cover_of, t.lyrics_changed, l.status
         FROM tracks t
         LEFT JOIN licenses l ON l.album_id = t.album_id AND l.track_number = t.number"
    };
}

fn track(row: &PgRow) -> Result<Track> {
    Ok(Track {
        album_id: row.try_get(0)?,
        number: u32_at(row, 1)?,
        title: row.try_get(2)?,
        duration_s: u32_at(row, 3)?,
        isrc: row.try_get(4)?,
        preview_url: row.try_get(5)?,
        is_cover: row.try_get(6)?,
        cover_of: row.try_get(7)?,
        lyrics_changed: row.try_get(8)?,
        license_status: row.try_get(9)?,
    })
}

/// An album's tracks in running order.
pub(super) async fn list_tracks(conn: &mut PgConnection, album_id: i64) -> Result<Vec<Track>> {
    sqlx::query(concat!(
        track_select!(),
        " WHERE t.album_id = $1 ORDER BY t.number"
    ))
    .bind(album_id)
    .fetch_all(conn)
    .await?
    .iter()
    .map(track)
    .collect()
}

async fn fetch_track(conn: &mut PgConnection, album_id: i64, number: u32) -> Result<Track> {
    let row = sqlx::query(concat!(
        track_select!(),
        " WHERE t.album_id = $1 AND t.number = $2"
    ))
    .bind(album_id)
    .bind(big(number))
    .fetch_optional(conn)
    .await?;
    track(&row.ok_or(StoreError::NotFound("track"))?)
}

/// `Invalid` unless `cover_of`, if given, names a composition.
async fn check_cover_of(conn: &mut PgConnection, cover_of: Option<i64>) -> Result<()> {
    if let Some(id) = cover_of {
        let exists: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM compositions WHERE id = $1)")
                .bind(id)
                .fetch_one(conn)
                .await?;
        if !exists {
            return Err(StoreError::invalid("/cover_of", "no such composition"));
        }
    }
    Ok(())
}

async fn track_count(conn: &mut PgConnection, album_id: i64) -> Result<u32> {
    let row = sqlx::query("SELECT count(*) FROM tracks WHERE album_id = $1")
        .bind(album_id)
        .fetch_one(conn)
        .await?;
    u32_at(&row, 0)
}

/// Moves tracks numbered `from` and later by `by` (+1 or -1).
async fn shift(conn: &mut PgConnection, album_id: i64, from: u32, by: i64) -> Result<()> {
    sqlx::query("UPDATE tracks SET number = number + $3 WHERE album_id = $1 AND number >= $2")
        .bind(album_id)
        .bind(big(from))
        .bind(DETOUR + by)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE tracks SET number = number - $2 WHERE album_id = $1 AND number > $2")
        .bind(album_id)
        .bind(DETOUR)
        .execute(conn)
        .await?;
    Ok(())
}

/// Adds a track to a draft, appending or inserting.
pub(super) async fn add_track(
    conn: &mut PgConnection,
    album_id: i64,
    new: &NewTrack,
) -> Result<Track> {
    require_draft(&lock_album(conn, album_id).await?)?;
    let is_cover = new.is_cover || new.cover_of.is_some();
    check::track(
        &new.title,
        new.duration_s,
        is_cover,
        new.cover_of,
        new.lyrics_changed,
    )?;
    check_cover_of(conn, new.cover_of).await?;
    let count = track_count(conn, album_id).await?;
    let number = rules::track_position(count, new.number)?;
    if number <= count {
        shift(conn, album_id, number, 1).await?;
    }
    sqlx::query(
        "INSERT INTO tracks (album_id, number, title, duration_s, isrc, preview_url,
                             is_cover, cover_of, lyrics_changed)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(album_id)
    .bind(big(number))
    .bind(&new.title)
    .bind(big(new.duration_s))
    .bind(new.isrc)
    .bind(&new.preview_url)
    .bind(is_cover)
    .bind(new.cover_of)
    .bind(new.lyrics_changed)
    .execute(&mut *conn)
    .await?;
    bump_version(conn, album_id).await?;
    fetch_track(conn, album_id, number).await
}

/// Changes a track of a draft whose album is at `expected_version`,
/// checked on the locked album row: a second writer holding the same
/// version waits for the first to commit, then finds it stale.
pub(super) async fn update_track(
    conn: &mut PgConnection,
    album_id: i64,
    number: u32,
    expected_version: i64,
    patch: TrackPatch,
) -> Result<Track> {
    let album = lock_album(conn, album_id).await?;
    require_version(&album, Some(expected_version))?;
    require_draft(&album)?;
    let before = fetch_track(conn, album_id, number).await?;
    let after = rules::patch_track(&before, patch)?;
    check_cover_of(conn, after.cover_of).await?;
    if after == before {
        return Ok(before);
    }
    sqlx::query(
        "UPDATE tracks SET title = $3, duration_s = $4, isrc = $5, preview_url = $6,
             is_cover = $7, cover_of = $8, lyrics_changed = $9
         WHERE album_id = $1 AND number = $2",
    )
    .bind(album_id)
    .bind(big(number))
    .bind(&after.title)
    .bind(big(after.duration_s))
    .bind(after.isrc)
    .bind(&after.preview_url)
    .bind(after.is_cover)
    .bind(after.cover_of)
    .bind(after.lyrics_changed)
    .execute(&mut *conn)
    .await?;
    bump_version(conn, album_id).await?;
    fetch_track(conn, album_id, number).await
}

/// Deletes a track of a draft (whose album is at `expected_version`, when
/// given); later tracks move up.
pub(super) async fn delete_track(
    conn: &mut PgConnection,
    album_id: i64,
    number: u32,
    expected_version: Option<i64>,
) -> Result<()> {
    let album = lock_album(conn, album_id).await?;
    require_version(&album, expected_version)?;
    require_draft(&album)?;
    let deleted = sqlx::query("DELETE FROM tracks WHERE album_id = $1 AND number = $2")
        .bind(album_id)
        .bind(big(number))
        .execute(&mut *conn)
        .await?
        .rows_affected();
    if deleted == 0 {
        return Err(StoreError::NotFound("track"));
    }
    shift(conn, album_id, number.saturating_add(1), -1).await?;
    bump_version(conn, album_id).await
}
