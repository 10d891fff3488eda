//! An album's row, as every operation on albums reads it: the columns
//! (with the artist's name), reading one, and counting a change in its
//! version. The layer below `albums`, `tracks`, `licensing`, `page` and
//! `sales`, which all start from it.

use rusqlite::{Connection, OptionalExtension, Row};

use crate::store::{Album, Result, StoreError};

/// The album columns, with the artist's name joined in.
pub(super) const ALBUM_SELECT: &str =
    "SELECT a.id, a.artist_id, r.name, a.title, a.release_date, a.upc,
        a.price_cents, a.cover_art_url, a.bandcamp_url, a.spotify_url, a.status, a.version
    FROM albums a JOIN artists r ON r.id = a.artist_id";

/// An album from the columns of [`ALBUM_SELECT`].
pub(super) fn album(row: &Row<'_>) -> rusqlite::Result<Album> {
    Ok(Album {
        id: row.get(0)?,
        artist_id: row.get(1)?,
        artist_name: row.get(2)?,
        title: row.get(3)?,
        release_date: row.get(4)?,
        upc: row.get(5)?,
        price_cents: row.get(6)?,
        cover_art_url: row.get(7)?,
        bandcamp_url: row.get(8)?,
        spotify_url: row.get(9)?,
        status: row.get(10)?,
        version: row.get(11)?,
    })
}

/// An album whoever asks, for the operations that change it.
pub(super) fn fetch_album(conn: &Connection, album_id: i64) -> Result<Album> {
    conn.prepare_cached(&format!("{ALBUM_SELECT} WHERE a.id = ?1"))?
        .query_row([album_id], album)
        .optional()?
        .ok_or(StoreError::NotFound("album"))
}

/// Records a license-free change to the album: its version goes up.
pub(super) fn bump_version(conn: &Connection, album_id: i64) -> Result<()> {
    conn.prepare_cached("UPDATE albums SET version = version + 1 WHERE id = ?1")?
        .execute([album_id])?;
    Ok(())
}
