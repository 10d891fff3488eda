//! Albums: listing with visibility, and the draft's own fields (create,
//! update under optimistic concurrency, delete).
//!
//! Deleting locks the album row first, as every album write does
//! (`album_rows`). `update_album` needs no lock: its expected version is a
//! condition of the `UPDATE` itself, which PostgreSQL re-checks on the
//! row's newest version after waiting for a concurrent writer, so of two
//! updates at the same version exactly one matches.

use sqlx::{AssertSqlSafe, PgConnection, Row};

use super::album_rows::{album, album_columns, album_fields, fetch_album, lock_album};
use super::catalog;
use super::page::{self, page_columns};
use super::row::{ascii_lower, big, u64_at};
use crate::store::check::{self, like_pattern};
use crate::store::title_key::TitleKey;
use crate::store::{
    Album, AlbumDetail, AlbumPatch, AlbumQuery, AlbumSort, NewAlbum, Page, Result, StoreError,
    Viewer, rules,
};

/// A listing's search: `$4` is a `LIKE` pattern (lowercased ASCII) over
/// album and track titles, or NULL for none. Its hits are read first,
/// from the trigram indexes (migration 0006), and the arms filter them:
/// no search reads every album.
const HITS: &str = r#"hits AS MATERIALIZED (
        SELECT id FROM albums WHERE lower(title COLLATE "C") LIKE $4
        UNION SELECT album_id FROM tracks WHERE lower(title COLLATE "C") LIKE $4)"#;

/// The condition a search puts on each arm.
const IN_HITS: &str = "a.id IN (SELECT id FROM hits)";

/// No search: still names `$4`, so every statement takes the same
/// parameters.
const NO_SEARCH: &str = "$4::text IS NULL";

/// The start of a page read by key in the title order: `$6` and `$7` are
/// the lowercased title and id of the last album before it
/// (`title_key`), a row comparison the title indexes seek to.
const AFTER_KEY: &str =
    r#"(lower(a.title COLLATE "C"), a.id) > ($6::text COLLATE "C", $7::bigint)"#;

/// No key: names `$6` and `$7` for the same reason as [`NO_SEARCH`].
const NO_KEY: &str = "$6::text IS NULL AND $7::bigint IS NULL";

/// The albums a listing may show, as disjoint arms over `albums a`, each
/// read in order from an index of its own (migration 0004), as on SQLite
/// (see `sqlite::albums::arms`): `$1` is "the viewer is an admin", `$2`
/// the viewing artist, `$3` the artist listed (or NULL). An artist's own
/// view is two arms, merged in order (`Merge Append`) instead of one `OR`
/// that no index serves.
fn arms(viewer: Viewer, artist: Option<i64>) -> &'static [&'static str] {
    match (viewer, artist) {
        (_, Some(_)) => &[
            "a.artist_id = $3::bigint AND (a.status = 'live' OR $1::boolean OR a.artist_id = $2::bigint)",
        ],
        (Viewer::Public, None) => &["a.status = 'live'"],
        (Viewer::Admin, None) => &["$1::boolean"],
        (Viewer::Artist(_), None) => &[
            "a.artist_id = $2::bigint",
            "a.status = 'live' AND a.artist_id <> $2::bigint",
        ],
    }
}

/// The `$1`, `$2` parameters of [`arms`].
fn visibility(viewer: Viewer) -> (bool, Option<i64>) {
    match viewer {
        Viewer::Public => (false, None),
        Viewer::Artist(id) => (false, Some(id)),
        Viewer::Admin => (true, None),
    }
}

/// How many albums a listing holds. Without a search, from the counts
/// kept per artist and status (artist 0: every artist; migration 0006),
/// as on SQLite (`sqlite::albums::KEPT_COUNT`); with one, its hits that
/// the arms may show.
fn count_sql(arms: &[&str], searching: bool) -> String {
    if searching {
        return format!(
            "SELECT count(*) FROM albums a WHERE {IN_HITS} AND (({}))",
            arms.join(") OR (")
        );
    }
    "SELECT coalesce(sum(albums), 0)::bigint FROM album_counts
     WHERE ($3::bigint IS NULL AND artist_id = 0 AND (status = 'live' OR $1::boolean))
        OR ($3::bigint IS NULL AND artist_id = $2::bigint AND status <> 'live')
        OR (artist_id = $3::bigint AND (status = 'live' OR $1::boolean OR $3::bigint = $2::bigint))"
        .to_owned()
}

/// One page, `limit` rows from `offset` (`$5`), with the count in its last column: the
/// arms' ids and sort keys (only what their indexes hold, so a deep page
/// reads no table row it skips) merged in `sort`'s order, then joined to
/// their columns. One statement, one round trip. Titles sort on
/// `lower(title COLLATE "C")`, SQLite's `COLLATE NOCASE` order (see
/// `row::ascii_lower`), the key the indexes hold.
///
/// The limit is written into the statement, not bound (a page size is one
/// of a hundred), and so is an offset of 0 (a first page, a page by key:
/// nearly every list; other offsets stay `$5`, one statement for all):
/// with an unknown limit or offset, the plan PostgreSQL makes once for
/// every call is costed for a tenth of the albums, so it kept planning
/// each call for its values instead (0.6–0.8 ms a list at 1M albums, more
/// than the statement's execution).
fn page_sql(
    arms: &[&str],
    sort: AlbumSort,
    searching: bool,
    by_key: bool,
    (limit, first): (u32, bool),
) -> String {
    let offset = if first { "0" } else { "$5::bigint" };
    let (columns, inner, outer) = match sort {
        AlbumSort::Title => (
            "a.id, lower(a.title COLLATE \"C\") AS key",
            "key, id",
            "p.key, p.id",
        ),
        AlbumSort::ReleaseDate => (
            "a.id, a.release_date IS NULL AS undated, a.release_date",
            "undated, release_date, id",
            "p.undated, p.release_date, p.id",
        ),
        AlbumSort::ReleaseDateDesc => (
            "a.id, a.release_date IS NULL AS undated, a.release_date",
            "undated, release_date DESC, id DESC",
            "p.undated, p.release_date DESC, p.id DESC",
        ),
    };
    let (with, search) = if searching {
        (format!("{HITS}, "), IN_HITS)
    } else {
        (String::new(), NO_SEARCH)
    };
    let key = if by_key { AFTER_KEY } else { NO_KEY };
    // Each arm ordered and cut on its own: without it the planner may
    // read an artist's view (two arms) by a parallel scan of every album
    // and a top-N sort (394 ms for page 1 at 1M albums) instead of merging
    // the two indexes it reads in order.
    // (One arm needs neither, and a lone parenthesized select may not be
    // ordered again.)
    let selects: Vec<String> = arms
        .iter()
        .map(|arm| {
            let select =
                format!("SELECT {columns} FROM albums a WHERE {arm} AND {search} AND {key}");
            if arms.len() == 1 {
                select
            } else {
                format!("({select} ORDER BY {inner} LIMIT {limit} + {offset})")
            }
        })
        .collect();
    format!(
        "WITH {with}page AS ({} ORDER BY {inner} LIMIT {limit} OFFSET {offset})
         SELECT {}, ({}) FROM page p JOIN albums a ON a.id = p.id
         JOIN artists r ON r.id = a.artist_id ORDER BY {outer}",
        selects.join(" UNION ALL "),
        album_fields!(),
        count_sql(arms, searching),
    )
}

/// One page of the albums `viewer` may see that match `query`: by key
/// after `query.after` in the title order, else by number (at most
/// [`MAX_OFFSET`](crate::store::MAX_OFFSET) deep, `check::paging`).
pub(super) async fn list_albums(
    conn: &mut PgConnection,
    query: &AlbumQuery,
    viewer: Viewer,
) -> Result<Page<Album>> {
    check::paging(query)?;
    let pattern = check::search_text(query.q.as_deref())?.map(|q| ascii_lower(&like_pattern(q)));
    let after = match (&query.after, query.sort) {
        (Some(key), AlbumSort::Title) => Some(TitleKey::parse(key)?),
        _ => None,
    };
    let (admin, me) = visibility(viewer);
    let arms = arms(viewer, query.artist_id);
    let offset = if after.is_some() { 0 } else { query.offset() };
    let sql = page_sql(
        arms,
        query.sort,
        pattern.is_some(),
        after.is_some(),
        (query.per_page + 1, offset == 0),
    );
    let rows = sqlx::query(AssertSqlSafe(sql))
        .bind(admin)
        .bind(me)
        .bind(query.artist_id)
        .bind(&pattern)
        .bind(i64::try_from(offset).unwrap_or(i64::MAX))
        .bind(after.as_ref().map(|key| ascii_lower(&key.title)))
        .bind(after.as_ref().map(|key| key.id))
        .fetch_all(&mut *conn)
        .await?;
    let total = match rows.first() {
        Some(row) => u64_at(row, 12)?,
        None if query.page == 1 => 0,
        // A page past the end has no row to carry the count: ask for it
        // (in the same snapshot: listings run in a read transaction).
        None => count(conn, arms, (admin, me, query.artist_id), pattern.as_deref()).await?,
    };
    let mut items: Vec<Album> = rows.iter().map(album).collect::<Result<_>>()?;
    // One row past the page says there is a next one.
    let more = items.len() > query.per_page as usize;
    items.truncate(query.per_page as usize);
    let next = match (more, query.sort, items.last()) {
        (true, AlbumSort::Title, Some(last)) => Some(TitleKey::of(last.id, &last.title)),
        _ => None,
    };
    Ok(Page {
        items,
        total,
        page: query.page,
        per_page: query.per_page,
        next,
    })
}

/// How many albums the arms hold that match `pattern` (see [`count_sql`]);
/// `params` are [`arms`]' `$1`, `$2`, `$3`.
async fn count(
    conn: &mut PgConnection,
    arms: &[&str],
    (admin, me, artist): (bool, Option<i64>, Option<i64>),
    pattern: Option<&str>,
) -> Result<u64> {
    let with = if pattern.is_some() {
        format!("WITH {HITS} ")
    } else {
        String::new()
    };
    let count = count_sql(arms, pattern.is_some());
    let row = sqlx::query(AssertSqlSafe(format!("{with}SELECT ({count})")))
        .bind(admin)
        .bind(me)
        .bind(artist)
        .bind(pattern)
        .fetch_one(&mut *conn)
        .await?;
    u64_at(&row, 0)
}

/// One page of an artist's albums that `viewer` may see, by title;
/// `NotFound` if the artist does not exist.
pub(super) async fn list_artist_albums(
    conn: &mut PgConnection,
    artist_id: i64,
    page: u32,
    per_page: u32,
    after: Option<String>,
    viewer: Viewer,
) -> Result<Page<Album>> {
    catalog::get_artist(conn, artist_id).await?;
    let query = AlbumQuery {
        page,
        per_page,
        artist_id: Some(artist_id),
        after,
        ..AlbumQuery::default()
    };
    list_albums(conn, &query, viewer).await
}

/// Creates a draft at version 1.
pub(super) async fn create_album(conn: &mut PgConnection, new: &NewAlbum) -> Result<Album> {
    check::not_blank("/title", &new.title)?;
    let artist_exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM artists WHERE id = $1)")
            .bind(new.artist_id)
            .fetch_one(&mut *conn)
            .await?;
    if !artist_exists {
        return Err(StoreError::invalid("/artist_id", "no such artist"));
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO albums (artist_id, title, release_date, upc, price_cents,
                             cover_art_url, bandcamp_url, spotify_url)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(new.artist_id)
    .bind(&new.title)
    .bind(new.release_date)
    .bind(new.upc)
    .bind(big(new.price_cents))
    .bind(&new.cover_art_url)
    .bind(&new.bandcamp_url)
    .bind(&new.spotify_url)
    .fetch_one(&mut *conn)
    .await?;
    fetch_album(conn, id).await
}

/// A patch's new values, over the album row `a`: `$3` the title (NULL:
/// unchanged), `$8` the price likewise, and for each field that can be
/// cleared a flag (set it?) and its value: `$4`/`$5` release date,
/// `$6`/`$7` UPC, `$9`/`$10` cover art, `$11`/`$12` Bandcamp, `$13`/`$14`
/// Spotify.
macro_rules! patched {
    () => {
        "coalesce($3, a.title), CASE WHEN $4 THEN $5 ELSE a.release_date END,
         CASE WHEN $6 THEN $7 ELSE a.upc END, coalesce($8, a.price_cents),
         CASE WHEN $9 THEN $10 ELSE a.cover_art_url END,
         CASE WHEN $11 THEN $12 ELSE a.bandcamp_url END,
         CASE WHEN $13 THEN $14 ELSE a.spotify_url END"
    };
}

/// A patch in one statement: the album `$1`, if still at version `$2` and
/// if the patch changes it, gets the new values and its version counted,
/// and the statement returns the new page (`page::page_columns!`), so the
/// write and what the answer renders are one round trip, and then its
/// transaction (`own_writes`). No row: the album is missing, at another
/// version, or unchanged.
const PATCH: &str = concat!(
    "WITH a AS (UPDATE albums a
         SET (title, release_date, upc, price_cents, cover_art_url, bandcamp_url, spotify_url)
             = (",
    patched!(),
    "), version = a.version + 1
         WHERE a.id = $1 AND a.version = $2
           AND (a.title, a.release_date, a.upc, a.price_cents, a.cover_art_url,
                a.bandcamp_url, a.spotify_url) IS DISTINCT FROM (",
    patched!(),
    ")
         RETURNING a.*) ",
    page_columns!(),
    ", txid_current() FROM a JOIN artists r ON r.id = a.artist_id"
);

/// A patch's outcome: the album's page as the patch left it, and the
/// transaction that wrote it (none if the patch changed nothing).
pub(super) struct Patched {
    pub(super) page: AlbumDetail,
    pub(super) transaction: Option<i64>,
}

/// Applies `patch` if the album is at `expected_version`, and gives its
/// new page. An empty or no-op patch changes nothing, not even the
/// version. The expected version is a condition of the `UPDATE` (see the
/// module docs); a blank title is refused before it.
pub(super) async fn update_album(
    conn: &mut PgConnection,
    album_id: i64,
    expected_version: i64,
    patch: AlbumPatch,
) -> Result<Patched> {
    rules::check_album_patch(&patch)?;
    let set = |field: &Option<Option<String>>| (field.is_some(), field.clone().flatten());
    let (cover_set, cover) = set(&patch.cover_art_url);
    let (bandcamp_set, bandcamp) = set(&patch.bandcamp_url);
    let (spotify_set, spotify) = set(&patch.spotify_url);
    let updated = sqlx::query(PATCH)
        .bind(album_id)
        .bind(expected_version)
        .bind(&patch.title)
        .bind(patch.release_date.is_some())
        .bind(patch.release_date.flatten())
        .bind(patch.upc.is_some())
        .bind(patch.upc.flatten())
        .bind(patch.price_cents.map(big))
        .bind(cover_set)
        .bind(cover)
        .bind(bandcamp_set)
        .bind(bandcamp)
        .bind(spotify_set)
        .bind(spotify)
        .fetch_optional(&mut *conn)
        .await?;
    if let Some(row) = updated {
        return Ok(Patched {
            page: page::page_from(&row)?,
            transaction: Some(row.try_get(page::PAGE_COLUMNS)?),
        });
    }
    let current = fetch_album(conn, album_id).await?;
    if current.version != expected_version {
        return Err(StoreError::VersionMismatch {
            current: current.version,
        });
    }
    Ok(Patched {
        page: page::album_page(conn, album_id).await?,
        transaction: None,
    })
}

/// Deletes a draft and its tracks, if it is at `expected_version` (when
/// given: checked on the locked row, so no writer slips in between).
pub(super) async fn delete_album(
    conn: &mut PgConnection,
    album_id: i64,
    expected_version: Option<i64>,
) -> Result<()> {
    let album = lock_album(conn, album_id).await?;
    rules::require_version(&album, expected_version)?;
    rules::require_deletable(&album)?;
    sqlx::query("DELETE FROM albums WHERE id = $1")
        .bind(album_id)
        .execute(conn)
        .await?;
    Ok(())
}
