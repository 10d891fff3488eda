//! Albums: listing with visibility, and the draft's own fields (create,
//! update under optimistic concurrency, delete).
//!
//! Deleting locks the album row first, as every album write does
//! (`album_rows`). `update_album` needs no lock: its expected version is a
//! condition of the `UPDATE` itself, which PostgreSQL re-checks on the
//! row's newest version after waiting for a concurrent writer, so of two
//! updates at the same version exactly one matches.

use sqlx::PgConnection;

use super::album_rows::{
    album, album_columns, album_fields, album_from, album_select, fetch_album, lock_album,
};
use super::catalog;
use super::row::{ascii_lower, big, u64_at};
use crate::store::check::{self, like_pattern};
use crate::store::{
    Album, AlbumPatch, AlbumQuery, AlbumSort, MAX_PER_PAGE, NewAlbum, Page, Result, StoreError,
    Viewer, rules,
};

/// Who sees an album: `$1` is "the viewer is an admin", `$2` the viewing
/// artist's id (or NULL). Drafts and submissions are their artist's. The
/// album page asks the same in Rust, `Viewer::may_see`.
macro_rules! visible {
    () => {
        "(a.status = 'live' OR $1 OR a.artist_id = $2)"
    };
}

/// `$3` restricts to one artist, `$4` is a `LIKE` pattern (lowercased
/// ASCII) over album and track titles; either may be NULL.
macro_rules! filter {
    () => {
        r#"($3::bigint IS NULL OR a.artist_id = $3)
           AND ($4::text IS NULL OR lower(a.title COLLATE "C") LIKE $4
                OR EXISTS (SELECT 1 FROM tracks t
                           WHERE t.album_id = a.id AND lower(t.title COLLATE "C") LIKE $4))"#
    };
}

/// Titles in SQLite's `COLLATE NOCASE` order: ASCII case folded, then
/// code points (see `row::ascii_lower`). `list_albums` writes the same
/// order out.
macro_rules! by_title {
    () => {
        r#"lower(a.title COLLATE "C"), a.id"#
    };
}

/// The `$1`, `$2` parameters of `visible!`.
fn visibility(viewer: Viewer) -> (bool, Option<i64>) {
    match viewer {
        Viewer::Public => (false, None),
        Viewer::Artist(id) => (false, Some(id)),
        Viewer::Admin => (true, None),
    }
}

/// One page of the albums `viewer` may see that match `query`.
pub(super) async fn list_albums(
    conn: &mut PgConnection,
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
        .map(|q| ascii_lower(&like_pattern(q.trim())));
    // The page and, with `count(*) OVER ()` (computed before `LIMIT`), the
    // number of matches: one statement, so one snapshot and one round trip.
    macro_rules! page {
        ($order:literal) => {
            concat!(
                album_columns!(),
                ", count(*) OVER ()",
                album_from!(),
                " WHERE ",
                visible!(),
                " AND ",
                filter!(),
                " ORDER BY ",
                $order,
                " LIMIT $5 OFFSET $6"
            )
        };
    }
    let sql = match query.sort {
        AlbumSort::Title => page!(r#"lower(a.title COLLATE "C"), a.id"#),
        AlbumSort::ReleaseDate => page!("a.release_date IS NULL, a.release_date, a.id"),
        AlbumSort::ReleaseDateDesc => {
            page!("a.release_date IS NULL, a.release_date DESC, a.id DESC")
        }
    };
    let offset = i64::from(query.page - 1) * i64::from(query.per_page);
    let rows = sqlx::query(sql)
        .bind(admin)
        .bind(me)
        .bind(query.artist_id)
        .bind(&pattern)
        .bind(big(query.per_page))
        .bind(offset)
        .fetch_all(&mut *conn)
        .await?;
    let total = match rows.first() {
        Some(row) => u64_at(row, 12)?,
        None if query.page == 1 => 0,
        // A page past the end has no row to carry the count: ask for it.
        // (A later snapshot than the empty page's, which nothing can tell.)
        None => {
            let row = sqlx::query(concat!(
                "SELECT count(*) FROM albums a WHERE ",
                visible!(),
                " AND ",
                filter!()
            ))
            .bind(admin)
            .bind(me)
            .bind(query.artist_id)
            .bind(&pattern)
            .fetch_one(&mut *conn)
            .await?;
            u64_at(&row, 0)?
        }
    };
    let items = rows.iter().map(album).collect::<Result<_>>()?;
    Ok(Page {
        items,
        total,
        page: query.page,
        per_page: query.per_page,
    })
}

/// Every album of an artist that `viewer` may see, by title.
pub(super) async fn list_artist_albums(
    conn: &mut PgConnection,
    artist_id: i64,
    viewer: Viewer,
) -> Result<Vec<Album>> {
    catalog::get_artist(conn, artist_id).await?;
    let (admin, me) = visibility(viewer);
    sqlx::query(concat!(
        album_select!(),
        " WHERE ",
        visible!(),
        " AND a.artist_id = $3 ORDER BY ",
        by_title!()
    ))
    .bind(admin)
    .bind(me)
    .bind(artist_id)
    .fetch_all(conn)
    .await?
    .iter()
    .map(album)
    .collect()
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

/// Applies `patch` if the album is at `expected_version`. An empty or
/// no-op patch changes nothing, not even the version.
///
/// The version is checked twice: first on the album as read, which
/// answers a stale version without writing; then by the `UPDATE` itself
/// (`WHERE id = $1 AND version = $2`), which is what makes the check
/// atomic. If the `UPDATE` matches nothing, a concurrent writer got there
/// first (or deleted the album): the album is read again to say which.
///
/// The `UPDATE` is the only write, and atomic by itself, so this needs no
/// transaction around it: the engine runs it on a bare connection, two
/// round trips for a change (read, then `UPDATE … RETURNING`) instead of
/// five.
pub(super) async fn update_album(
    conn: &mut PgConnection,
    album_id: i64,
    expected_version: i64,
    patch: AlbumPatch,
) -> Result<Album> {
    let before = fetch_album(conn, album_id).await?;
    if before.version != expected_version {
        return Err(StoreError::VersionMismatch {
            current: before.version,
        });
    }
    let after = rules::patch_album(&before, patch)?;
    if after == before {
        return Ok(before);
    }
    let updated = sqlx::query(concat!(
        "UPDATE albums a SET title = $3, release_date = $4, upc = $5, price_cents = $6,
             cover_art_url = $7, bandcamp_url = $8, spotify_url = $9, version = a.version + 1
         FROM artists r
         WHERE r.id = a.artist_id AND a.id = $1 AND a.version = $2
         RETURNING ",
        album_fields!()
    ))
    .bind(album_id)
    .bind(expected_version)
    .bind(&after.title)
    .bind(after.release_date)
    .bind(after.upc)
    .bind(big(after.price_cents))
    .bind(&after.cover_art_url)
    .bind(&after.bandcamp_url)
    .bind(&after.spotify_url)
    .fetch_optional(&mut *conn)
    .await?;
    match updated {
        Some(row) => album(&row),
        None => Err(StoreError::VersionMismatch {
            current: fetch_album(conn, album_id).await?.version,
        }),
    }
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
