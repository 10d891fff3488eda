//! An album's row, as every operation on albums reads and locks it: the
//! columns (with the artist's name), reading one, locking one for a write,
//! and counting a change in its version. The layer below `albums`,
//! `tracks`, `licensing`, `page` and `sales`, which all start from it.
//!
//! **Concurrency.** Every write to an album first locks its row
//! ([`lock_album`], `SELECT … FOR NO KEY UPDATE`), so the writes to one
//! album queue behind each other as SQLite's single writer makes them,
//! whichever instance they come through, and each sees the state the
//! previous one committed. (`NO KEY`: the lock an `UPDATE` of the row takes
//! anyway; unlike `FOR UPDATE` it does not hold up the key-share locks of
//! sales rows being inserted for the album.)

use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};

use super::row::u32_at;
use crate::store::{Album, Result, StoreError};

/// The album columns, with the artist's name joined in (`album_from!`).
macro_rules! album_columns {
    () => {
        concat!("SELECT ", album_fields!())
    };
}

/// The album columns as a list (for `RETURNING` too).
macro_rules! album_fields {
    () => {
        "a.id, a.artist_id, r.name, a.title, a.release_date, a.upc,
         a.price_cents, a.cover_art_url, a.bandcamp_url, a.spotify_url, a.status, a.version"
    };
}

/// Albums with their artists.
macro_rules! album_from {
    () => {
        " FROM albums a JOIN artists r ON r.id = a.artist_id"
    };
}

/// The album columns from albums with their artists.
macro_rules! album_select {
    () => {
        concat!(album_columns!(), album_from!())
    };
}

pub(super) use {album_columns, album_fields, album_from};

/// An album from the columns of `album_columns!`.
pub(super) fn album(row: &PgRow) -> Result<Album> {
    Ok(Album {
        id: row.try_get(0)?,
        artist_id: row.try_get(1)?,
        artist_name: row.try_get(2)?,
        title: row.try_get(3)?,
        release_date: row.try_get(4)?,
        upc: row.try_get(5)?,
        price_cents: u32_at(row, 6)?,
        cover_art_url: row.try_get(7)?,
        bandcamp_url: row.try_get(8)?,
        spotify_url: row.try_get(9)?,
        status: row.try_get(10)?,
        version: row.try_get(11)?,
    })
}

/// An album whoever asks.
pub(super) async fn fetch_album(conn: &mut PgConnection, album_id: i64) -> Result<Album> {
    let row = sqlx::query(concat!(album_select!(), " WHERE a.id = $1"))
        .bind(album_id)
        .fetch_optional(conn)
        .await?;
    album(&row.ok_or(StoreError::NotFound("album"))?)
}

/// An album, its row locked until the transaction ends: what every write
/// to an album starts with (see the module docs).
pub(super) async fn lock_album(conn: &mut PgConnection, album_id: i64) -> Result<Album> {
    let row = sqlx::query(concat!(
        album_select!(),
        " WHERE a.id = $1 FOR NO KEY UPDATE OF a"
    ))
    .bind(album_id)
    .fetch_optional(conn)
    .await?;
    album(&row.ok_or(StoreError::NotFound("album"))?)
}

/// Records a license-free change to the album: its version goes up.
pub(super) async fn bump_version(conn: &mut PgConnection, album_id: i64) -> Result<()> {
    sqlx::query("UPDATE albums SET version = version + 1 WHERE id = $1")
        .bind(album_id)
        .execute(conn)
        .await?;
    Ok(())
}
