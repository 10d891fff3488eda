//! Tracks: numbers run 1..n without gaps; only drafts change.

use licensing::domain::ids::Isrc;
use licensing::store::{Database, NewTrack, Store, StoreError, TrackPatch, Viewer};

use crate::common::{self, assert_invalid, cover, draft, live, original};

async fn titles(store: &Database, album_id: i64) -> Vec<(u32, String)> {
    store
        .get_album(album_id, Viewer::Admin)
        .await
        .unwrap()
        .tracks
        .iter()
        .map(|t| (t.number, t.title.clone()))
        .collect()
}

fn numbered(list: &[(u32, &str)]) -> Vec<(u32, String)> {
    list.iter().map(|(n, t)| (*n, (*t).to_owned())).collect()
}

#[tokio::test]
async fn adding_appends_or_inserts_and_deleting_closes_the_gap() {
    let fx = common::empty("tracks").await;
    let artist = common::artist(&fx.store, "Ann").await;
    let album = draft(&fx.store, artist, "Tracklist").await;
    for title in ["A", "B", "C"] {
        let track = fx
            .store
            .add_track(album.id, original(title, 120))
            .await
            .unwrap();
        assert_eq!(track.title, title);
    }
    assert_eq!(
        titles(&fx.store, album.id).await,
        numbered(&[(1, "A"), (2, "B"), (3, "C")])
    );
    let inserted = fx
        .store
        .add_track(
            album.id,
            NewTrack {
                number: Some(2),
                ..original("New 2", 90)
            },
        )
        .await
        .unwrap();
    assert_eq!(inserted.number, 2);
    assert_eq!(
        titles(&fx.store, album.id).await,
        numbered(&[(1, "A"), (2, "New 2"), (3, "B"), (4, "C")])
    );
    // Inserting at the first position and at n + 1 both work.
    let at = |number, title| NewTrack {
        number: Some(number),
        ..original(title, 60)
    };
    fx.store.add_track(album.id, at(1, "Intro")).await.unwrap();
    fx.store.add_track(album.id, at(6, "Outro")).await.unwrap();
    assert_eq!(
        titles(&fx.store, album.id).await,
        numbered(&[
            (1, "Intro"),
            (2, "A"),
            (3, "New 2"),
            (4, "B"),
            (5, "C"),
            (6, "Outro")
        ])
    );
    // Gaps and zero are refused.
    assert_invalid(fx.store.add_track(album.id, at(8, "Gap")).await, "/number");
    assert_invalid(fx.store.add_track(album.id, at(0, "Zero")).await, "/number");
    // Deleting moves later tracks up.
    fx.store.delete_track(album.id, 3, None).await.unwrap();
    fx.store.delete_track(album.id, 1, None).await.unwrap();
    assert_eq!(
        titles(&fx.store, album.id).await,
        numbered(&[(1, "A"), (2, "B"), (3, "C"), (4, "Outro")])
    );
    fx.store.delete_track(album.id, 4, None).await.unwrap();
    assert_eq!(
        fx.store.delete_track(album.id, 4, None).await,
        Err(StoreError::NotFound("track"))
    );
    // Every change counted: 3 + 3 adds, 4 deletes, on top of version 1.
    let after = fx.store.get_album(album.id, Viewer::Admin).await.unwrap();
    assert_eq!(after.album.version, 1 + 6 + 3);
}

#[tokio::test]
async fn track_fields_are_checked() {
    let fx = common::empty("track-checks").await;
    let artist = common::artist(&fx.store, "Ann").await;
    let song = common::composition(&fx.store, "Song", true, &[("P", 10_000)]).await;
    let album = draft(&fx.store, artist, "Checks").await;
    let add = |track| fx.store.add_track(album.id, track);
    assert_invalid(add(original(" ", 100)).await, "/title");
    assert_invalid(add(original("Silent", 0)).await, "/duration_s");
    assert_invalid(add(cover("Nothing", 100, song + 100)).await, "/cover_of");
    let changed_original = NewTrack {
        lyrics_changed: true,
        ..original("Mine", 100)
    };
    assert_invalid(add(changed_original).await, "/lyrics_changed");
    // Naming a composition makes a track a cover.
    let track = add(cover("Song", 100, song)).await.unwrap();
    assert!(track.is_cover && track.cover_of == Some(song));
    assert_eq!(track.license_status, None);
    assert_eq!(
        fx.store
            .add_track(album.id + 1, original("Lost", 100))
            .await,
        Err(StoreError::NotFound("album"))
    );
}

#[tokio::test]
async fn updating_a_track() {
    let fx = common::empty("track-update").await;
    let artist = common::artist(&fx.store, "Ann").await;
    let song = common::composition(&fx.store, "Song", true, &[("P", 10_000)]).await;
    let album = draft(&fx.store, artist, "Edits").await;
    fx.store
        .add_track(album.id, original("Song?", 100))
        .await
        .unwrap();
    let isrc = Isrc::parse("US-AN1-25-00001").unwrap();
    let updated = fx
        .store
        .update_track(
            album.id,
            1,
            2,
            TrackPatch {
                title: Some("Song".into()),
                duration_s: Some(301),
                isrc: Some(Some(isrc)),
                cover_of: Some(Some(song)),
                ..TrackPatch::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(updated.title, "Song");
    assert_eq!((updated.duration_s, updated.isrc), (301, Some(isrc)));
    assert!(updated.is_cover, "naming a composition makes it a cover");
    // A cover that names its composition cannot stop being a cover.
    let uncover = TrackPatch {
        is_cover: Some(false),
        ..TrackPatch::default()
    };
    assert_invalid(
        fx.store.update_track(album.id, 1, 3, uncover).await,
        "/is_cover",
    );
    let unname = TrackPatch {
        cover_of: Some(None),
        is_cover: Some(false),
        ..TrackPatch::default()
    };
    let plain = fx.store.update_track(album.id, 1, 3, unname).await.unwrap();
    assert!(!plain.is_cover && plain.cover_of.is_none());
    assert_eq!(
        fx.store
            .update_track(album.id, 2, 4, TrackPatch::default())
            .await,
        Err(StoreError::NotFound("track"))
    );
    let version = fx
        .store
        .get_album(album.id, Viewer::Admin)
        .await
        .unwrap()
        .album
        .version;
    assert_eq!(version, 1 + 1 + 2);
}

#[tokio::test]
async fn the_tracklist_freezes_at_submission() {
    let fx = common::empty("track-frozen").await;
    let artist = common::artist(&fx.store, "Ann").await;
    let album = live(&fx.store, artist, "Done", vec![original("One", 100)]).await;
    let version = fx
        .store
        .get_album(album.id, Viewer::Admin)
        .await
        .unwrap()
        .album
        .version;
    let frozen = StoreError::Conflict("the album has been submitted; its tracklist is frozen");
    assert_eq!(
        fx.store.add_track(album.id, original("Two", 100)).await,
        Err(frozen.clone())
    );
    assert_eq!(
        fx.store
            .update_track(album.id, 1, version, TrackPatch::default())
            .await,
        Err(frozen.clone())
    );
    assert_eq!(
        fx.store.delete_track(album.id, 1, Some(version)).await,
        Err(frozen)
    );
}

#[tokio::test]
async fn track_writes_need_the_albums_current_version() {
    let fx = common::empty("track-versions").await;
    let artist = common::artist(&fx.store, "Ann").await;
    let album = draft(&fx.store, artist, "Guarded").await;
    for title in ["One", "Two"] {
        fx.store
            .add_track(album.id, original(title, 100))
            .await
            .unwrap();
    }
    // Created at 1, two adds: 3. Every stale write names the version now.
    let stale = StoreError::VersionMismatch { current: 3 };
    let retitle = || TrackPatch {
        title: Some("Renamed".into()),
        ..TrackPatch::default()
    };
    assert_eq!(
        fx.store.update_track(album.id, 1, 2, retitle()).await,
        Err(stale.clone())
    );
    // The version is checked before the patch's own rules.
    let bad = TrackPatch {
        duration_s: Some(0),
        ..TrackPatch::default()
    };
    assert_eq!(
        fx.store.update_track(album.id, 1, 2, bad).await,
        Err(stale.clone())
    );
    assert_eq!(
        fx.store.delete_track(album.id, 2, Some(2)).await,
        Err(stale.clone())
    );
    assert_eq!(
        titles(&fx.store, album.id).await,
        numbered(&[(1, "One"), (2, "Two")])
    );
    // The current version writes, and moves on.
    let renamed = fx.store.update_track(album.id, 1, 3, retitle()).await;
    assert_eq!(renamed.map(|t| t.title), Ok("Renamed".to_owned()));
    fx.store.delete_track(album.id, 2, Some(4)).await.unwrap();
    assert_eq!(
        titles(&fx.store, album.id).await,
        numbered(&[(1, "Renamed")])
    );
    let after = fx.store.get_album(album.id, Viewer::Admin).await.unwrap();
    assert_eq!(after.album.version, 5);
    // A stale version on a submitted album is stale first, frozen second.
    let done = live(&fx.store, artist, "Done", vec![original("One", 100)]).await;
    let current = fx.store.get_album(done.id, Viewer::Admin).await.unwrap();
    let current = current.album.version;
    assert_eq!(
        fx.store
            .update_track(done.id, 1, current - 1, retitle())
            .await,
        Err(StoreError::VersionMismatch { current })
    );
}
