//! Sets a new database up: the demo catalogue applied by the seed shared
//! with SQLite (`store::seeding`) through this engine's operations, in one
//! transaction.
//!
//! **Exactly once, however many instances start.** The `setup` table holds
//! one row once the database is set up. The first instance to start
//! claims it with `INSERT … ON CONFLICT DO NOTHING` and seeds in the same
//! transaction; an instance starting at the same moment waits on that
//! uncommitted row, then finds it and seeds nothing (or, if the first
//! failed and rolled back, claims it and seeds itself). Like SQLite's
//! "the database was just created", the first start decides: a database
//! set up without the seed stays empty.

use std::path::Path;

use sqlx::PgConnection;

use time::Date;

use super::{accounts, albums, catalog, licensing, sales, tracks};
use crate::store::seeding::{self, SeedTarget};
use crate::store::{
    Album, AlbumDetail, Artist, Composition, IngestOutcome, License, NewAlbum, NewArtist,
    NewComposition, NewTrack, Result, Role, SalesReport, Track,
};

/// Claims the setup of a new database and, if `seed`, seeds it and writes
/// the tokens file into `data_dir`. Nothing happens on a database already
/// set up.
pub(super) async fn set_up(conn: &mut PgConnection, seed: bool, data_dir: &Path) -> Result<()> {
    let claimed = sqlx::query("INSERT INTO setup (seeded) VALUES ($1) ON CONFLICT DO NOTHING")
        .bind(seed)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    if claimed == 0 || !seed {
        return Ok(());
    }
    seeding::seed(&mut Target(conn), data_dir).await
}

/// The engine's operations on the setup transaction.
struct Target<'a>(&'a mut PgConnection);

impl SeedTarget for Target<'_> {
    async fn create_composition(&mut self, new: &NewComposition) -> Result<Composition> {
        catalog::create_composition(self.0, new).await
    }

    async fn create_account(
        &mut self,
        name: &str,
        role: Role,
        artist_id: Option<i64>,
    ) -> Result<String> {
        accounts::create_account(self.0, name, role, artist_id).await
    }

    async fn create_artist(&mut self, new: &NewArtist) -> Result<Artist> {
        catalog::create_artist(self.0, new).await
    }

    async fn create_album(&mut self, new: &NewAlbum) -> Result<Album> {
        albums::create_album(self.0, new).await
    }

    async fn add_track(&mut self, album_id: i64, new: &NewTrack) -> Result<Track> {
        tracks::add_track(self.0, album_id, new).await
    }

    async fn submit_album(&mut self, album_id: i64, today: Date) -> Result<AlbumDetail> {
        licensing::submit_album(self.0, album_id, today).await
    }

    async fn activate_license(&mut self, license_id: i64) -> Result<License> {
        licensing::activate_license(self.0, license_id).await
    }

    async fn publish_album(&mut self, album_id: i64) -> Result<Album> {
        licensing::publish_album(self.0, album_id).await
    }

    async fn ingest_sales(&mut self, report: &SalesReport) -> Result<IngestOutcome> {
        sales::ingest_sales(self.0, report).await
    }
}
