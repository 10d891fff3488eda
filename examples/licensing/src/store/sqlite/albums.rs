//! Albums: listing with visibility, and the draft's own fields (create,
//! update under optimistic concurrency, delete).

use rusqlite::{Connection, params};

use super::album_rows::{ALBUM_SELECT, album, fetch_album};
use super::catalog;
use crate::store::check::{self, like_pattern};
use crate::store::rules;
use crate::store::{
    Album, AlbumPatch, AlbumQuery, AlbumSort, MAX_PER_PAGE, NewAlbum, Page, Result, StoreError,
    Viewer,
};

/// Who sees an album: `?1` is "the viewer is an admin", `?2` the viewing
/// artist's id (or NULL). Drafts and submissions are their artist's. The
/// album page asks the same in Rust, `Viewer::may_see`.
const VISIBLE: &str = "(a.status = 'live' OR ?1 OR a.artist_id = ?2)";

/// `?3` restricts to one artist, `?4` is a `LIKE` pattern over album and
/// track titles; either may be NULL.
const FILTER: &str = r"(?3 IS NULL OR a.artist_id = ?3)
    AND (?4 IS NULL OR a.title LIKE ?4 ESCAPE '\'
         OR EXISTS (SELECT 1 FROM tracks t
                    WHERE t.album_id = a.id AND t.title LIKE ?4 ESCAPE '\'))";

/// The `?1`, `?2` parameters of [`VISIBLE`].
fn visibility(viewer: Viewer) -> (bool, Option<i64>) {
    match viewer {
        Viewer::Public => (false, None),
        Viewer::Artist(id) => (false, Some(id)),
        Viewer::Admin => (true, None),
    }
}

/// One page of the albums `viewer` may see that match `query`.
pub(super) fn list_albums(
    conn: &Connection,
    query: &AlbumQuery,
    viewer: Viewer,
) -> Result<Page<Album>> {
    if query.page == 0 {
        return Err(StoreError::invalid("/page", "pages are numbered from 1"));
    }
    if !(1..=MAX_PER_PAGE).contains(&query.per_page) {
        return Err(StoreError::invalid(
            "/per_page",
            format!("must be between 1 and {MAX_PER_PAGE}"),
        ));
    }
    let (admin, me) = visibility(viewer);
    let pattern = query
        .q
        .as_deref()
        .filter(|q| !q.trim().is_empty())
        .map(|q| like_pattern(q.trim()));
    let total: u64 = conn
        .prepare_cached(&format!(
            "SELECT count(*) FROM albums a WHERE {VISIBLE} AND {FILTER}"
        ))?
        .query_row(params![admin, me, query.artist_id, pattern], |row| {
            row.get(0)
        })?;
    let order = match query.sort {
        AlbumSort::Title => "a.title COLLATE NOCASE, a.id",
        AlbumSort::ReleaseDate => "a.release_date IS NULL, a.release_date, a.id",
        AlbumSort::ReleaseDateDesc => "a.release_date IS NULL, a.release_date DESC, a.id DESC",
    };
    let offset = u64::from(query.page - 1) * u64::from(query.per_page);
    let items = conn
        .prepare_cached(&format!(
            "{ALBUM_SELECT} WHERE {VISIBLE} AND {FILTER} ORDER BY {order} LIMIT ?5 OFFSET ?6"
        ))?
        .query_map(
            params![admin, me, query.artist_id, pattern, query.per_page, offset],
            album,
        )?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Page {
        items,
        total,
        page: query.page,
        per_page: query.per_page,
    })
}

/// Every album of an artist that `viewer` may see, by title.
pub(super) fn list_artist_albums(
    conn: &Connection,
    artist_id: i64,
    viewer: Viewer,
) -> Result<Vec<Album>> {
    catalog::get_artist(conn, artist_id)?;
    let (admin, me) = visibility(viewer);
    let albums = conn
        .prepare_cached(&format!(
            "{ALBUM_SELECT} WHERE {VISIBLE} AND a.artist_id = ?3 ORDER BY a.title COLLATE NOCASE, a.id"
        ))?
        .query_map(params![admin, me, artist_id], album)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(albums)
}

/// Creates a draft at version 1.
pub(super) fn create_album(conn: &Connection, new: &NewAlbum) -> Result<Album> {
    check::not_blank("/title", &new.title)?;
    let artist_exists = conn
        .prepare_cached("SELECT 1 FROM artists WHERE id = ?1")?
        .exists([new.artist_id])?;
    if !artist_exists {
        return Err(StoreError::invalid("/artist_id", "no such artist"));
    }
    conn.prepare_cached(
        "INSERT INTO albums (artist_id, title, release_date, upc, price_cents,
                             cover_art_url, bandcamp_url, spotify_url)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        new.artist_id,
        new.title,
        new.release_date,
        new.upc,
        new.price_cents,
        new.cover_art_url,
        new.bandcamp_url,
        new.spotify_url
    ])?;
    fetch_album(conn, conn.last_insert_rowid())
}

/// Applies `patch` if the album is at `expected_version`. An empty or
/// no-op patch changes nothing, not even the version.
pub(super) fn update_album(
    conn: &Connection,
    album_id: i64,
    expected_version: i64,
    patch: AlbumPatch,
) -> Result<Album> {
    let before = fetch_album(conn, album_id)?;
    // The write lock is held since `BEGIN IMMEDIATE`: nobody can change the
    // version between this check and the update.
    if before.version != expected_version {
        return Err(StoreError::VersionMismatch {
            current: before.version,
        });
    }
    let after = rules::patch_album(&before, patch)?;
    if after == before {
        return Ok(before);
    }
    conn.prepare_cached(
        "UPDATE albums SET title = ?2, release_date = ?3, upc = ?4, price_cents = ?5,
             cover_art_url = ?6, bandcamp_url = ?7, spotify_url = ?8, version = version + 1
         WHERE id = ?1",
    )?
    .execute(params![
        album_id,
        after.title,
        after.release_date,
        after.upc,
        after.price_cents,
        after.cover_art_url,
        after.bandcamp_url,
        after.spotify_url
    ])?;
    fetch_album(conn, album_id)
}

/// Deletes a draft and its tracks, if it is at `expected_version` (when
/// given; the write lock is held, as in [`update_album`]).
pub(super) fn delete_album(
    conn: &Connection,
    album_id: i64,
    expected_version: Option<i64>,
) -> Result<()> {
    let album = fetch_album(conn, album_id)?;
    rules::require_version(&album, expected_version)?;
    rules::require_deletable(&album)?;
    conn.prepare_cached("DELETE FROM albums WHERE id = ?1")?
        .execute([album_id])?;
    Ok(())
}
