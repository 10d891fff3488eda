//! The album page: the album, its artist, units sold (the kept total),
//! tracks, licenses and covered compositions. Readers get it in one statement, a single round
//! trip ([`album_page`]), and a list page gets all its albums' pages in
//! one statement too ([`album_pages`]); a write that returns a page (a
//! submission) assembles it from the rows it has just written
//! ([`detail`]).
//!
//! The page is the most read thing the service serves, and with no cache
//! on this engine (see the engine's docs) every view reads it from the
//! database. Read as separate statements it costs six round trips (a
//! snapshot transaction's `BEGIN` and `COMMIT` among them); as one
//! statement it costs one, and a single statement sees one snapshot by
//! itself, so it needs no transaction. The lists come back as JSON arrays
//! (`json_agg` of `json_build_array`, as text), which serde reads into
//! tuples; every value is then parsed by the same `parse` functions as a
//! column would be, so a value the types reject is an `Internal` error.

use serde::de::DeserializeOwned;
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};
use time::Date;
use time::macros::format_description;

use super::album_rows::{album, album_columns, album_fields, album_from};
use super::row::u64_at;
use super::{catalog, license_rows, tracks};
use crate::domain::ids::{Isrc, Iswc};
use crate::store::{
    Album, AlbumDetail, Artist, Composition, License, LicenseRoute, LicenseStatus, Publisher,
    Result, StoreError, Track,
};

/// How many columns `page_columns!` gives ([`page_from`] reads them): a
/// statement's own columns follow, from this index.
pub(super) const PAGE_COLUMNS: usize = 21;

/// An album page's columns ([`PAGE_COLUMNS`] of them): the album's
/// (`album_rows`), then the rest of its artist, units sold, and the lists
/// as JSON, over `a` (an album row) and `r` (its artist); `FROM` follows.
macro_rules! page_columns {
    () => {
        concat!(
            album_columns!(),
            r#",
       r.bio, r.email, r.bandcamp, r.spotify, r.website,
       coalesce((SELECT s.units FROM album_sales s WHERE s.album_id = a.id), 0),
       (SELECT coalesce(json_agg(json_build_array(
                   t.number, t.title, t.duration_s, t.isrc, t.preview_url,
                   t.is_cover, t.cover_of, t.lyrics_changed, l.status)
                 ORDER BY t.number), '[]')::text
          FROM tracks t
          LEFT JOIN licenses l ON l.album_id = t.album_id AND l.track_number = t.number
         WHERE t.album_id = a.id),
       (SELECT coalesce(json_agg(json_build_array(
                   l.id, l.track_number, l.composition_id, l.route, l.status,
                   l.rate_year, l.notice_date)
                 ORDER BY l.track_number), '[]')::text
          FROM licenses l WHERE l.album_id = a.id),
       (SELECT coalesce(json_agg(json_build_array(
                   c.id, c.title, c.iswc, c.released,
                   (SELECT coalesce(json_agg(w.name ORDER BY w.position), '[]')
                      FROM composition_writers w WHERE w.composition_id = c.id),
                   (SELECT coalesce(json_agg(json_build_array(p.name, p.share_bp)
                                    ORDER BY p.share_bp DESC, p.name COLLATE "C"), '[]')
                      FROM publishers p WHERE p.composition_id = c.id))), '[]')::text
          FROM compositions c
         WHERE c.id IN (SELECT t.cover_of FROM tracks t WHERE t.album_id = a.id))"#
        )
    };
}

/// An album page's columns from albums with their artists; a `WHERE`
/// clause follows.
macro_rules! page_select {
    () => {
        concat!(page_columns!(), album_from!())
    };
}

pub(super) use page_columns;

/// The page of album `$1`.
const PAGE: &str = concat!(page_select!(), " WHERE a.id = $1");

/// The pages of the albums in `$1`, one row each, in no particular order.
const PAGES: &str = concat!(page_select!(), " WHERE a.id = ANY($1)");

/// A track as the page's JSON has it.
type TrackJson = (
    u32,
    String,
    u32,
    Option<String>,
    Option<String>,
    bool,
    Option<i64>,
    bool,
    Option<String>,
);

/// A license as the page's JSON has it.
type LicenseJson = (i64, u32, i64, String, String, Option<i32>, Option<String>);

/// A composition as the page's JSON has it.
type CompositionJson = (
    i64,
    String,
    Option<String>,
    bool,
    Vec<String>,
    Vec<(String, u32)>,
);

/// The album page, whoever asks (who may see it is the caller's question).
pub(super) async fn album_page(conn: &mut PgConnection, album_id: i64) -> Result<AlbumDetail> {
    let row = sqlx::query(PAGE)
        .bind(album_id)
        .fetch_optional(conn)
        .await?
        .ok_or(StoreError::NotFound("album"))?;
    page_from(&row)
}

/// How many ids PostgreSQL assumes an array parameter holds when it plans
/// a statement once for every call (a generic plan).
const GENERIC_ARRAY_LEN: usize = 10;

/// `ids`, its last id repeated up to [`GENERIC_ARRAY_LEN`] (the same rows
/// match `= ANY`). A prepared statement is planned for its parameters'
/// values on its first five calls; then PostgreSQL keeps the plan made
/// once for every call if it costs no more than those did. [`PAGES`]'
/// generic plan is costed for ten ids, so while a list passed fewer its
/// own plans looked cheaper and every call was planned again: 0.7 ms, more
/// than the statement's execution (0.4 ms for 3 albums at 1M). Ten ids
/// cost the same either way, so the plan made once is kept.
fn padded(ids: &[i64]) -> Vec<i64> {
    let mut padded = ids.to_vec();
    if let Some(&last) = ids.last() {
        padded.resize(ids.len().max(GENERIC_ARRAY_LEN), last);
    }
    padded
}

/// The pages of the albums in `ids` that exist, in the order of `ids`:
/// a list page's albums in one statement, not one each.
pub(super) async fn album_pages(conn: &mut PgConnection, ids: &[i64]) -> Result<Vec<AlbumDetail>> {
    let rows = sqlx::query(PAGES).bind(padded(ids)).fetch_all(conn).await?;
    let mut pages = rows.iter().map(page_from).collect::<Result<Vec<_>>>()?;
    pages.sort_by_key(|page| ids.iter().position(|&id| id == page.album.id));
    Ok(pages)
}

/// One row of [`PAGE`] or [`PAGES`] (or another statement ending in
/// `page_columns!`'s), parsed.
pub(super) fn page_from(row: &PgRow) -> Result<AlbumDetail> {
    let album = album(row)?;
    let artist = Artist {
        id: album.artist_id,
        name: album.artist_name.clone(),
        bio: row.try_get(12)?,
        email: row.try_get(13)?,
        bandcamp: row.try_get(14)?,
        spotify: row.try_get(15)?,
        website: row.try_get(16)?,
    };
    let units_sold = u64_at(row, 17)?;
    let tracks = json::<Vec<TrackJson>>(&row.try_get::<String, _>(18)?)?
        .into_iter()
        .map(|t| track(album.id, t))
        .collect::<Result<Vec<_>>>()?;
    let licenses = json::<Vec<LicenseJson>>(&row.try_get::<String, _>(19)?)?
        .into_iter()
        .map(|l| license(album.id, l))
        .collect::<Result<_>>()?;
    let mut covered = json::<Vec<CompositionJson>>(&row.try_get::<String, _>(PAGE_COLUMNS - 1)?)?
        .into_iter()
        .map(composition)
        .collect::<Result<Vec<_>>>()?;
    // Each once, in the order of the first track covering it.
    covered.sort_by_key(|c| tracks.iter().position(|t| t.cover_of == Some(c.id)));
    Ok(AlbumDetail {
        album,
        artist,
        tracks,
        licenses,
        units_sold,
        covered,
    })
}

/// Units sold to date: the kept total (`store::totals`).
macro_rules! units_sold {
    () => {
        "coalesce((SELECT s.units FROM album_sales s WHERE s.album_id = a.id), 0)"
    };
}

/// Completes an album into its page, inside a write that changed it (a
/// submission); readers get theirs from [`album_page`], one statement.
pub(super) async fn detail(conn: &mut PgConnection, album: Album) -> Result<AlbumDetail> {
    let units_sold = sqlx::query(concat!(
        "SELECT ",
        units_sold!(),
        " FROM albums a WHERE a.id = $1"
    ))
    .bind(album.id)
    .fetch_one(&mut *conn)
    .await?;
    let units_sold = u64_at(&units_sold, 0)?;
    let artist = catalog::get_artist(conn, album.artist_id).await?;
    complete(conn, album, artist, units_sold).await
}

/// Adds tracks, licenses and covered compositions to an album.
async fn complete(
    conn: &mut PgConnection,
    album: Album,
    artist: Artist,
    units_sold: u64,
) -> Result<AlbumDetail> {
    let tracks = tracks::list_tracks(conn, album.id).await?;
    // Each covered composition once, in track order.
    let mut ids: Vec<i64> = Vec::new();
    for id in tracks.iter().filter_map(|track| track.cover_of) {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    let covered = catalog::get_compositions(conn, &ids).await?;
    Ok(AlbumDetail {
        artist,
        tracks,
        licenses: license_rows::list_licenses(conn, album.id).await?,
        units_sold,
        covered,
        album,
    })
}

fn json<T: DeserializeOwned>(text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| corrupt(&e))
}

fn corrupt(what: &dyn std::fmt::Display) -> StoreError {
    StoreError::Internal(format!("an album page the types reject: {what}"))
}

/// `parse`'s answer for optional text, an `Internal` error if it rejects it.
fn parsed<T, E: std::fmt::Display>(
    text: Option<String>,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> Result<Option<T>> {
    text.map(|text| parse(&text).map_err(|e| corrupt(&e)))
        .transpose()
}

fn state<T>(text: &str, parse: impl FnOnce(&str) -> Option<T>) -> Result<T> {
    parse(text).ok_or_else(|| corrupt(&text))
}

fn track(album_id: i64, t: TrackJson) -> Result<Track> {
    let (number, title, duration_s, isrc, preview_url, is_cover, cover_of, lyrics_changed, status) =
        t;
    Ok(Track {
        album_id,
        number,
        title,
        duration_s,
        isrc: parsed(isrc, Isrc::parse)?,
        preview_url,
        is_cover,
        cover_of,
        lyrics_changed,
        license_status: status
            .map(|s| state(&s, LicenseStatus::parse))
            .transpose()?,
    })
}

fn license(album_id: i64, l: LicenseJson) -> Result<License> {
    let (id, track_number, composition_id, route, status, rate_year, notice_date) = l;
    let format = format_description!("[year]-[month]-[day]");
    Ok(License {
        id,
        album_id,
        track_number,
        composition_id,
        route: state(&route, LicenseRoute::parse)?,
        status: state(&status, LicenseStatus::parse)?,
        rate_year,
        notice_date: parsed(notice_date, |text| Date::parse(text, format))?,
    })
}

fn composition(c: CompositionJson) -> Result<Composition> {
    let (id, title, iswc, released, writers, publishers) = c;
    Ok(Composition {
        id,
        title,
        iswc: parsed(iswc, Iswc::parse)?,
        released,
        writers,
        publishers: publishers
            .into_iter()
            .map(|(name, share_bp)| Publisher { name, share_bp })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_padded_with_the_last_to_ten() {
        assert_eq!(padded(&[]), Vec::<i64>::new());
        assert_eq!(padded(&[4, 9]), [4, 9, 9, 9, 9, 9, 9, 9, 9, 9]);
        let twelve: Vec<i64> = (1..=12).collect();
        assert_eq!(padded(&twelve), twelve);
    }

    #[test]
    fn the_page_json_is_read_and_checked() {
        let t: Vec<TrackJson> =
            json(r#"[[1, "Jolene", 161, "US-MH1-24-00004", null, true, 2, false, "active"]]"#)
                .unwrap();
        let read = track(7, t.into_iter().next().unwrap()).unwrap();
        assert_eq!(read.license_status, Some(LicenseStatus::Active));
        assert_eq!(read.isrc.unwrap().to_string(), "US-MH1-24-00004");
        let l: Vec<LicenseJson> =
            json(r#"[[3, 1, 2, "noi", "notice_sent", 2024, "2024-08-01"]]"#).unwrap();
        let license = license(7, l.into_iter().next().unwrap()).unwrap();
        assert_eq!(
            license.notice_date,
            Some(time::macros::date!(2024 - 08 - 01))
        );
        // Out of range, or unknown: an error, never a wrapped or default value.
        assert!(
            json::<Vec<TrackJson>>(r#"[[-1, "x", 1, null, null, false, null, false, null]]"#)
                .is_err()
        );
        let bad = (
            1,
            "x".to_owned(),
            1,
            None,
            None,
            false,
            None,
            false,
            Some("gone".to_owned()),
        );
        assert!(track(7, bad).is_err());
    }
}
