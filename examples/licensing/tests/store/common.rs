//! Fixtures: a temporary data directory that removes itself, stores opened
//! in one, and builders for the records most tests need.

use licensing::store::{
    Album, AlbumStatus, NewAlbum, NewArtist, NewComposition, NewTrack, SqliteStore, Store,
    StoreConfig, StoreError, Viewer,
};
use time::Date;
use time::macros::date;

#[path = "../support/temp_dir.rs"]
mod temp_dir;
pub(crate) use temp_dir::TempDir;

/// A store and the directory it lives in (dropped in that order).
pub(crate) struct Fixture {
    pub(crate) store: SqliteStore,
    pub(crate) dir: TempDir,
}

/// An empty, unseeded store.
pub(crate) fn empty(label: &str) -> Fixture {
    let dir = TempDir::new(label);
    let store = SqliteStore::open(&StoreConfig::new(dir.path()).seed(false)).expect("open");
    Fixture { store, dir }
}

/// A store with the demo catalogue.
pub(crate) fn seeded(label: &str) -> Fixture {
    let dir = TempDir::new(label);
    let store = SqliteStore::open(&StoreConfig::new(dir.path())).expect("open");
    Fixture { store, dir }
}

pub(crate) const TODAY: Date = date!(2025 - 06 - 15);

pub(crate) async fn artist(store: &SqliteStore, name: &str) -> i64 {
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
    store: &SqliteStore,
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

pub(crate) async fn draft(store: &SqliteStore, artist_id: i64, title: &str) -> Album {
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
    store: &SqliteStore,
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
pub(crate) async fn visible_titles(store: &SqliteStore, viewer: Viewer) -> Vec<String> {
    store
        .list_albums(licensing::store::AlbumQuery::default(), viewer)
        .await
        .expect("list")
        .items
        .into_iter()
        .map(|a| a.title)
        .collect()
}
