//! Albums, their tracks and licenses, and the songs they cover.

use std::collections::HashMap;

use licensing::domain::ids::Isrc;
use licensing::store::{AlbumStatus, LicenseStatus};
use rusqlite::{OptionalExtension, Transaction, params};

use super::keys::{live_key, set_key};
use super::{ImportError, ImportReport, Result};
use crate::catalogue::{Album, CoverOf, Track};

/// The composition a cover is of, created on first sight; its publisher
/// follows the catalogue.
fn composition(tx: &Transaction<'_>, cover: &CoverOf) -> Result<i64> {
    let key = format!(
        "{}|{}",
        cover.title.to_lowercase(),
        cover.writers.join(";").to_lowercase()
    );
    if let Some(id) = live_key(tx, "composition", &key, "compositions")? {
        let publishers: Vec<(String, u32)> = tx
            .prepare_cached(
                "SELECT name, share_bp FROM publishers WHERE composition_id = ?1 ORDER BY name",
            )?
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        if publishers != [(cover.publisher.clone(), 10_000)] {
            tx.execute("DELETE FROM publishers WHERE composition_id = ?1", [id])?;
            tx.execute(
                "INSERT INTO publishers VALUES (?1, ?2, 10000)",
                params![id, cover.publisher],
            )?;
        }
        return Ok(id);
    }
    tx.execute(
        "INSERT INTO compositions (title, iswc, released) VALUES (?1, NULL, 1)",
        [&cover.title],
    )?;
    let id = tx.last_insert_rowid();
    for (position, writer) in cover.writers.iter().enumerate() {
        tx.execute(
            "INSERT INTO composition_writers VALUES (?1, ?2, ?3)",
            params![id, position as i64, writer],
        )?;
    }
    tx.execute(
        "INSERT INTO publishers VALUES (?1, ?2, 10000)",
        params![id, cover.publisher],
    )?;
    set_key(tx, "composition", &key, id)?;
    Ok(id)
}

/// An album's own columns, as stored.
#[derive(PartialEq, Eq, Debug)]
struct AlbumRow {
    artist_id: i64,
    title: String,
    release_date: Option<time::Date>,
    upc: Option<String>,
    price_cents: u32,
    cover_art_url: Option<String>,
    bandcamp_url: Option<String>,
    spotify_url: Option<String>,
    status: String,
}

impl AlbumRow {
    fn wanted(artist_id: i64, album: &Album) -> Self {
        Self {
            artist_id,
            title: album.title.clone(),
            release_date: album.release_date,
            upc: album.upc.map(|u| u.to_string()),
            price_cents: album.price_cents,
            cover_art_url: album.cover.clone(),
            bandcamp_url: album.bandcamp.clone(),
            spotify_url: album.spotify.clone(),
            status: album.status.as_str().to_owned(),
        }
    }
}

/// A track's columns, as stored.
#[derive(PartialEq, Eq, Debug)]
struct TrackRow {
    title: String,
    duration_s: u32,
    isrc: Option<String>,
    is_cover: bool,
    cover_of: Option<i64>,
    lyrics_changed: bool,
}

/// A license's columns, as stored.
#[derive(PartialEq, Eq, Debug)]
struct LicenseRow {
    composition_id: i64,
    status: String,
    rate_year: Option<i32>,
    notice_date: Option<time::Date>,
}

pub(super) fn import_album(
    tx: &Transaction<'_>,
    artist_id: i64,
    album: &Album,
    report: &mut ImportReport,
) -> Result<i64> {
    let wanted = AlbumRow::wanted(artist_id, album);
    let existing = live_key(tx, "album", &album.key, "albums")?;
    let (id, mut changed) = match existing {
        Some(id) => {
            let stored = tx.query_row(
                "SELECT artist_id, title, release_date, upc, price_cents, cover_art_url,
                        bandcamp_url, spotify_url, status FROM albums WHERE id = ?1",
                [id],
                |r| {
                    Ok(AlbumRow {
                        artist_id: r.get(0)?,
                        title: r.get(1)?,
                        release_date: r.get(2)?,
                        upc: r.get(3)?,
                        price_cents: r.get(4)?,
                        cover_art_url: r.get(5)?,
                        bandcamp_url: r.get(6)?,
                        spotify_url: r.get(7)?,
                        status: r.get(8)?,
                    })
                },
            )?;
            if stored.artist_id != artist_id {
                return Err(ImportError::Conflict(format!(
                    "album `{}` belongs to another artist in this database",
                    album.key
                )));
            }
            let changed = stored != wanted;
            if changed {
                tx.execute(
                    "UPDATE albums SET title = ?2, release_date = ?3, upc = ?4, price_cents = ?5,
                            cover_art_url = ?6, bandcamp_url = ?7, spotify_url = ?8, status = ?9
                     WHERE id = ?1",
                    params![
                        id,
                        wanted.title,
                        wanted.release_date,
                        wanted.upc,
                        wanted.price_cents,
                        wanted.cover_art_url,
                        wanted.bandcamp_url,
                        wanted.spotify_url,
                        wanted.status
                    ],
                )?;
            }
            (id, changed)
        }
        None => {
            tx.execute(
                "INSERT INTO albums (artist_id, title, release_date, upc, price_cents,
                        cover_art_url, bandcamp_url, spotify_url, status, version)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1)",
                params![
                    artist_id,
                    wanted.title,
                    wanted.release_date,
                    wanted.upc,
                    wanted.price_cents,
                    wanted.cover_art_url,
                    wanted.bandcamp_url,
                    wanted.spotify_url,
                    wanted.status
                ],
            )?;
            let id = tx.last_insert_rowid();
            set_key(tx, "album", &album.key, id)?;
            report.albums_created += 1;
            (id, false)
        }
    };
    let created = existing.is_none();
    changed |= tracks(tx, id, album, report)?;
    if created {
        return Ok(id);
    }
    if changed {
        tx.execute(
            "UPDATE albums SET version = version + 1 WHERE id = ?1",
            [id],
        )?;
        report.albums_updated += 1;
    } else {
        report.albums_unchanged += 1;
    }
    Ok(id)
}

/// Brings an album's tracks and licenses to the catalogue's; whether
/// anything changed.
fn tracks(
    tx: &Transaction<'_>,
    album_id: i64,
    album: &Album,
    report: &mut ImportReport,
) -> Result<bool> {
    let stored: Vec<(u32, TrackRow)> = tx
        .prepare_cached(
            "SELECT number, title, duration_s, isrc, is_cover, cover_of, lyrics_changed
             FROM tracks WHERE album_id = ?1 ORDER BY number",
        )?
        .query_map([album_id], |r| {
            Ok((
                r.get(0)?,
                TrackRow {
                    title: r.get(1)?,
                    duration_s: r.get(2)?,
                    isrc: r.get(3)?,
                    is_cover: r.get(4)?,
                    cover_of: r.get(5)?,
                    lyrics_changed: r.get(6)?,
                },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let stored: HashMap<u32, TrackRow> = stored.into_iter().collect();
    let mut changed = false;
    for (i, track) in album.tracks.iter().enumerate() {
        let number = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let composition_id = match &track.cover_of {
            Some(cover) => Some(composition(tx, cover)?),
            None => None,
        };
        let wanted = track_row(track, composition_id);
        if stored.get(&number) != Some(&wanted) {
            // New, or changed: one upsert either way. A preview URL is
            // not the catalogue's, so an update leaves it as it is.
            tx.execute(
                "INSERT INTO tracks (album_id, number, title, duration_s, isrc, preview_url,
                        is_cover, cover_of, lyrics_changed)
                 VALUES (?1, ?2, ?3, ?4, ?5, NULL, ?6, ?7, ?8)
                 ON CONFLICT (album_id, number) DO UPDATE SET
                        title = excluded.title, duration_s = excluded.duration_s,
                        isrc = excluded.isrc, is_cover = excluded.is_cover,
                        cover_of = excluded.cover_of, lyrics_changed = excluded.lyrics_changed",
                params![
                    album_id,
                    number,
                    wanted.title,
                    wanted.duration_s,
                    wanted.isrc,
                    wanted.is_cover,
                    wanted.cover_of,
                    wanted.lyrics_changed
                ],
            )?;
            changed = true;
        }
        changed |= license(tx, album_id, number, album, track, composition_id)?;
    }
    let count = album.tracks.len();
    let mut extra: Vec<u32> = stored
        .keys()
        .copied()
        .filter(|n| *n as usize > count)
        .collect();
    extra.sort_unstable();
    for number in extra {
        let title = &stored[&number].title;
        tx.execute(
            "DELETE FROM tracks WHERE album_id = ?1 AND number = ?2",
            params![album_id, number],
        )?;
        report.removals.push(format!(
            "album `{}`: track {number} \"{title}\" is no longer in the catalogue: deleted",
            album.key
        ));
        report.tracks_deleted += 1;
        changed = true;
    }
    Ok(changed)
}

fn track_row(track: &Track, cover_of: Option<i64>) -> TrackRow {
    TrackRow {
        title: track.title.clone(),
        duration_s: track.duration_s,
        isrc: track.isrc.as_ref().map(Isrc::to_string),
        is_cover: track.cover_of.is_some(),
        cover_of,
        lyrics_changed: track.cover_of.as_ref().is_some_and(|c| c.lyrics_changed),
    }
}

/// The license a track should have: one per cover once its album is
/// submitted, served (if a notice was) on the release day at that year's
/// rate.
fn wanted_license(album: &Album, track: &Track, composition_id: Option<i64>) -> Option<LicenseRow> {
    let status = track.cover_of.as_ref()?.license?;
    let composition_id = composition_id?;
    let noticed = matches!(status, LicenseStatus::Active | LicenseStatus::NoticeSent);
    let day = album.release_date.filter(|_| noticed);
    Some(LicenseRow {
        composition_id,
        status: status.as_str().to_owned(),
        rate_year: day.map(time::Date::year),
        notice_date: day,
    })
}

fn license(
    tx: &Transaction<'_>,
    album_id: i64,
    number: u32,
    album: &Album,
    track: &Track,
    composition_id: Option<i64>,
) -> Result<bool> {
    let wanted = if album.status == AlbumStatus::Draft {
        None
    } else {
        wanted_license(album, track, composition_id)
    };
    let stored: Option<LicenseRow> = tx
        .prepare_cached(
            "SELECT composition_id, status, rate_year, notice_date FROM licenses
             WHERE album_id = ?1 AND track_number = ?2",
        )?
        .query_row(params![album_id, number], |r| {
            Ok(LicenseRow {
                composition_id: r.get(0)?,
                status: r.get(1)?,
                rate_year: r.get(2)?,
                notice_date: r.get(3)?,
            })
        })
        .optional()?;
    match (stored, wanted) {
        (None, None) => Ok(false),
        (Some(s), Some(w)) if s == w => Ok(false),
        (Some(_), None) => {
            tx.execute(
                "DELETE FROM licenses WHERE album_id = ?1 AND track_number = ?2",
                params![album_id, number],
            )?;
            Ok(true)
        }
        (Some(_), Some(w)) => {
            tx.execute(
                "UPDATE licenses SET composition_id = ?3, route = 'noi', status = ?4,
                        rate_year = ?5, notice_date = ?6
                 WHERE album_id = ?1 AND track_number = ?2",
                params![
                    album_id,
                    number,
                    w.composition_id,
                    w.status,
                    w.rate_year,
                    w.notice_date
                ],
            )?;
            Ok(true)
        }
        (None, Some(w)) => {
            tx.execute(
                "INSERT INTO licenses (album_id, track_number, composition_id, route, status,
                        rate_year, notice_date)
                 VALUES (?1, ?2, ?3, 'noi', ?4, ?5, ?6)",
                params![
                    album_id,
                    number,
                    w.composition_id,
                    w.status,
                    w.rate_year,
                    w.notice_date
                ],
            )?;
            Ok(true)
        }
    }
}

/// Reports keyed albums that the catalogue no longer has; they are kept.
pub(super) fn removed_albums(
    tx: &Transaction<'_>,
    present: &HashMap<&str, i64>,
    report: &mut ImportReport,
) -> Result<()> {
    let keyed: Vec<(String, i64, Option<String>)> = tx
        .prepare_cached(
            "SELECT k.key, k.row_id, a.title FROM band_site_keys k
             LEFT JOIN albums a ON a.id = k.row_id
             WHERE k.kind = 'album' ORDER BY k.key",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (key, id, title) in keyed {
        if present.contains_key(key.as_str()) {
            continue;
        }
        if let Some(title) = title {
            report.removals.push(format!(
                "album `{key}` (\"{title}\", id {id}) is no longer in the catalogue: \
                 kept in the database with its sales; delete it through the API to take it down"
            ));
        }
    }
    Ok(())
}
