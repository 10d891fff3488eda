//! Albums: listing with visibility, and the draft's own fields (create,
//! update under optimistic concurrency, delete).

use rusqlite::{Connection, params};

use super::album_rows::fetch_album;
use super::catalog;
use crate::store::check::{self, like_pattern};
use crate::store::rules;
use crate::store::{
    Album, AlbumPatch, AlbumQuery, AlbumSort, NewAlbum, Page, Result, StoreError, Viewer,
};

/// A listing's search: `?4` is a `LIKE` pattern over album and track
/// titles, or NULL for none. (A scan when given: full-text search is
/// another change.)
const SEARCH: &str = r"(?4 IS NULL OR a.title LIKE ?4 ESCAPE '\'
    OR EXISTS (SELECT 1 FROM tracks t
               WHERE t.album_id = a.id AND t.title LIKE ?4 ESCAPE '\'))";

/// [`SEARCH`] when there is none (`?4` is NULL): still names `?4`, so
/// every statement takes the same parameters.
const NO_SEARCH: &str = "?4 IS NULL";

/// The albums a listing may show, as disjoint arms over `albums a`, each
/// read in order from an index of its own (`schema`, migration 3), so no
/// listing sorts or scans the whole table. `?1` is "the viewer is an
/// admin", `?2` the viewing artist, `?3` the artist listed (or NULL).
/// Drafts and submissions are their artist's; the album page asks the
/// same in Rust, `Viewer::may_see`.
///
/// An artist's own view is two arms (their albums, and others' live
/// ones), merged in order: one `OR` over both walks the title index and
/// looks up every row (1.6 s for a deep page at 200k albums, against
/// 28 ms merged; `bench/README.md` has the plans).
fn arms(viewer: Viewer, artist: Option<i64>) -> &'static [&'static str] {
    match (viewer, artist) {
        (_, Some(_)) => &["a.artist_id = ?3 AND (a.status = 'live' OR ?1 OR a.artist_id = ?2)"],
        (Viewer::Public, None) => &["a.status = 'live'"],
        (Viewer::Admin, None) => &["?1"],
        (Viewer::Artist(_), None) => &[
            "a.artist_id = ?2",
            "a.status = 'live' AND a.artist_id <> ?2",
        ],
    }
}

/// The `?1`, `?2` parameters of [`arms`].
fn visibility(viewer: Viewer) -> (bool, Option<i64>) {
    match viewer {
        Viewer::Public => (false, None),
        Viewer::Artist(id) => (false, Some(id)),
        Viewer::Admin => (true, None),
    }
}

/// The ids of one page: each arm's id and sort key (only what its index
/// holds, so no arm reads the table), merged in `sort`'s order (by column
/// number, as a compound select wants), `?5` rows from `?6`.
fn page_ids_sql(arms: &[&str], sort: AlbumSort, search: &str) -> String {
    let (columns, order) = match sort {
        AlbumSort::Title => ("a.id, a.title", "2 COLLATE NOCASE, 1"),
        AlbumSort::ReleaseDate => ("a.id, a.release_date IS NULL, a.release_date", "2, 3, 1"),
        AlbumSort::ReleaseDateDesc => (
            "a.id, a.release_date IS NULL, a.release_date",
            "2, 3 DESC, 1 DESC",
        ),
    };
    let arms: Vec<String> = arms
        .iter()
        .map(|arm| format!("SELECT {columns} FROM albums a WHERE {arm} AND {search}"))
        .collect();
    format!(
        "{} ORDER BY {order} LIMIT ?5 OFFSET ?6",
        arms.join(" UNION ALL ")
    )
}

/// How many albums the arms hold: the sum of each arm's count (they are
/// disjoint), each counted on its index.
fn count_sql(arms: &[&str], search: &str) -> String {
    let counts: Vec<String> = arms
        .iter()
        .map(|arm| format!("(SELECT count(*) FROM albums a WHERE {arm} AND {search})"))
        .collect();
    format!("SELECT {}", counts.join(" + "))
}

/// One page of the albums `viewer` may see that match `query`.
pub(super) fn list_albums(
    conn: &Connection,
    query: &AlbumQuery,
    viewer: Viewer,
) -> Result<Page<Album>> {
    check::paging(query)?;
    let (admin, me) = visibility(viewer);
    let pattern = query
        .q
        .as_deref()
        .filter(|q| !q.trim().is_empty())
        .map(|q| like_pattern(q.trim()));
    let arms = arms(viewer, query.artist_id);
    // Without a search, none in the SQL: a count then reads its index
    // range and nothing else.
    let search = if pattern.is_some() { SEARCH } else { NO_SEARCH };
    let total: u64 = conn
        .prepare_cached(&count_sql(arms, search))?
        .query_row(params![admin, me, query.artist_id, pattern], |row| {
            row.get(0)
        })?;
    let offset = u64::from(query.page - 1) * u64::from(query.per_page);
    let ids: Vec<i64> = conn
        .prepare_cached(&page_ids_sql(arms, query.sort, search))?
        .query_map(
            params![admin, me, query.artist_id, pattern, query.per_page, offset],
            |row| row.get(0),
        )?
        .collect::<rusqlite::Result<_>>()?;
    let items = ids
        .into_iter()
        .map(|id| fetch_album(conn, id))
        .collect::<Result<_>>()?;
    Ok(Page {
        items,
        total,
        page: query.page,
        per_page: query.per_page,
    })
}

/// One page of an artist's albums that `viewer` may see, by title;
/// `NotFound` if the artist does not exist.
pub(super) fn list_artist_albums(
    conn: &Connection,
    artist_id: i64,
    page: u32,
    per_page: u32,
    viewer: Viewer,
) -> Result<Page<Album>> {
    catalog::get_artist(conn, artist_id)?;
    let query = AlbumQuery {
        page,
        per_page,
        artist_id: Some(artist_id),
        ..AlbumQuery::default()
    };
    list_albums(conn, &query, viewer)
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
    // What was written, under the write lock: no need to read it back.
    Ok(Album {
        version: before.version + 1,
        ..after
    })
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
