//! Albums: listing with visibility, and the draft's own fields (create,
//! update under optimistic concurrency, delete).

use rusqlite::{Connection, params};

use super::album_rows::fetch_album;
use super::catalog;
use crate::store::check;
use crate::store::rules;
use crate::store::title_key::TitleKey;
use crate::store::{
    Album, AlbumPatch, AlbumQuery, AlbumSort, NewAlbum, Page, Result, StoreError, Viewer,
};

/// A listing's search: `?4` is a phrase for `album_search` (migration 4),
/// a trigram index over album and track titles, which finds the albums
/// whose titles hold the text, as `LIKE '%q%'` did, without reading the
/// others. The hits are read first, on their own (`MATCH` beside the
/// arms' `OR` is refused by FTS5's planner), and drive the statement
/// (`CROSS JOIN` keeps them first); the arms then filter them.
const HITS: &str = "WITH hits AS MATERIALIZED (SELECT DISTINCT rowid >> 20 AS id FROM album_search
                                WHERE album_search MATCH ?4)";

/// The albums of [`HITS`].
const SEARCH_FROM: &str = "hits h CROSS JOIN albums a ON a.id = h.id WHERE";

/// No search: the arms read their own indexes. Still names `?4`, so every
/// statement takes the same parameters.
const ALL_FROM: &str = "albums a WHERE ?4 IS NULL AND";

/// The start of a page read by key in the title order: `?7` and `?8` are
/// the title and id of the last album before it (`title_key`). The first
/// condition is what the title indexes seek to; the second steps over the
/// albums of the same title up to the key's id.
const AFTER_KEY: &str =
    "a.title COLLATE NOCASE >= ?7 AND (a.title COLLATE NOCASE > ?7 OR a.id > ?8)";

/// No key: names `?7` and `?8` for the same reason as [`ALL_FROM`].
const NO_KEY: &str = "?7 IS NULL AND ?8 IS NULL";

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
/// number, as a compound select wants), `?5` rows from `?6`. A search
/// reads its hits once, the arms as one condition on them.
fn page_ids_sql(arms: &[&str], sort: AlbumSort, searching: bool, by_key: bool) -> String {
    let (columns, order) = match sort {
        AlbumSort::Title => ("a.id, a.title", "2 COLLATE NOCASE, 1"),
        AlbumSort::ReleaseDate => ("a.id, a.release_date IS NULL, a.release_date", "2, 3, 1"),
        AlbumSort::ReleaseDateDesc => (
            "a.id, a.release_date IS NULL, a.release_date",
            "2, 3 DESC, 1 DESC",
        ),
    };
    let key = if by_key { AFTER_KEY } else { NO_KEY };
    let selects: Vec<String> = if searching {
        vec![format!(
            "{HITS} SELECT {columns} FROM {SEARCH_FROM} (({})) AND {key}",
            arms.join(") OR (")
        )]
    } else {
        arms.iter()
            .map(|arm| format!("SELECT {columns} FROM {ALL_FROM} {arm} AND {key}"))
            .collect()
    };
    format!(
        "{} ORDER BY {order} LIMIT ?5 OFFSET ?6",
        selects.join(" UNION ALL ")
    )
}

/// How many albums a search finds that the arms may show: its hits,
/// filtered.
fn search_count_sql(arms: &[&str]) -> String {
    format!(
        "{HITS} SELECT count(*) FROM {SEARCH_FROM} (({}))",
        arms.join(") OR (")
    )
}

/// How many albums a listing without a search holds, from the counts kept
/// per artist and status (artist 0: every artist; migration 4): a row or
/// a few, whatever the size of the catalogue. Everyone's live albums (all
/// of them for an admin), plus a viewing artist's own that are not live;
/// or, for one artist's list, theirs that the viewer may see. Same
/// parameters as [`arms`].
const KEPT_COUNT: &str = "SELECT coalesce(sum(albums), 0) FROM album_counts
    WHERE (?3 IS NULL AND artist_id = 0 AND (status = 'live' OR ?1))
       OR (?3 IS NULL AND artist_id = ?2 AND status <> 'live')
       OR (artist_id = ?3 AND (status = 'live' OR ?1 OR ?3 = ?2))";

/// One page of the albums `viewer` may see that match `query`: by key
/// after `query.after` in the title order, else by number (at most
/// [`MAX_OFFSET`](crate::store::MAX_OFFSET) deep, `check::paging`).
pub(super) fn list_albums(
    conn: &Connection,
    query: &AlbumQuery,
    viewer: Viewer,
) -> Result<Page<Album>> {
    check::paging(query)?;
    let search = check::search_text(query.q.as_deref())?.map(phrase);
    let after = match (&query.after, query.sort) {
        (Some(key), AlbumSort::Title) => Some(TitleKey::parse(key)?),
        _ => None,
    };
    let (admin, me) = visibility(viewer);
    let arms = arms(viewer, query.artist_id);
    let total: u64 = match &search {
        Some(phrase) => conn
            .prepare_cached(&search_count_sql(arms))?
            .query_row(params![admin, me, query.artist_id, phrase], |row| {
                row.get(0)
            })?,
        None => conn
            .prepare_cached(KEPT_COUNT)?
            .query_row(params![admin, me, query.artist_id], |row| row.get(0))?,
    };
    let offset = if after.is_some() { 0 } else { query.offset() };
    let sql = page_ids_sql(arms, query.sort, search.is_some(), after.is_some());
    let mut rows: Vec<(i64, Option<String>)> = conn
        .prepare_cached(&sql)?
        .query_map(
            params![
                admin,
                me,
                query.artist_id,
                search,
                query.per_page + 1,
                offset,
                after.as_ref().map(|key| &key.title),
                after.as_ref().map(|key| key.id),
            ],
            |row| Ok((row.get(0)?, row.get(1).ok())),
        )?
        .collect::<rusqlite::Result<_>>()?;
    // One row past the page says there is a next one.
    let more = rows.len() > query.per_page as usize;
    rows.truncate(query.per_page as usize);
    let next = match (more, query.sort, rows.last()) {
        (true, AlbumSort::Title, Some((id, Some(title)))) => Some(TitleKey::of(*id, title)),
        _ => None,
    };
    let items = rows
        .into_iter()
        .map(|(id, _)| fetch_album(conn, id))
        .collect::<Result<_>>()?;
    Ok(Page {
        items,
        total,
        page: query.page,
        per_page: query.per_page,
        next,
    })
}

/// An FTS5 phrase for `text`, ASCII letters lowercased as the index holds
/// them: every character literal (quotes doubled), so a search is a
/// substring, never an FTS5 operator.
fn phrase(text: &str) -> String {
    format!("\"{}\"", text.to_ascii_lowercase().replace('"', "\"\""))
}

/// One page of an artist's albums that `viewer` may see, by title;
/// `NotFound` if the artist does not exist.
pub(super) fn list_artist_albums(
    conn: &Connection,
    artist_id: i64,
    page: u32,
    per_page: u32,
    after: Option<String>,
    viewer: Viewer,
) -> Result<Page<Album>> {
    catalog::get_artist(conn, artist_id)?;
    let query = AlbumQuery {
        page,
        per_page,
        artist_id: Some(artist_id),
        after,
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
