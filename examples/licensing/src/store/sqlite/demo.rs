//! Applies the demo catalogue to a new database (`store::seeding`, shared
//! with PostgreSQL) through this engine's operations, inside the
//! migration's transaction: a database is seeded completely or not at all.

use std::path::Path;

use rusqlite::Connection;
use time::Date;

use super::{accounts, albums, catalog, licensing, sales, tracks};
use crate::store::seeding::{self, SeedTarget};
use crate::store::{
    Album, AlbumDetail, Artist, Composition, IngestOutcome, License, NewAlbum, NewArtist,
    NewComposition, NewTrack, Result, Role, SalesReport, Track,
};

/// Seeds the demo and writes the tokens file into `data_dir`. Every step
/// is a plain call, so the shared seed runs to the end in one poll.
pub(super) fn seed(conn: &Connection, data_dir: &Path) -> Result<()> {
    seeding::run_ready(seeding::seed(&mut Target(conn), data_dir))
}

/// The engine's operations on the migration's transaction.
struct Target<'a>(&'a Connection);

impl SeedTarget for Target<'_> {
    async fn create_composition(&mut self, new: &NewComposition) -> Result<Composition> {
        catalog::create_composition(self.0, new)
    }

    async fn create_account(
        &mut self,
        name: &str,
        role: Role,
        artist_id: Option<i64>,
    ) -> Result<String> {
        accounts::create_account(self.0, name, role, artist_id)
    }

    async fn create_artist(&mut self, new: &NewArtist) -> Result<Artist> {
        catalog::create_artist(self.0, new)
    }

    async fn create_album(&mut self, new: &NewAlbum) -> Result<Album> {
        albums::create_album(self.0, new)
    }

    async fn add_track(&mut self, album_id: i64, new: &NewTrack) -> Result<Track> {
        tracks::add_track(self.0, album_id, new)
    }

    async fn submit_album(&mut self, album_id: i64, today: Date) -> Result<AlbumDetail> {
        licensing::submit_album(self.0, album_id, today)
    }

    async fn activate_license(&mut self, license_id: i64) -> Result<License> {
        licensing::activate_license(self.0, license_id)
    }

    async fn publish_album(&mut self, album_id: i64) -> Result<Album> {
        licensing::publish_album(self.0, album_id)
    }

    async fn ingest_sales(&mut self, report: &SalesReport) -> Result<IngestOutcome> {
        sales::ingest_sales(self.0, report)
    }
}
