//! The album page: the album, its artist, tracks, licenses, covered
//! compositions and units sold (the kept total, `store::totals`), read
//! for readers (and kept by the engine's read cache) and returned by a
//! submission.

use std::sync::Arc;

use rusqlite::{Connection, OptionalExtension};

use super::album_rows::fetch_album;
use super::{catalog, license_rows, tracks};
use crate::store::{Album, AlbumDetail, Composition, Result, StoreError};

/// The album page, whoever asks: the album, its artist, tracks, licenses
/// and units sold. Who may see it is the caller's question
/// ([`Viewer::may_see`](crate::store::Viewer::may_see)), asked after the
/// read cache.
pub(super) fn album_page(conn: &Connection, album_id: i64) -> Result<AlbumDetail> {
    detail(conn, fetch_album(conn, album_id)?)
}

/// The pages of the albums in `ids` that exist, each with its id: a list
/// page's albums in one read, on one connection. (In-process SQLite has
/// no round trip to save by batching statements further; each page's
/// statements are prepared once per connection and cached.)
pub(super) fn album_pages(conn: &Connection, ids: &[i64]) -> Result<Vec<(i64, Arc<AlbumDetail>)>> {
    let mut pages = Vec::with_capacity(ids.len());
    for &id in ids {
        match album_page(conn, id) {
            Ok(page) => pages.push((id, Arc::new(page))),
            // Deleted since it was listed.
            Err(StoreError::NotFound(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(pages)
}

/// Completes an album into its page.
pub(super) fn detail(conn: &Connection, album: Album) -> Result<AlbumDetail> {
    let units_sold: u64 = conn
        .prepare_cached("SELECT units FROM album_sales WHERE album_id = ?1")?
        .query_row([album.id], |row| row.get(0))
        .optional()?
        .unwrap_or(0);
    let tracks = tracks::list_tracks(conn, album.id)?;
    // Only the compositions this album covers: the page names them, and
    // reading the whole catalogue per request cost more than the album.
    let mut covered: Vec<Composition> = Vec::new();
    for id in tracks.iter().filter_map(|track| track.cover_of) {
        if !covered.iter().any(|c| c.id == id) {
            covered.push(catalog::get_composition(conn, id)?);
        }
    }
    Ok(AlbumDetail {
        artist: catalog::get_artist(conn, album.artist_id)?,
        tracks,
        licenses: license_rows::list_licenses(conn, album.id)?,
        units_sold,
        covered,
        album,
    })
}
