//! Reads after writes. The SQLite engine keeps album pages and token
//! lookups between writes; no read after a write returns may see what was
//! there before it. The first two tests hold for any engine and run on the
//! one under test (PostgreSQL caches nothing, and must pass them all the
//! same); the last is about SQLite's cache alone and always runs on
//! SQLite.

use licensing::domain::statement::SalesMonth;
use licensing::store::{
    AlbumPatch, SaleFormat, SaleLine, SalesReport, Store, StoreError, Viewer, read_tokens,
};
use sha2::{Digest, Sha256};

use crate::common::{self, draft, live, original};

#[tokio::test]
async fn who_may_see_a_page_is_asked_after_the_cache() {
    let fx = common::empty("cache-visibility").await;
    let ann = common::artist(&fx.store, "Ann").await;
    let bob = common::artist(&fx.store, "Bob").await;
    let album = draft(&fx.store, ann, "Ann Draft").await;
    // The artist's read fills the cache with a page only she may see.
    let own = fx
        .store
        .get_album(album.id, Viewer::Artist(ann))
        .await
        .unwrap();
    assert_eq!(own.album.title, "Ann Draft");
    for viewer in [Viewer::Public, Viewer::Artist(bob)] {
        assert_eq!(
            fx.store.get_album(album.id, viewer).await,
            Err(StoreError::NotFound("album"))
        );
    }
    assert_eq!(
        fx.store
            .get_album(album.id, Viewer::Admin)
            .await
            .unwrap()
            .album
            .title,
        "Ann Draft"
    );
}

#[tokio::test]
async fn every_write_shows_in_the_next_read() {
    let fx = common::empty("cache-writes").await;
    let ann = common::artist(&fx.store, "Ann").await;
    let album = live(&fx.store, ann, "Before", vec![original("One", 100)]).await;
    let page = |viewer| fx.store.get_album(album.id, viewer);

    assert_eq!(page(Viewer::Public).await.unwrap().units_sold, 0);
    let month = SalesMonth::parse("2025-05").unwrap();
    fx.store
        .ingest_sales(SalesReport {
            store: "bandcamp".into(),
            month,
            lines: vec![SaleLine {
                album_id: album.id,
                track_number: None,
                format: SaleFormat::Download,
                units: 7,
            }],
        })
        .await
        .unwrap();
    assert_eq!(page(Viewer::Public).await.unwrap().units_sold, 7);

    let draft = draft(&fx.store, ann, "Draft").await;
    let as_ann = || async {
        fx.store
            .get_album(draft.id, Viewer::Artist(ann))
            .await
            .unwrap()
    };
    let read = as_ann().await;
    assert!(read.tracks.is_empty());
    fx.store
        .add_track(draft.id, original("Added", 90))
        .await
        .unwrap();
    let read = as_ann().await;
    assert_eq!(read.tracks[0].title, "Added");
    fx.store
        .update_album(
            draft.id,
            read.album.version,
            AlbumPatch {
                title: Some("Renamed".into()),
                ..AlbumPatch::default()
            },
        )
        .await
        .unwrap();
    let read = as_ann().await;
    assert_eq!(read.album.title, "Renamed");
    fx.store.delete_album(draft.id, None).await.unwrap();
    assert_eq!(
        fx.store.get_album(draft.id, Viewer::Admin).await,
        Err(StoreError::NotFound("album"))
    );
}

/// SQLite only, whatever engine is under test: the cache, and a second
/// connection to its file, are SQLite's. (PostgreSQL's counterpart, two
/// instances on one database, is `postgres.rs`.)
#[tokio::test]
async fn writes_behind_the_stores_back_show_at_once() {
    let (store, dir) = common::sqlite_only("cache-outside", true);
    let album_id = 1;
    let before = store.get_album(album_id, Viewer::Admin).await.unwrap();
    assert_ne!(before.album.title, "Edited outside");
    let artist = read_tokens(dir.path())
        .unwrap()
        .into_iter()
        .find(|t| t.artist_id.is_some())
        .unwrap();
    let digest: [u8; 32] = Sha256::digest(b"lic_outside").into();
    assert_eq!(store.authenticate("lic_outside".into()).await, Ok(None));

    let outside = rusqlite::Connection::open(store.path()).unwrap();
    outside
        .execute(
            "UPDATE albums SET title = 'Edited outside' WHERE id = ?1",
            [album_id],
        )
        .unwrap();
    outside
        .execute(
            "INSERT INTO accounts (name, role, artist_id, token_sha256)
             VALUES ('outside', 'artist', ?1, ?2)",
            rusqlite::params![artist.artist_id, digest],
        )
        .unwrap();
    // Another connection (as another process would) committed: the next
    // read sees it, with no call to tell the store.
    let after = store.get_album(album_id, Viewer::Admin).await.unwrap();
    assert_eq!(after.album.title, "Edited outside");
    let account = store
        .authenticate("lic_outside".into())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(account.artist_id, artist.artist_id);
}

/// SQLite only (its cache is always on): a write forgets the pages it
/// changed and no other. Album B's page stays served from memory while A
/// is patched, tracked, sold and deleted; A's next read shows each change.
#[tokio::test]
async fn a_write_to_one_album_leaves_the_others_kept() {
    let (store, _dir) = common::sqlite_only("cache-by-key", false);
    let store: licensing::store::Database = store.into();
    let ann = common::artist(&store, "Ann").await;
    let a = live(&store, ann, "A", vec![original("One", 100)]).await;
    let b = live(&store, ann, "B", vec![original("Two", 100)]).await;
    let page = |id| store.get_album(id, Viewer::Public);
    page(a.id).await.unwrap();
    page(b.id).await.unwrap();
    // B is served from memory after each write to A; A is read again.
    let b_kept = || async {
        let hits = store.album_cache_hits();
        assert_eq!(page(b.id).await.unwrap().album.title, "B");
        assert_eq!(store.album_cache_hits(), hits + 1, "B read again");
    };

    let month = SalesMonth::parse("2025-05").unwrap();
    let line = |album_id| SaleLine {
        album_id,
        track_number: None,
        format: SaleFormat::Download,
        units: 3,
    };
    store
        .ingest_sales(SalesReport {
            store: "bandcamp".into(),
            month,
            lines: vec![line(a.id)],
        })
        .await
        .unwrap();
    b_kept().await;
    assert_eq!(page(a.id).await.unwrap().units_sold, 3);

    let draft = draft(&store, ann, "Draft").await;
    store
        .add_track(draft.id, original("Added", 90))
        .await
        .unwrap();
    b_kept().await;
    let version = page_as_admin(&store, draft.id).await.album.version;
    let patched = store
        .update_album(
            draft.id,
            version,
            AlbumPatch {
                title: Some("Renamed".into()),
                ..AlbumPatch::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(patched.title, "Renamed");
    b_kept().await;
    // The patch's own page was kept by the write: served from memory.
    let hits = store.album_cache_hits();
    let read = page_as_admin(&store, draft.id).await;
    assert_eq!(
        (
            read.album.title.as_str(),
            read.album.version,
            read.tracks.len()
        ),
        ("Renamed", patched.version, 1)
    );
    assert_eq!(store.album_cache_hits(), hits + 1);
    store.delete_album(draft.id, None).await.unwrap();
    b_kept().await;
    assert_eq!(
        store.get_album(draft.id, Viewer::Admin).await,
        Err(StoreError::NotFound("album"))
    );

    // A new account (an artist) forgets everything: B is read again.
    common::artist(&store, "Bo").await;
    let hits = store.album_cache_hits();
    page(b.id).await.unwrap();
    assert_eq!(store.album_cache_hits(), hits);
}

async fn page_as_admin(
    store: &licensing::store::Database,
    album_id: i64,
) -> std::sync::Arc<licensing::store::AlbumDetail> {
    store.get_album(album_id, Viewer::Admin).await.unwrap()
}
