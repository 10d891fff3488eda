//! The engine a deployment runs on, chosen at start-up from its
//! configuration: SQLite in a data directory (the embedded default), or
//! PostgreSQL at a URL (several instances, one truth).
//!
//! The HTTP layer holds a `Database` and calls only [`Store`]'s
//! operations on it, so every endpoint runs unchanged on either engine.
//! Dispatch is a `match` per call: no boxed future, no allocation, and the
//! compiler sees both engines' code (a trait object could not, as
//! `Store`'s methods return `impl Future`).

use std::sync::Arc;

use time::Date;

use super::{
    Account, Album, AlbumDetail, AlbumPatch, AlbumQuery, Artist, Candidate, Composition,
    CompositionQuery, IngestOutcome, License, MatchQuery, NewAlbum, NewArtist, NewComposition,
    NewTrack, Page, PgStore, Result, SalesReport, SqliteStore, Statement, Store, TotalsCheck,
    Track, TrackPatch, Viewer,
};
use crate::domain::statement::SalesMonth;

/// One of the store's engines.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Database {
    /// SQLite in a data directory.
    Sqlite(SqliteStore),
    /// PostgreSQL at a URL, possibly shared with other instances.
    Postgres(PgStore),
}

impl From<SqliteStore> for Database {
    fn from(store: SqliteStore) -> Self {
        Self::Sqlite(store)
    }
}

impl From<PgStore> for Database {
    fn from(store: PgStore) -> Self {
        Self::Postgres(store)
    }
}

/// Awaits the future `$call` makes on whichever engine `$db` is.
///
/// PostgreSQL's futures are boxed. An `async fn` here is as large as the
/// larger of its two arms, and sqlx's futures are many kilobytes where
/// SQLite's (work sent to a blocking thread) are small; the size carries
/// into every future that awaits the store (a handler's, the token
/// lookup's), which are moved into their boxes by copying. Boxed, the
/// PostgreSQL arm costs one allocation beside a network round trip, and
/// the embedded default stops paying for an engine it does not use
/// (`bench/callgrind.sh` measured the copies).
macro_rules! on_engine {
    ($db:expr, $store:ident => $call:expr) => {
        match $db {
            Database::Sqlite($store) => $call.await,
            Database::Postgres($store) => Box::pin($call).await,
        }
    };
}

impl Database {
    /// Whether the database answers: one cheap query (`SELECT 1`, on a
    /// read connection for SQLite, on a pooled connection for PostgreSQL).
    pub async fn health(&self) -> Result<()> {
        on_engine!(self, s => s.health())
    }

    /// Compares the kept sales totals with a recomputation from every
    /// sales line (`licensing check`).
    pub async fn verify_totals(&self) -> Result<TotalsCheck> {
        on_engine!(self, s => s.verify_totals())
    }

    /// How many album pages were served from the engine's read cache
    /// since it opened (0 for PostgreSQL without `--read-cache`).
    pub fn album_cache_hits(&self) -> u64 {
        match self {
            Self::Sqlite(s) => s.album_cache_hits(),
            Self::Postgres(s) => s.album_cache_hits(),
        }
    }

    /// The engine's name, for logs and the health check.
    pub fn engine(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "sqlite",
            Self::Postgres(_) => "postgres",
        }
    }
}

impl Store for Database {
    async fn authenticate(&self, token: String) -> Result<Option<Account>> {
        on_engine!(self, s => s.authenticate(token))
    }

    async fn list_albums(&self, query: AlbumQuery, viewer: Viewer) -> Result<Page<Album>> {
        on_engine!(self, s => s.list_albums(query, viewer))
    }

    async fn get_album(&self, album_id: i64, viewer: Viewer) -> Result<Arc<AlbumDetail>> {
        on_engine!(self, s => s.get_album(album_id, viewer))
    }

    async fn album_pages(&self, ids: Vec<i64>, viewer: Viewer) -> Result<Vec<Arc<AlbumDetail>>> {
        on_engine!(self, s => s.album_pages(ids, viewer))
    }

    async fn get_artist(&self, artist_id: i64) -> Result<Artist> {
        on_engine!(self, s => s.get_artist(artist_id))
    }

    async fn list_artist_albums(
        &self,
        artist_id: i64,
        page: u32,
        per_page: u32,
        after: Option<String>,
        viewer: Viewer,
    ) -> Result<Page<Album>> {
        on_engine!(self, s => s.list_artist_albums(artist_id, page, per_page, after, viewer))
    }

    async fn create_artist(&self, new: NewArtist) -> Result<Artist> {
        on_engine!(self, s => s.create_artist(new))
    }

    async fn list_compositions(&self, query: CompositionQuery) -> Result<Page<Composition>> {
        on_engine!(self, s => s.list_compositions(query))
    }

    async fn get_composition(&self, composition_id: i64) -> Result<Composition> {
        on_engine!(self, s => s.get_composition(composition_id))
    }

    async fn create_composition(&self, new: NewComposition) -> Result<Composition> {
        on_engine!(self, s => s.create_composition(new))
    }

    async fn import_compositions(&self, rows: Vec<NewComposition>) -> Result<u64> {
        on_engine!(self, s => s.import_compositions(rows))
    }

    async fn match_compositions(&self, query: MatchQuery) -> Result<Vec<Candidate>> {
        on_engine!(self, s => s.match_compositions(query))
    }

    async fn create_album(&self, new: NewAlbum) -> Result<Album> {
        on_engine!(self, s => s.create_album(new))
    }

    async fn update_album_page(
        &self,
        album_id: i64,
        expected_version: i64,
        patch: AlbumPatch,
    ) -> Result<Arc<AlbumDetail>> {
        on_engine!(self, s => s.update_album_page(album_id, expected_version, patch))
    }

    async fn delete_album(&self, album_id: i64, expected_version: Option<i64>) -> Result<()> {
        on_engine!(self, s => s.delete_album(album_id, expected_version))
    }

    async fn add_track(&self, album_id: i64, new: NewTrack) -> Result<Track> {
        on_engine!(self, s => s.add_track(album_id, new))
    }

    async fn update_track(
        &self,
        album_id: i64,
        number: u32,
        expected_version: i64,
        patch: TrackPatch,
    ) -> Result<Track> {
        on_engine!(self, s => s.update_track(album_id, number, expected_version, patch))
    }

    async fn delete_track(
        &self,
        album_id: i64,
        number: u32,
        expected_version: Option<i64>,
    ) -> Result<()> {
        on_engine!(self, s => s.delete_track(album_id, number, expected_version))
    }

    async fn submit_album(&self, album_id: i64, today: Date) -> Result<AlbumDetail> {
        on_engine!(self, s => s.submit_album(album_id, today))
    }

    async fn activate_license(&self, license_id: i64) -> Result<License> {
        on_engine!(self, s => s.activate_license(license_id))
    }

    async fn publish_album(&self, album_id: i64) -> Result<Album> {
        on_engine!(self, s => s.publish_album(album_id))
    }

    async fn ingest_sales(&self, report: SalesReport) -> Result<IngestOutcome> {
        on_engine!(self, s => s.ingest_sales(report))
    }

    async fn royalty_statement(
        &self,
        album_id: i64,
        month: SalesMonth,
        today: Date,
    ) -> Result<Statement> {
        on_engine!(self, s => s.royalty_statement(album_id, month, today))
    }
}
