//! The licensing service's storage: one trait, [`Store`], its engines
//! ([`SqliteStore`], one file: the embedded default; [`PgStore`], a
//! PostgreSQL database that several instances share), and [`Database`],
//! the engine a deployment chose.
//!
//! The trait is the seam between the HTTP layer and the database: every
//! operation the service needs, with its business rules (what a draft may
//! become, when a license is automatic, how royalties are counted), and
//! nothing about SQL. The store tests are written against the trait's
//! behaviour and run on each engine.
//!
//! The engines share everything that is not SQL: input checks (`check`),
//! business rules (`rules`), statement arithmetic (`accounting`), tokens
//! (`token`), matching, and the demo seed (`seed`'s data, applied by
//! `seeding`), so they cannot drift apart.
//!
//! Operations are `async` and return `Send` futures so handlers can await
//! them on a multi-threaded runtime; an engine whose calls block (SQLite)
//! runs them on the runtime's blocking pool, never on executor threads.
//! Arguments are owned so they can move to that pool.
//!
//! Authorization stays with the caller, except for *which rows* a reader
//! may see ([`Viewer`]): drafts are invisible to the public, and that must
//! be decided in the query for page totals to be right. Mutations trust
//! the caller to have checked ownership or the admin role.

use std::future::Future;
use std::sync::Arc;

use time::Date;

use crate::domain::statement::SalesMonth;

mod accounting;
mod check;
mod composition_input;
mod database;
mod error;
mod input;
pub mod matching;
mod postgres;
mod read_cache;
mod record;
mod rules;
mod seed;
mod seeding;
mod sqlite;
mod title_key;
mod token;
mod totals;

pub use composition_input::CompositionQuery;
pub use database::Database;
pub use error::{Result, StoreError};
pub use input::{
    AlbumPatch, AlbumQuery, AlbumSort, MAX_OFFSET, MAX_PER_PAGE, MIN_SEARCH_CHARS, MatchQuery,
    NewAlbum, NewArtist, NewComposition, NewTrack, SaleLine, SalesReport, TrackPatch,
};
pub use postgres::{PgConfig, PgStore};
pub use record::{
    Account, Album, AlbumDetail, AlbumStatus, Artist, Candidate, Composition, IngestOutcome,
    License, LicenseRoute, LicenseStatus, Page, Publisher, Role, SaleFormat, Statement,
    StatementLine, Track, Viewer,
};
pub use seed::{IssuedToken, TOKENS_FILE, read_tokens, write_tokens};
pub use sqlite::{DATABASE_FILE, SqliteStore, StoreConfig};
pub use totals::TotalsCheck;

/// The operations of the licensing service's storage.
///
/// Every operation either happens completely or not at all. Album
/// mutations increment the album's `version`, including changes to its
/// tracks and licenses.
pub trait Store: Send + Sync + 'static {
    /// The account a bearer token belongs to, or `None` for an unknown
    /// token. Tokens are stored only as SHA-256 digests.
    fn authenticate(&self, token: String) -> impl Future<Output = Result<Option<Account>>> + Send;

    /// Albums matching `query` that `viewer` may see (live albums, plus an
    /// artist's own drafts and submissions, plus everything for admins),
    /// one page of them and how many there are. `Invalid` for a page of 0
    /// or a page size outside 1–[`MAX_PER_PAGE`].
    fn list_albums(
        &self,
        query: AlbumQuery,
        viewer: Viewer,
    ) -> impl Future<Output = Result<Page<Album>>> + Send;

    /// An album with its artist, tracks and licenses; `NotFound` if it does
    /// not exist or `viewer` may not see it. Shared: the page may be one
    /// the store keeps between writes.
    fn get_album(
        &self,
        album_id: i64,
        viewer: Viewer,
    ) -> impl Future<Output = Result<Arc<AlbumDetail>>> + Send;

    /// The pages of the albums `ids` that `viewer` may see, in the order
    /// of `ids`; an album deleted or hidden since it was listed is left
    /// out. A list page's albums in one read (one statement on
    /// PostgreSQL), however many there are: not one read each.
    fn album_pages(
        &self,
        ids: Vec<i64>,
        viewer: Viewer,
    ) -> impl Future<Output = Result<Vec<Arc<AlbumDetail>>>> + Send;

    /// An artist.
    fn get_artist(&self, artist_id: i64) -> impl Future<Output = Result<Artist>> + Send;

    /// One page (from 1, of 1–[`MAX_PER_PAGE`] albums) of the albums of
    /// an artist that `viewer` may see, by title, and how many there are;
    /// `NotFound` if the artist does not exist, `Invalid` for a page as
    /// [`list_albums`](Store::list_albums) refuses it. `after` is the key
    /// of the last album of the page before (see [`AlbumQuery::after`]).
    fn list_artist_albums(
        &self,
        artist_id: i64,
        page: u32,
        per_page: u32,
        after: Option<String>,
        viewer: Viewer,
    ) -> impl Future<Output = Result<Page<Album>>> + Send;

    /// Records a new artist (admin).
    fn create_artist(&self, new: NewArtist) -> impl Future<Output = Result<Artist>> + Send;

    /// One page of the compositions `query` finds (each word of `q`
    /// starts a word of the title or of a writer's name, or `q` is the
    /// ISWC; all of them without `q`), by title, and how many there are;
    /// `Invalid` for a page as [`list_albums`](Store::list_albums) refuses
    /// it. The search reads a word index, not the catalogue.
    fn list_compositions(
        &self,
        query: CompositionQuery,
    ) -> impl Future<Output = Result<Page<Composition>>> + Send;

    /// A composition.
    fn get_composition(
        &self,
        composition_id: i64,
    ) -> impl Future<Output = Result<Composition>> + Send;

    /// Records a composition (admin). Shares must sum to 10,000 and the
    /// ISWC, when given, must be new (`Conflict` otherwise).
    fn create_composition(
        &self,
        new: NewComposition,
    ) -> impl Future<Output = Result<Composition>> + Send;

    /// Records a batch of compositions (admin; a bulk load): all of them
    /// in one transaction, or none. Each row obeys what
    /// [`create_composition`](Store::create_composition) asks; the first
    /// bad row is an `Invalid` error whose field starts with its index
    /// (`/3/publishers`), a taken ISWC included. Returns how many were
    /// recorded.
    fn import_compositions(
        &self,
        rows: Vec<NewComposition>,
    ) -> impl Future<Output = Result<u64>> + Send;

    /// The compositions a cover may be of, best first, scored as
    /// [`matching`] documents, from the bounded candidate set its index
    /// probes give, read in one statement.
    fn match_compositions(
        &self,
        query: MatchQuery,
    ) -> impl Future<Output = Result<Vec<Candidate>>> + Send;

    /// Creates a draft album at version 1.
    fn create_album(&self, new: NewAlbum) -> impl Future<Output = Result<Album>> + Send;

    /// Changes an album's own fields if it is still at `expected_version`
    /// (`VersionMismatch` otherwise), in any status: the album of
    /// [`Store::update_album_page`]'s page.
    fn update_album(
        &self,
        album_id: i64,
        expected_version: i64,
        patch: AlbumPatch,
    ) -> impl Future<Output = Result<Album>> + Send {
        async move {
            let page = self
                .update_album_page(album_id, expected_version, patch)
                .await?;
            Ok(page.album.clone())
        }
    }

    /// [`Store::update_album`], giving the album's page as the change left
    /// it (whoever asks; who may see it is the caller's question): what a
    /// patch answers with, read by the write itself instead of after it.
    /// An edit of catalogue data: see the engines' docs for when it is on
    /// disk.
    fn update_album_page(
        &self,
        album_id: i64,
        expected_version: i64,
        patch: AlbumPatch,
    ) -> impl Future<Output = Result<Arc<AlbumDetail>>> + Send;

    /// Deletes a draft album and its tracks; `Conflict` once submitted.
    /// With an `expected_version`, only if the album is still at it
    /// (`VersionMismatch` otherwise, checked first).
    fn delete_album(
        &self,
        album_id: i64,
        expected_version: Option<i64>,
    ) -> impl Future<Output = Result<()>> + Send;

    /// Adds a track to a draft album (see [`NewTrack::number`] for where).
    fn add_track(&self, album_id: i64, new: NewTrack)
    -> impl Future<Output = Result<Track>> + Send;

    /// Changes a track of a draft album if the album is still at
    /// `expected_version` (`VersionMismatch` otherwise, checked first):
    /// a track is part of its album's representation, so a track edit is
    /// guarded by, and bumps, the album's version.
    fn update_track(
        &self,
        album_id: i64,
        number: u32,
        expected_version: i64,
        patch: TrackPatch,
    ) -> impl Future<Output = Result<Track>> + Send;

    /// Deletes a track of a draft album; later tracks move up one, so
    /// numbers stay 1 to n without gaps. With an `expected_version`, only
    /// if the album is still at it (`VersionMismatch` otherwise).
    fn delete_track(
        &self,
        album_id: i64,
        number: u32,
        expected_version: Option<i64>,
    ) -> impl Future<Output = Result<()>> + Send;

    /// Submits a draft for licensing, in one transaction: every cover must
    /// name a composition (`Conflict` otherwise); covers with changed lyrics
    /// or of never-released compositions get a license that
    /// `needs_negotiation`; the others a `noi` license with its notice
    /// served `today`. The album becomes `submitted`.
    fn submit_album(
        &self,
        album_id: i64,
        today: Date,
    ) -> impl Future<Output = Result<AlbumDetail>> + Send;

    /// Marks a license active (admin): the notice period has passed, or the
    /// negotiated license is signed. `Conflict` if it already is.
    fn activate_license(&self, license_id: i64) -> impl Future<Output = Result<License>> + Send;

    /// Puts a submitted album on sale; `Conflict` unless every license is
    /// active.
    fn publish_album(&self, album_id: i64) -> impl Future<Output = Result<Album>> + Send;

    /// Records a store's month of sales, all lines or none. A second report
    /// for the same store and month changes nothing and says so.
    fn ingest_sales(
        &self,
        report: SalesReport,
    ) -> impl Future<Output = Result<IngestOutcome>> + Send;

    /// The royalties an album owes for `month`, per publisher, with its due
    /// date and whether it is late on `today`.
    fn royalty_statement(
        &self,
        album_id: i64,
        month: SalesMonth,
        today: Date,
    ) -> impl Future<Output = Result<Statement>> + Send;
}
