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

mod album;
mod keys;
mod sales;

use std::collections::HashMap;
use std::fmt;

use rusqlite::{Connection, Transaction, TransactionBehavior, params};
use sha2::{Digest, Sha256};

use crate::catalogue::Catalogue;
use keys::{live_key, set_key};

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
    for entry in &catalogue.albums {
        let id = album::import_album(&tx, artist_id, entry, &mut report)?;
        album_ids.insert(entry.key.as_str(), id);
    }
    album::removed_albums(&tx, &album_ids, &mut report)?;
    sales::sales(&tx, catalogue, &album_ids, &mut report)?;
    tx.commit()?;
    Ok(report)
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
