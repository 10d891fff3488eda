//! Applying the demo catalogue (`seed::demo`) to a new database, the same
//! way on every engine: through the engine's own operations, in the order
//! a person would (compositions, accounts, artists, albums and their
//! tracks, submission, licenses, publication, sales), so the seed obeys
//! the same rules as everything else. The engine runs this inside one
//! transaction, so a database is seeded completely or not at all, and
//! then the tokens file is written into the data directory.
//!
//! An engine lends its operations as a [`SeedTarget`]. Its methods are
//! `async` for PostgreSQL; SQLite's are plain calls that never wait, and
//! its engine drives the seed with [`run_ready`].

use std::future::Future;
use std::path::Path;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use time::Date;

use super::seed::{self, IssuedToken};
use super::{
    Album, AlbumDetail, Artist, Composition, IngestOutcome, License, NewAlbum, NewArtist,
    NewComposition, NewTrack, Result, Role, SalesReport, StoreError, Track,
};

/// The operations the seed needs, on one engine's open transaction.
pub(crate) trait SeedTarget {
    /// Records a composition.
    async fn create_composition(&mut self, new: &NewComposition) -> Result<Composition>;
    /// Creates an account and returns its token.
    async fn create_account(
        &mut self,
        name: &str,
        role: Role,
        artist_id: Option<i64>,
    ) -> Result<String>;
    /// Records an artist.
    async fn create_artist(&mut self, new: &NewArtist) -> Result<Artist>;
    /// Creates a draft album.
    async fn create_album(&mut self, new: &NewAlbum) -> Result<Album>;
    /// Adds a track to a draft.
    async fn add_track(&mut self, album_id: i64, new: &NewTrack) -> Result<Track>;
    /// Submits a draft.
    async fn submit_album(&mut self, album_id: i64, today: Date) -> Result<AlbumDetail>;
    /// Marks a license active.
    async fn activate_license(&mut self, license_id: i64) -> Result<License>;
    /// Puts a submitted album on sale.
    async fn publish_album(&mut self, album_id: i64) -> Result<Album>;
    /// Records a store's month of sales.
    async fn ingest_sales(&mut self, report: &SalesReport) -> Result<IngestOutcome>;
}

/// Seeds the demo through `target` and writes the tokens file into
/// `data_dir`.
pub(crate) async fn seed(target: &mut impl SeedTarget, data_dir: &Path) -> Result<()> {
    let demo = seed::demo();
    let mut compositions = Vec::new();
    for new in &demo.compositions {
        compositions.push(target.create_composition(new).await?.id);
    }
    let mut tokens = vec![IssuedToken {
        artist_id: None,
        name: demo.admin.to_owned(),
        role: Role::Admin,
        token: target.create_account(demo.admin, Role::Admin, None).await?,
    }];
    // Album ids by (artist index, album index).
    let mut album_ids: Vec<Vec<i64>> = Vec::new();
    for entry in &demo.artists {
        let artist = target.create_artist(&entry.artist).await?;
        let token = target
            .create_account(&artist.name, Role::Artist, Some(artist.id))
            .await?;
        tokens.push(IssuedToken {
            artist_id: Some(artist.id),
            name: artist.name.clone(),
            role: Role::Artist,
            token,
        });
        let mut ids = Vec::new();
        for demo_album in &entry.albums {
            let new = NewAlbum {
                artist_id: artist.id,
                ..demo_album.album.clone()
            };
            let album = target.create_album(&new).await?;
            for (track, covers) in &demo_album.tracks {
                let new = NewTrack {
                    cover_of: covers.map(|i| compositions[i]),
                    ..track.clone()
                };
                target.add_track(album.id, &new).await?;
            }
            if let Some(day) = demo_album.submitted {
                let detail = target.submit_album(album.id, day).await?;
                if demo_album.live {
                    for license in detail.licenses {
                        target.activate_license(license.id).await?;
                    }
                    target.publish_album(album.id).await?;
                }
            }
            ids.push(album.id);
        }
        album_ids.push(ids);
    }
    for report in &demo.sales {
        target.ingest_sales(&report.report(&album_ids)?).await?;
    }
    std::fs::create_dir_all(data_dir)?;
    seed::write_tokens(data_dir, &tokens)
}

/// The result of a future that never waits (one whose every step is a
/// plain call, as SQLite's operations are), from a single poll. A future
/// that does wait is an `Internal` error, never a hang.
pub(crate) fn run_ready<T>(future: impl Future<Output = Result<T>>) -> Result<T> {
    match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(result) => result,
        Poll::Pending => Err(StoreError::Internal(
            "a step of the seed waited, where it runs without an executor".into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ready_futures_run_and_waiting_ones_are_refused() {
        assert_eq!(run_ready(async { Ok(7) }), Ok(7));
        let waits = async {
            std::future::pending::<()>().await;
            Ok(())
        };
        assert!(matches!(run_ready(waits), Err(StoreError::Internal(_))));
    }
}
