//! The demo seed: what a first run finds, and the tokens to log in with.

use licensing::domain::statement::SalesMonth;
use licensing::store::{AlbumStatus, LicenseStatus, Role, Store, TOKENS_FILE, Viewer, read_tokens};

use crate::common::{self, visible_titles};

#[tokio::test]
async fn a_new_database_is_seeded_once() {
    let fx = common::seeded("seed").await;
    let tokens = read_tokens(fx.dir.path()).unwrap();
    let roles: Vec<_> = tokens
        .iter()
        .map(|t| (t.role, t.artist_id.is_some()))
        .collect();
    assert_eq!(
        roles,
        [
            (Role::Admin, false),
            (Role::Artist, true),
            (Role::Artist, true)
        ]
    );
    for issued in &tokens {
        let account = fx
            .store
            .authenticate(issued.token.clone())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (account.role, account.artist_id),
            (issued.role, issued.artist_id)
        );
        if let Some(artist_id) = issued.artist_id {
            assert_eq!(
                fx.store.get_artist(artist_id).await.unwrap().name,
                issued.name
            );
        }
    }
    assert_eq!(
        fx.store.authenticate("lic_nope".into()).await.unwrap(),
        None
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(fx.dir.path().join(TOKENS_FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // The file's shape is what `licensing tokens` prints.
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(fx.dir.path().join(TOKENS_FILE)).unwrap()).unwrap();
    assert_eq!(json[0]["artist_id"], serde_json::Value::Null);
    assert_eq!(json[0]["role"], "admin");
    assert_eq!(json[1]["role"], "artist");
    assert!(json[1]["token"].as_str().unwrap().starts_with("lic_"));

    // The public sees the two live albums; admins also the draft and the
    // submission waiting on negotiations.
    assert_eq!(
        visible_titles(&fx.store, Viewer::Public).await,
        ["Borrowed Light", "Old Songs, New Rooms"]
    );
    let all = fx
        .store
        .list_albums(Default::default(), Viewer::Admin)
        .await
        .unwrap();
    assert_eq!(all.total, 4);
    let waiting = all
        .items
        .iter()
        .find(|a| a.title == "Changed Words")
        .unwrap();
    assert_eq!(waiting.status, AlbumStatus::Submitted);
    let detail = fx.store.get_album(waiting.id, Viewer::Admin).await.unwrap();
    assert!(
        detail
            .licenses
            .iter()
            .all(|l| l.status == LicenseStatus::NeedsNegotiation)
    );

    // Opening again migrates nothing and seeds nothing.
    let again = fx.open_another(true).await;
    assert_eq!(read_tokens(fx.dir.path()).unwrap(), tokens);
    let all_again = again
        .list_albums(Default::default(), Viewer::Admin)
        .await
        .unwrap();
    assert_eq!(all_again.total, 4);
    common::assert_sound(&again).await;
}

#[tokio::test]
async fn tokens_differ_per_database() {
    let (one, two) = (
        common::seeded("tokens-a").await,
        common::seeded("tokens-b").await,
    );
    let (a, b) = (
        read_tokens(one.dir.path()).unwrap(),
        read_tokens(two.dir.path()).unwrap(),
    );
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.name, y.name);
        assert_ne!(x.token, y.token);
    }
    // A token of one database means nothing to the other.
    assert_eq!(
        two.store.authenticate(a[0].token.clone()).await.unwrap(),
        None
    );
    // An unseeded database has no tokens file.
    let empty = common::empty("tokens-none").await;
    assert!(read_tokens(empty.dir.path()).is_err());
}

#[tokio::test]
async fn the_seeded_statement_adds_up() {
    let fx = common::seeded("seed-statement").await;
    let album = fx
        .store
        .list_albums(Default::default(), Viewer::Public)
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|a| a.title == "Borrowed Light")
        .unwrap();
    let month = SalesMonth::parse("2024-10").unwrap();
    let s = fx
        .store
        .royalty_statement(album.id, month, common::TODAY)
        .await
        .unwrap();
    // 42 whole albums. Hallelujah 4:39 → 12.40¢ × (50 + 42) = 1140.80¢ → 1141.
    // Jolene 2:41 → 12.40¢ × (20 + 42) = 768.80¢ → 769.
    // Landslide 5:01 → 14.34¢ × (7 + 42) = 702.66¢; 75% = 526.995 → 527,
    //   25% = 175.665 → 176.
    let lines: Vec<_> = s
        .lines
        .iter()
        .map(|l| (l.publisher.as_str(), l.units, l.amount_cents))
        .collect();
    assert_eq!(
        lines,
        [
            ("Harbor Lane Music", 92, 1141),
            ("Red Barn Publishing", 62, 769),
            ("Copperfield Songs", 49, 527),
            ("Harbor Lane Music", 49, 176),
        ]
    );
    assert_eq!(s.total_cents, 2613);
    assert!(s.late);
}
