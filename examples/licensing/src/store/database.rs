//! [`Database`]: the engine a binary chose at start, as one [`Store`].
//!
//! The HTTP layer is generic over `S: Store`; a binary that picks its
//! engine from configuration (`--database postgres://…` or SQLite in
//! `--data`) needs one type for either, and an enum of the two costs a
//! branch per call where a `dyn` store would cost a boxed future (the
//! trait's `impl Future` methods are not object safe anyway).

use std::sync::Arc;

use time::Date;

use super::{
    Account, Album, AlbumDetail, AlbumPatch, AlbumQuery, Artist, Candidate, Composition,
    IngestOutcome, License, MatchQuery, NewAlbum, NewArtist, NewComposition, NewTrack, Page,
    PgStore, Result, SalesReport, SqliteStore, Statement, Store, Track, TrackPatch, Viewer,
};
use crate::domain::statement::SalesMonth;

/// A store on either engine. Cloning is cheap, as for each engine.
#[derive(Clone, Debug)]
pub enum Database {
    /// One SQLite file in a data directory.
    Sqlite(SqliteStore),
    /// A PostgreSQL database, possibly shared with other instances.
    Postgres(PgStore),
}

impl Database {
    /// Whether the database answers, for health checks: a read that
    /// touches no table on SQLite, `SELECT 1` on PostgreSQL.
    pub async fn health(&self) -> Result<()> {
        match self {
            Self::Sqlite(store) => store.health().await,
            Self::Postgres(store) => store.health().await,
        }
    }

    /// The engine's name, for logs and the health endpoint.
    pub fn engine(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "sqlite",
            Self::Postgres(_) => "postgres",
        }
    }
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

/// Forwards a call to whichever engine this is.
macro_rules! delegate {
    ($self:ident.$method:ident($($arg:expr),*)) => {
        match $self {
            Database::Sqlite(store) => store.$method($($arg),*).await,
            Database::Postgres(store) => store.$method($($arg),*).await,
        }
    };
}

impl Store for Database {
    async fn authenticate(&self, token: String) -> Result<Option<Account>> {
        delegate!(self.authenticate(token))
    }

    async fn list_albums(&self, query: AlbumQuery, viewer: Viewer) -> Result<Page<Album>> {
        delegate!(self.list_albums(query, viewer))
    }

    async fn get_album(&self, album_id: i64, viewer: Viewer) -> Result<Arc<AlbumDetail>> {
        delegate!(self.get_album(album_id, viewer))
    }

    async fn get_artist(&self, artist_id: i64) -> Result<Artist> {
        delegate!(self.get_artist(artist_id))
    }

    async fn list_artist_albums(&self, artist_id: i64, viewer: Viewer) -> Result<Vec<Album>> {
        delegate!(self.list_artist_albums(artist_id, viewer))
    }

    async fn create_artist(&self, new: NewArtist) -> Result<Artist> {
        delegate!(self.create_artist(new))
    }

    async fn list_compositions(&self, q: Option<String>) -> Result<Vec<Composition>> {
        delegate!(self.list_compositions(q))
    }

    async fn get_composition(&self, composition_id: i64) -> Result<Composition> {
        delegate!(self.get_composition(composition_id))
    }

    async fn create_composition(&self, new: NewComposition) -> Result<Composition> {
        delegate!(self.create_composition(new))
    }

    async fn match_compositions(&self, query: MatchQuery) -> Result<Vec<Candidate>> {
        delegate!(self.match_compositions(query))
    }

    async fn create_album(&self, new: NewAlbum) -> Result<Album> {
        delegate!(self.create_album(new))
    }

    async fn update_album(
        &self,
        album_id: i64,
        expected_version: i64,
        patch: AlbumPatch,
    ) -> Result<Album> {
        delegate!(self.update_album(album_id, expected_version, patch))
    }

    async fn delete_album(&self, album_id: i64) -> Result<()> {
        delegate!(self.delete_album(album_id))
    }

    async fn add_track(&self, album_id: i64, new: NewTrack) -> Result<Track> {
        delegate!(self.add_track(album_id, new))
    }

    async fn update_track(&self, album_id: i64, number: u32, patch: TrackPatch) -> Result<Track> {
        delegate!(self.update_track(album_id, number, patch))
    }

    async fn delete_track(&self, album_id: i64, number: u32) -> Result<()> {
        delegate!(self.delete_track(album_id, number))
    }

    async fn submit_album(&self, album_id: i64, today: Date) -> Result<AlbumDetail> {
        delegate!(self.submit_album(album_id, today))
    }

    async fn activate_license(&self, license_id: i64) -> Result<License> {
        delegate!(self.activate_license(license_id))
    }

    async fn publish_album(&self, album_id: i64) -> Result<Album> {
        delegate!(self.publish_album(album_id))
    }

    async fn ingest_sales(&self, report: SalesReport) -> Result<IngestOutcome> {
        delegate!(self.ingest_sales(report))
    }

    async fn royalty_statement(
        &self,
        album_id: i64,
        month: SalesMonth,
        today: Date,
    ) -> Result<Statement> {
        delegate!(self.royalty_statement(album_id, month, today))
    }
}
