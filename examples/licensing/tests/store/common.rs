//! Fixtures: a store on the engine under test, in a temporary data
//! directory that removes itself, and builders for the records most tests
//! need.
//!
//! **Which engine.** Every test that takes its store from [`empty`] or
//! [`seeded`] runs on SQLite, in a temporary directory, unless
//! `PALE_TEST_DATABASE_URL` names a PostgreSQL server (the URL of a
//! superuser, on a throwaway cluster: `postgres://user:pass@host:port/postgres`).
//! Then the same test runs on PostgreSQL instead, in a database of its own
//! (`CREATE DATABASE` with a unique name, dropped when the fixture is).
//! One test source, two engines: run the suite once with the variable and
//! once without. Tests of one engine only say so and build their store
//! with [`sqlite_only`] or [`pg_database`].

use std::path::Path;

use licensing::store::{
    Album, AlbumStatus, Database, NewAlbum, NewArtist, NewComposition, NewTrack, SqliteStore,
    Store, StoreConfig, StoreError, Viewer,
};
use time::Date;
use time::macros::date;

#[path = "../support/temp_dir.rs"]
mod temp_dir;
pub(crate) use temp_dir::TempDir;

#[path = "../support/postgres.rs"]
pub(crate) mod postgres;
pub(crate) use postgres::{PgDatabase, database_url, pg_database};

/// A store and where it lives (dropped in this order: the store, its
/// directory, its PostgreSQL database).
pub(crate) struct Fixture {
    pub(crate) store: Database,
    pub(crate) dir: TempDir,
    pg: Option<PgDatabase>,
}

impl Fixture {
    /// Another store on the same data (the same SQLite file, or the same
    /// PostgreSQL database through a pool of its own), as a second process
    /// or instance would open it.
    pub(crate) async fn open_another(&self, seed: bool) -> Database {
        match &self.pg {
            None => open_sqlite(self.dir.path(), seed).into(),
            Some(pg) => pg.connect(self.dir.path(), seed).await.into(),
        }
    }
}

/// An empty, unseeded store on the engine under test.
pub(crate) async fn empty(label: &str) -> Fixture {
    open(label, false).await
}

/// A store with the demo catalogue, on the engine under test.
pub(crate) async fn seeded(label: &str) -> Fixture {
    open(label, true).await
}

async fn open(label: &str, seed: bool) -> Fixture {
    let dir = TempDir::new(label);
    match database_url() {
        None => Fixture {
            store: open_sqlite(dir.path(), seed).into(),
            dir,
            pg: None,
        },
        Some(url) => {
            let pg = PgDatabase::create(&url, label).await;
            Fixture {
                store: pg.connect(dir.path(), seed).await.into(),
                dir,
                pg: Some(pg),
            }
        }
    }
}

fn open_sqlite(dir: &Path, seed: bool) -> SqliteStore {
    SqliteStore::open(&StoreConfig::new(dir).seed(seed)).expect("open SQLite")
}

/// A SQLite store, whatever engine is under test: for the tests of what
/// only SQLite has (its read cache, its file).
pub(crate) fn sqlite_only(label: &str, seed: bool) -> (SqliteStore, TempDir) {
    let dir = TempDir::new(label);
    (open_sqlite(dir.path(), seed), dir)
}

/// Checks what each engine can check of its storage after a test: SQLite
/// its file's integrity. PostgreSQL has no file of ours to check; its
/// constraints were checked on every write.
pub(crate) async fn assert_sound(store: &Database) {
    match store {
        Database::Sqlite(sqlite) => assert_eq!(sqlite.integrity_check().await.unwrap(), "ok"),
        Database::Postgres(pg) => pg.health().await.expect("PostgreSQL answers"),
        other => panic!("no soundness check for {}", other.engine()),
    }
}

pub(crate) const TODAY: Date = date!(2025 - 06 - 15);

pub(crate) async fn artist(store: &Database, name: &str) -> i64 {
    store
        .create_artist(NewArtist {
            name: name.to_owned(),
            email: format!("{}@example.com", name.to_lowercase().replace(' ', ".")),
            ..NewArtist::default()
        })
        .await
        .expect("create artist")
        .id
}

pub(crate) async fn composition(
    store: &Database,
    title: &str,
    released: bool,
    publishers: &[(&str, u32)],
) -> i64 {
    store
        .create_composition(NewComposition {
            title: title.to_owned(),
            iswc: None,
            writers: vec![format!("Writer of {title}")],
            released,
            publishers: publishers
                .iter()
                .map(|(name, share)| ((*name).to_owned(), *share))
                .collect(),
        })
        .await
        .expect("create composition")
        .id
}

pub(crate) async fn draft(store: &Database, artist_id: i64, title: &str) -> Album {
    store
        .create_album(NewAlbum {
            artist_id,
            title: title.to_owned(),
            price_cents: 900,
            ..NewAlbum::default()
        })
        .await
        .expect("create album")
}

pub(crate) fn original(title: &str, duration_s: u32) -> NewTrack {
    NewTrack {
        title: title.to_owned(),
        duration_s,
        ..NewTrack::default()
    }
}

pub(crate) fn cover(title: &str, duration_s: u32, composition_id: i64) -> NewTrack {
    NewTrack {
        cover_of: Some(composition_id),
        ..original(title, duration_s)
    }
}

/// An album taken all the way to live: tracks added, submitted, every
/// license activated, published.
pub(crate) async fn live(
    store: &Database,
    artist_id: i64,
    title: &str,
    tracks: Vec<NewTrack>,
) -> Album {
    let album = draft(store, artist_id, title).await;
    for track in tracks {
        store.add_track(album.id, track).await.expect("add track");
    }
    let detail = store.submit_album(album.id, TODAY).await.expect("submit");
    for license in detail.licenses {
        store.activate_license(license.id).await.expect("activate");
    }
    let album = store.publish_album(album.id).await.expect("publish");
    assert_eq!(album.status, AlbumStatus::Live);
    album
}

/// Asserts an `Invalid` error at `field`.
#[track_caller]
pub(crate) fn assert_invalid<T: std::fmt::Debug>(result: Result<T, StoreError>, field: &str) {
    match result {
        Err(StoreError::Invalid { field: f, .. }) => assert_eq!(f, field),
        other => panic!("expected invalid {field}, got {other:?}"),
    }
}

/// The titles of the albums `viewer` sees, in the default order.
pub(crate) async fn visible_titles(store: &Database, viewer: Viewer) -> Vec<String> {
    store
        .list_albums(licensing::store::AlbumQuery::default(), viewer)
        .await
        .expect("list")
        .items
        .into_iter()
        .map(|a| a.title)
        .collect()
}
