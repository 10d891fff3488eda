//! Importing the catalogue into the licensing store.
//!
//! The import runs at every start, in one `BEGIN IMMEDIATE` transaction:
//! the store ends up matching the catalogue completely, or (on any error)
//! is left as it was. It is idempotent: a row is written only when what
//! the catalogue says differs from what is stored, so importing the same
//! file twice changes nothing (same ids, no new rows, no version bump).
//!
//! **Keys.** Each catalogue item is tied to its row by a stable key kept
//! in the importer's own table, `band_site_keys (kind, key) → row_id`:
//! the artist (one per site), each album by its `id` slug, each covered
//! song by its title and writers. The licensing schema is not changed:
//! the table sits beside it in the same file, is created on first import,
//! and rows made through the API (which have no key) are left alone.
//!
//! **Edits.** A changed album (its fields, tracks or licenses) is updated
//! in place and its `version` (the ETag) goes up by one. Tracks are
//! identified by their position on the album.
//!
//! **Removals** are reported, as warnings in the [`ImportReport`]:
//! - an album gone from the catalogue is *kept* (its sales and royalty
//!   history hang on it); take it down through the API, or put it back;
//! - a track gone from the end of an album is deleted (with its license):
//!   the catalogue is the tracklist;
//! - a sales month gone from the catalogue is kept (sales are history).
//!
//! Business rules are the store's: the schema's checks hold, a cover has
//! a license once its album is submitted, sales are only for live albums.

use std::collections::HashMap;
use std::fmt;

use licensing::domain::ids::Isrc;
use licensing::store::{AlbumStatus, LicenseStatus};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use sha2::{Digest, Sha256};

use crate::catalogue::{Album, Catalogue, CoverOf, Track};

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Whether the artist (and the owner's account) was created.
    pub created_artist: bool,
    /// The owner's new token, when the account was created by this import
    /// (its only appearance in plain text).
    pub new_token: Option<String>,
    /// The artist's id.
    pub artist_id: i64,
    /// Albums created.
    pub albums_created: usize,
    /// Albums changed.
    pub albums_updated: usize,
    /// Albums already as the catalogue says.
    pub albums_unchanged: usize,
    /// Sales months recorded or corrected.
    pub sales_written: usize,
    /// Tracks deleted because the catalogue no longer lists them.
    pub tracks_deleted: usize,
    /// What is in the store but no longer in the catalogue, and what was
    /// done about it.
    pub removals: Vec<String>,
}

impl ImportReport {
    /// Whether the import wrote anything.
    pub fn changed(&self) -> bool {
        self.created_artist
            || self.albums_created > 0
            || self.albums_updated > 0
            || self.sales_written > 0
            || self.tracks_deleted > 0
    }
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} album(s) created, {} updated, {} unchanged; {} sales month(s) written",
            self.albums_created, self.albums_updated, self.albums_unchanged, self.sales_written
        )
    }
}

/// An import that failed; nothing was written.
#[derive(Debug)]
#[non_exhaustive]
pub enum ImportError {
    /// The database refused (locked, corrupt, a constraint).
    Database(rusqlite::Error),
    /// The store holds something the catalogue cannot be applied to.
    Conflict(String),
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Database(e) => write!(f, "the database refused the import: {e}"),
            Self::Conflict(m) => write!(f, "cannot import the catalogue: {m}"),
        }
    }
}

impl std::error::Error for ImportError {}

impl From<rusqlite::Error> for ImportError {
    fn from(error: rusqlite::Error) -> Self {
        Self::Database(error)
    }
}

type Result<T> = std::result::Result<T, ImportError>;

const KEYS_TABLE: &str = "CREATE TABLE IF NOT EXISTS band_site_keys (
    kind   TEXT NOT NULL,
    key    TEXT NOT NULL,
    row_id INTEGER NOT NULL,
    PRIMARY KEY (kind, key)
) STRICT, WITHOUT ROWID";

/// Imports `catalogue` into the (migrated) licensing database on `conn`,
/// in one transaction.
pub fn import(conn: &mut Connection, catalogue: &Catalogue) -> Result<ImportReport> {
    conn.pragma_update(None, "foreign_keys", "ON")?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute_batch(KEYS_TABLE)?;
    let mut report = ImportReport::default();
    let artist_id = artist(&tx, catalogue, &mut report)?;
    report.artist_id = artist_id;
    let mut album_ids = HashMap::new();
    for album in &catalogue.albums {
        let id = import_album(&tx, artist_id, album, &mut report)?;
        album_ids.insert(album.key.as_str(), id);
    }
    removed_albums(&tx, &album_ids, &mut report)?;
    sales(&tx, catalogue, &album_ids, &mut report)?;
    tx.commit()?;
    Ok(report)
}

fn key_of(tx: &Transaction<'_>, kind: &str, key: &str) -> Result<Option<i64>> {
    Ok(tx
        .prepare_cached("SELECT row_id FROM band_site_keys WHERE kind = ?1 AND key = ?2")?
        .query_row(params![kind, key], |row| row.get(0))
        .optional()?)
}

fn set_key(tx: &Transaction<'_>, kind: &str, key: &str, id: i64) -> Result<()> {
    tx.prepare_cached("INSERT INTO band_site_keys (kind, key, row_id) VALUES (?1, ?2, ?3)")?
        .execute(params![kind, key, id])?;
    Ok(())
}

/// A row that was keyed but is gone (deleted through the API or by hand):
/// the key is dropped so the item is created again.
fn live_key(tx: &Transaction<'_>, kind: &str, key: &str, table: &str) -> Result<Option<i64>> {
    let Some(id) = key_of(tx, kind, key)? else {
        return Ok(None);
    };
    let exists = tx
        .prepare_cached(&format!("SELECT 1 FROM {table} WHERE id = ?1"))?
        .exists([id])?;
    if exists {
        return Ok(Some(id));
    }
    tx.prepare_cached("DELETE FROM band_site_keys WHERE kind = ?1 AND key = ?2")?
        .execute(params![kind, key])?;
    Ok(None)
}

fn artist(tx: &Transaction<'_>, catalogue: &Catalogue, report: &mut ImportReport) -> Result<i64> {
    let a = &catalogue.artist;
    let wanted = (
        a.name.clone(),
        a.bio.clone(),
        a.email.clone(),
        a.links.bandcamp.clone(),
        a.links.spotify.clone(),
        a.links.website.clone(),
    );
    if let Some(id) = live_key(tx, "artist", "artist", "artists")? {
        let stored: (
            String,
            String,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
        ) = tx.query_row(
            "SELECT name, bio, email, bandcamp, spotify, website FROM artists WHERE id = ?1",
            [id],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            },
        )?;
        if stored != wanted {
            tx.execute(
                "UPDATE artists SET name = ?2, bio = ?3, email = ?4, bandcamp = ?5,
                        spotify = ?6, website = ?7 WHERE id = ?1",
                params![
                    id, wanted.0, wanted.1, wanted.2, wanted.3, wanted.4, wanted.5
                ],
            )?;
            tx.execute(
                "UPDATE accounts SET name = ?2 WHERE artist_id = ?1",
                params![id, wanted.0],
            )?;
        }
        return Ok(id);
    }
    tx.execute(
        "INSERT INTO artists (name, bio, email, bandcamp, spotify, website)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![wanted.0, wanted.1, wanted.2, wanted.3, wanted.4, wanted.5],
    )?;
    let id = tx.last_insert_rowid();
    set_key(tx, "artist", "artist", id)?;
    let token = new_token()?;
    let digest: [u8; 32] = Sha256::digest(token.as_bytes()).into();
    tx.execute(
        "INSERT INTO accounts (name, role, artist_id, token_sha256) VALUES (?1, 'artist', ?2, ?3)",
        params![wanted.0, id, digest],
    )?;
    report.created_artist = true;
    report.new_token = Some(token);
    Ok(id)
}

/// A bearer token in the licensing service's format: `lic_` and 64 hex
/// digits of operating-system randomness (only its digest is stored).
fn new_token() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| ImportError::Conflict(format!("no randomness for a token: {e}")))?;
    let mut token = String::from("lic_");
    for byte in bytes {
        token.push(char::from(b"0123456789abcdef"[usize::from(byte >> 4)]));
        token.push(char::from(b"0123456789abcdef"[usize::from(byte & 0xf)]));
    }
    Ok(token)
}

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

fn import_album(
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
        match stored.get(&number) {
            Some(row) if *row == wanted => {}
            Some(_) => {
                tx.execute(
                    "UPDATE tracks SET title = ?3, duration_s = ?4, isrc = ?5, is_cover = ?6,
                            cover_of = ?7, lyrics_changed = ?8
                     WHERE album_id = ?1 AND number = ?2",
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
            None => {
                tx.execute(
                    "INSERT INTO tracks (album_id, number, title, duration_s, isrc, preview_url,
                            is_cover, cover_of, lyrics_changed)
                     VALUES (?1, ?2, ?3, ?4, ?5, NULL, ?6, ?7, ?8)",
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
fn removed_albums(
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

/// One sales line as stored: album, track, format, units.
type LineRow = (i64, Option<u32>, String, u32);

fn sales(
    tx: &Transaction<'_>,
    catalogue: &Catalogue,
    album_ids: &HashMap<&str, i64>,
    report: &mut ImportReport,
) -> Result<()> {
    for month in &catalogue.sales {
        let mut wanted: Vec<LineRow> = month
            .lines
            .iter()
            .map(|l| {
                (
                    album_ids[l.album.as_str()],
                    l.track,
                    l.format.as_str().to_owned(),
                    l.units,
                )
            })
            .collect();
        wanted.sort();
        let month_text = month.month.to_string();
        let exists = tx
            .prepare_cached("SELECT 1 FROM sales_reports WHERE store = ?1 AND month = ?2")?
            .exists(params![month.store, month_text])?;
        if exists {
            let mut stored: Vec<LineRow> = tx
                .prepare_cached(
                    "SELECT album_id, track_number, format, units FROM sales
                     WHERE store = ?1 AND month = ?2",
                )?
                .query_map(params![month.store, month_text], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                })?
                .collect::<rusqlite::Result<_>>()?;
            stored.sort();
            if stored == wanted {
                continue;
            }
            tx.execute(
                "DELETE FROM sales WHERE store = ?1 AND month = ?2",
                params![month.store, month_text],
            )?;
        } else {
            tx.execute(
                "INSERT INTO sales_reports (store, month) VALUES (?1, ?2)",
                params![month.store, month_text],
            )?;
        }
        for (album_id, track, format, units) in &wanted {
            tx.execute(
                "INSERT INTO sales (store, month, album_id, track_number, format, units)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![month.store, month_text, album_id, track, format, units],
            )?;
        }
        report.sales_written += 1;
    }
    let listed: Vec<(String, String)> = catalogue
        .sales
        .iter()
        .map(|m| (m.store.clone(), m.month.to_string()))
        .collect();
    let stored: Vec<(String, String)> = tx
        .prepare_cached("SELECT store, month FROM sales_reports ORDER BY month, store")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (store, month) in stored {
        if !listed.contains(&(store.clone(), month.clone())) {
            report.removals.push(format!(
                "sales of {store} {month} are no longer in the catalogue: kept (sales are history)"
            ));
        }
    }
    Ok(())
}
