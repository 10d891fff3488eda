//! Submit, activate, publish: the compulsory-license rules.

use licensing::store::{
    AlbumStatus, LicenseRoute, LicenseStatus, NewTrack, Store, StoreError, Viewer,
};
use time::macros::date;

use crate::common::{self, cover, draft, original};

#[tokio::test]
async fn submitting_licenses_each_cover_by_its_route() {
    let fx = common::empty("submit").await;
    let artist = common::artist(&fx.store, "Ann").await;
    let released = common::composition(&fx.store, "Standard", true, &[("P", 10_000)]).await;
    let unreleased = common::composition(&fx.store, "Demo Tape", false, &[("P", 10_000)]).await;
    let album = draft(&fx.store, artist, "Covers").await;
    let changed = NewTrack {
        lyrics_changed: true,
        ..cover("Standard (New Words)", 200, released)
    };
    for track in [
        cover("Standard", 200, released),
        original("Mine", 180),
        changed,
        cover("Demo Tape", 240, unreleased),
    ] {
        fx.store.add_track(album.id, track).await.unwrap();
    }
    let today = date!(2026 - 03 - 02);
    let detail = fx.store.submit_album(album.id, today).await.unwrap();
    assert_eq!(detail.album.status, AlbumStatus::Submitted);
    assert_eq!(detail.album.version, 1 + 4 + 1);
    let summary: Vec<_> = detail
        .licenses
        .iter()
        .map(|l| {
            (
                l.track_number,
                l.composition_id,
                l.route,
                l.status,
                l.rate_year,
                l.notice_date,
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                1,
                released,
                LicenseRoute::Noi,
                LicenseStatus::NoticeSent,
                Some(2026),
                Some(today)
            ),
            (
                3,
                released,
                LicenseRoute::Noi,
                LicenseStatus::NeedsNegotiation,
                None,
                None
            ),
            (
                4,
                unreleased,
                LicenseRoute::Noi,
                LicenseStatus::NeedsNegotiation,
                None,
                None
            ),
        ]
    );
    // Each track shows its license's state; originals have none.
    let states: Vec<_> = detail.tracks.iter().map(|t| t.license_status).collect();
    assert_eq!(
        states,
        [
            Some(LicenseStatus::NoticeSent),
            None,
            Some(LicenseStatus::NeedsNegotiation),
            Some(LicenseStatus::NeedsNegotiation),
        ]
    );
    // The page as readers get it is the page the submission returned
    // (PostgreSQL reads it with one statement, writes with several).
    let page = fx.store.get_album(album.id, Viewer::Admin).await.unwrap();
    assert_eq!(*page, detail);
    let covered: Vec<i64> = page.covered.iter().map(|c| c.id).collect();
    assert_eq!(covered, [released, unreleased]);
    assert_eq!(
        fx.store.submit_album(album.id, today).await,
        Err(StoreError::Conflict("only a draft can be submitted"))
    );
}

#[tokio::test]
async fn a_cover_must_name_its_composition() {
    let fx = common::empty("submit-missing").await;
    let artist = common::artist(&fx.store, "Ann").await;
    let song = common::composition(&fx.store, "Song", true, &[("P", 10_000)]).await;
    let album = draft(&fx.store, artist, "Unnamed").await;
    fx.store
        .add_track(album.id, cover("Song", 200, song))
        .await
        .unwrap();
    let unnamed = NewTrack {
        is_cover: true,
        ..original("Some Old Song", 200)
    };
    fx.store.add_track(album.id, unnamed).await.unwrap();
    assert_eq!(
        fx.store.submit_album(album.id, common::TODAY).await,
        Err(StoreError::Conflict(
            "every cover must name the composition it covers"
        ))
    );
    // Nothing happened: still a draft, no license for the named cover.
    let after = fx.store.get_album(album.id, Viewer::Admin).await.unwrap();
    assert_eq!(after.album.status, AlbumStatus::Draft);
    assert_eq!(after.album.version, album.version + 2);
    assert!(after.licenses.is_empty());
    // An empty album cannot be submitted; a missing one is not found.
    let empty = draft(&fx.store, artist, "Empty").await;
    assert_eq!(
        fx.store.submit_album(empty.id, common::TODAY).await,
        Err(StoreError::Conflict(
            "an album needs a track to be submitted"
        ))
    );
    assert_eq!(
        fx.store.submit_album(empty.id + 1, common::TODAY).await,
        Err(StoreError::NotFound("album"))
    );
}

#[tokio::test]
async fn publishing_waits_for_every_license() {
    let fx = common::empty("publish").await;
    let artist = common::artist(&fx.store, "Ann").await;
    let song = common::composition(&fx.store, "Song", true, &[("P", 10_000)]).await;
    let secret = common::composition(&fx.store, "Secret", false, &[("P", 10_000)]).await;
    let album = draft(&fx.store, artist, "Waiting").await;
    fx.store
        .add_track(album.id, cover("Song", 200, song))
        .await
        .unwrap();
    fx.store
        .add_track(album.id, cover("Secret", 200, secret))
        .await
        .unwrap();
    assert_eq!(
        fx.store.publish_album(album.id).await,
        Err(StoreError::Conflict(
            "only a submitted album can be published"
        ))
    );
    let detail = fx
        .store
        .submit_album(album.id, common::TODAY)
        .await
        .unwrap();
    let not_yet = Err(StoreError::Conflict(
        "every license must be active before the album is published",
    ));
    assert_eq!(fx.store.publish_album(album.id).await, not_yet);
    let noi = fx
        .store
        .activate_license(detail.licenses[0].id)
        .await
        .unwrap();
    assert_eq!(noi.status, LicenseStatus::Active);
    assert_eq!(noi.notice_date, Some(common::TODAY));
    assert_eq!(fx.store.publish_album(album.id).await, not_yet);
    // The negotiated license, once signed, is activated by an admin too.
    fx.store
        .activate_license(detail.licenses[1].id)
        .await
        .unwrap();
    assert_eq!(
        fx.store.activate_license(detail.licenses[1].id).await,
        Err(StoreError::Conflict("the license is already active"))
    );
    assert_eq!(
        fx.store.activate_license(detail.licenses[1].id + 100).await,
        Err(StoreError::NotFound("license"))
    );
    let live = fx.store.publish_album(album.id).await.unwrap();
    assert_eq!(live.status, AlbumStatus::Live);
    // Submit (1), two activations (2), publish (1) on top of the draft's 3.
    assert_eq!(live.version, 3 + 1 + 2 + 1);
    assert_eq!(
        fx.store.publish_album(album.id).await,
        Err(StoreError::Conflict(
            "only a submitted album can be published"
        ))
    );
    let page = fx.store.get_album(album.id, Viewer::Public).await.unwrap();
    assert!(
        page.tracks
            .iter()
            .all(|t| t.license_status == Some(LicenseStatus::Active))
    );
}

#[tokio::test]
async fn an_album_without_covers_needs_no_license() {
    let fx = common::empty("no-covers").await;
    let artist = common::artist(&fx.store, "Ann").await;
    let album = draft(&fx.store, artist, "All Mine").await;
    fx.store
        .add_track(album.id, original("Mine", 200))
        .await
        .unwrap();
    let detail = fx
        .store
        .submit_album(album.id, common::TODAY)
        .await
        .unwrap();
    assert!(detail.licenses.is_empty());
    assert_eq!(
        fx.store.publish_album(album.id).await.unwrap().status,
        AlbumStatus::Live
    );
}
