//! Many writers at once: no lost update, no "database is locked", no
//! duplicate track number, and sound storage afterwards, on either engine;
//! and two stores on one database, as two processes or instances.

use std::sync::Arc;

use licensing::store::{AlbumPatch, AlbumQuery, Database, Store, StoreError, TrackPatch, Viewer};

use crate::common::{self, draft, original};

const WRITERS: usize = 50;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_writers_lose_no_update() {
    let fx = common::empty("concurrency").await;
    let store = Arc::new(fx.store.clone());
    let artist = common::artist(&store, "Ann").await;
    let album = draft(&store, artist, "Contended").await;

    // Each writer retitles the album under optimistic concurrency,
    // retrying when someone else got there first.
    let mut tasks = Vec::new();
    for writer in 0..WRITERS {
        let store = Arc::clone(&store);
        tasks.push(tokio::spawn(async move {
            let mut attempts = 0u32;
            loop {
                attempts += 1;
                let current = store
                    .get_album(album.id, Viewer::Admin)
                    .await?
                    .album
                    .version;
                let patch = AlbumPatch {
                    title: Some(format!("Take {writer}")),
                    ..AlbumPatch::default()
                };
                match store.update_album(album.id, current, patch).await {
                    Ok(updated) => return Ok::<_, StoreError>((updated.version, attempts)),
                    Err(StoreError::VersionMismatch { .. }) => continue,
                    Err(other) => return Err(other),
                }
            }
        }));
    }
    // Readers list albums all the while.
    let mut readers = Vec::new();
    for _ in 0..4 {
        let store = Arc::clone(&store);
        readers.push(tokio::spawn(async move {
            for _ in 0..25 {
                store
                    .list_albums(AlbumQuery::default(), Viewer::Admin)
                    .await?;
            }
            Ok::<_, StoreError>(())
        }));
    }
    let mut versions = Vec::new();
    for task in tasks {
        // Retries are the norm here (about six attempts per writer on two
        // cores), which is the contention the test is for.
        let (version, _attempts) = task.await.expect("writer task").expect("no store error");
        versions.push(version);
    }
    for reader in readers {
        reader.await.expect("reader task").expect("no store error");
    }
    // Every writer succeeded exactly once, each with its own version.
    versions.sort_unstable();
    let expected: Vec<i64> = (2..=1 + WRITERS as i64).collect();
    assert_eq!(versions, expected);
    let after = store
        .get_album(album.id, Viewer::Admin)
        .await
        .unwrap()
        .album
        .clone();
    assert_eq!(after.version, 1 + WRITERS as i64);
    common::assert_sound(&store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_appends_make_fifty_tracks_without_gaps() {
    let fx = common::empty("concurrent-appends").await;
    let store: Arc<Database> = Arc::new(fx.store.clone());
    let artist = common::artist(&store, "Ann").await;
    let album = draft(&store, artist, "Crowded").await;
    let tasks: Vec<_> = (0..WRITERS)
        .map(|i| {
            let store = Arc::clone(&store);
            tokio::spawn(async move {
                store
                    .add_track(album.id, original(&format!("T{i}"), 60))
                    .await
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("task").expect("no store error");
    }
    let detail = store.get_album(album.id, Viewer::Admin).await.unwrap();
    let numbers: Vec<u32> = detail.tracks.iter().map(|t| t.number).collect();
    assert_eq!(numbers, (1..=WRITERS as u32).collect::<Vec<_>>());
    assert_eq!(detail.album.version, 1 + WRITERS as i64);
    common::assert_sound(&store).await;
}

/// Track edits are guarded by the album's version: writers all holding
/// one version make exactly one change, and every other hears the
/// version that change made, on both engines (SQLite's write lock,
/// PostgreSQL's lock on the album row).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn track_edits_holding_one_version_make_one_change() {
    let fx = common::empty("concurrent-track-edits").await;
    let store: Arc<Database> = Arc::new(fx.store.clone());
    let artist = common::artist(&store, "Ann").await;
    let album = draft(&store, artist, "Contended Track").await;
    store
        .add_track(album.id, original("Take 0", 60))
        .await
        .unwrap();
    let version = 2;
    let tasks: Vec<_> = (0..WRITERS)
        .map(|i| {
            let store = Arc::clone(&store);
            tokio::spawn(async move {
                let patch = TrackPatch {
                    title: Some(format!("Take {}", i + 1)),
                    ..TrackPatch::default()
                };
                store.update_track(album.id, 1, version, patch).await
            })
        })
        .collect();
    let mut won = Vec::new();
    for task in tasks {
        match task.await.expect("task") {
            Ok(track) => won.push(track.title),
            Err(err) => assert_eq!(err, StoreError::VersionMismatch { current: 3 }),
        }
    }
    assert_eq!(won.len(), 1, "{won:?}");
    let detail = store.get_album(album.id, Viewer::Admin).await.unwrap();
    assert_eq!(detail.album.version, 3);
    assert_eq!(detail.tracks[0].title, won[0]);
    common::assert_sound(&store).await;
}

/// Two stores on one database, as two processes (SQLite) or instances
/// (PostgreSQL) would be: their writers meet inside the database, where
/// SQLite's `BEGIN IMMEDIATE` and busy timeout, or PostgreSQL's lock on
/// the album row, make them queue instead of failing or both taking the
/// same track number.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_stores_on_one_database_queue_instead_of_failing() {
    let fx = common::empty("two-pools").await;
    let other = fx.open_another(false).await;
    let artist = common::artist(&fx.store, "Ann").await;
    let album = draft(&fx.store, artist, "Shared").await;
    let tasks: Vec<_> = (0..WRITERS)
        .map(|i| {
            let store = if i % 2 == 0 {
                fx.store.clone()
            } else {
                other.clone()
            };
            tokio::spawn(async move {
                store
                    .add_track(album.id, original(&format!("T{i}"), 60))
                    .await
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("task").expect("no store error");
    }
    let detail = other.get_album(album.id, Viewer::Admin).await.unwrap();
    assert_eq!(detail.tracks.len(), WRITERS);
    assert_eq!(detail.album.version, 1 + WRITERS as i64);
    common::assert_sound(&fx.store).await;
}
