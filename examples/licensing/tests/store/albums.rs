//! Albums: create, update under versions, delete, list with visibility,
//! search, sort and pages.

use licensing::domain::ids::Upc;
use licensing::store::{
    AlbumPatch, AlbumQuery, AlbumSort, AlbumStatus, NewAlbum, NewTrack, Store, StoreError,
    TrackPatch, Viewer,
};
use time::macros::date;

use crate::common::{self, assert_invalid, cover, draft, live, original, visible_titles};

#[tokio::test]
async fn create_starts_a_draft_at_version_one() {
    let fx = common::empty("create").await;
    let artist = common::artist(&fx.store, "Ann").await;
    let upc = Upc::parse("036000291452").unwrap();
    let album = fx
        .store
        .create_album(NewAlbum {
            artist_id: artist,
            title: "First".into(),
            release_date: Some(date!(2025 - 01 - 31)),
            upc: Some(upc),
            price_cents: 1299,
            ..NewAlbum::default()
        })
        .await
        .unwrap();
    assert_eq!(album.status, AlbumStatus::Draft);
    assert_eq!(album.version, 1);
    assert_eq!(album.artist_name, "Ann");
    assert_eq!(album.upc, Some(upc));
    assert_eq!(album.release_date, Some(date!(2025 - 01 - 31)));
    let detail = fx
        .store
        .get_album(album.id, Viewer::Artist(artist))
        .await
        .unwrap();
    assert_eq!(detail.album, album);
    assert_eq!(detail.artist.name, "Ann");
    assert!(detail.tracks.is_empty() && detail.licenses.is_empty());
    assert_eq!(detail.units_sold, 0);
}

#[tokio::test]
async fn create_rejects_a_blank_title_and_an_unknown_artist() {
    let fx = common::empty("create-bad").await;
    let artist = common::artist(&fx.store, "Ann").await;
    let new = |artist_id, title: &str| NewAlbum {
        artist_id,
        title: title.into(),
        ..NewAlbum::default()
    };
    assert_invalid(fx.store.create_album(new(artist, "  ")).await, "/title");
    assert_invalid(
        fx.store.create_album(new(artist + 99, "X")).await,
        "/artist_id",
    );
}

#[tokio::test]
async fn updates_need_the_current_version() {
    let fx = common::empty("update").await;
    let artist = common::artist(&fx.store, "Ann").await;
    let album = draft(&fx.store, artist, "Working Title").await;
    let patch = |title: &str| AlbumPatch {
        title: Some(title.into()),
        ..AlbumPatch::default()
    };
    let updated = fx
        .store
        .update_album(album.id, 1, patch("Final"))
        .await
        .unwrap();
    assert_eq!((updated.title.as_str(), updated.version), ("Final", 2));
    // A stale version is refused and says what is current.
    assert_eq!(
        fx.store.update_album(album.id, 1, patch("Stale")).await,
        Err(StoreError::VersionMismatch { current: 2 })
    );
    assert_eq!(
        fx.store
            .update_album(album.id + 1, 1, patch("Nobody"))
            .await,
        Err(StoreError::NotFound("album"))
    );
    assert_invalid(
        fx.store.update_album(album.id, 2, patch("")).await,
        "/title",
    );
    // A patch that changes nothing keeps the version.
    let same = fx
        .store
        .update_album(album.id, 2, patch("Final"))
        .await
        .unwrap();
    assert_eq!(same.version, 2);
    // Fields can be set and cleared.
    let set = fx
        .store
        .update_album(
            album.id,
            2,
            AlbumPatch {
                release_date: Some(Some(date!(2026 - 02 - 01))),
                price_cents: Some(500),
                bandcamp_url: Some(Some("https://ann.bandcamp.com/album/final".into())),
                ..AlbumPatch::default()
            },
        )
        .await
        .unwrap();
    assert_eq!((set.price_cents, set.version), (500, 3));
    assert_eq!(set.release_date, Some(date!(2026 - 02 - 01)));
    let cleared = fx
        .store
        .update_album(
            album.id,
            3,
            AlbumPatch {
                bandcamp_url: Some(None),
                ..AlbumPatch::default()
            },
        )
        .await
        .unwrap();
    assert_eq!((cleared.bandcamp_url, cleared.version), (None, 4));
    assert_eq!(cleared.release_date, Some(date!(2026 - 02 - 01)));
}

#[tokio::test]
async fn only_drafts_are_deleted() {
    let fx = common::empty("delete").await;
    let artist = common::artist(&fx.store, "Ann").await;
    let album = draft(&fx.store, artist, "Gone Soon").await;
    fx.store
        .add_track(album.id, original("One", 100))
        .await
        .unwrap();
    fx.store.delete_album(album.id, None).await.unwrap();
    assert_eq!(
        fx.store.get_album(album.id, Viewer::Admin).await,
        Err(StoreError::NotFound("album"))
    );
    assert_eq!(
        fx.store.delete_album(album.id, None).await,
        Err(StoreError::NotFound("album"))
    );
    // With a version, only if it is still current; stale is checked first.
    let kept = draft(&fx.store, artist, "Kept").await;
    assert_eq!(
        fx.store.delete_album(kept.id, Some(kept.version + 1)).await,
        Err(StoreError::VersionMismatch {
            current: kept.version
        })
    );
    assert!(fx.store.get_album(kept.id, Viewer::Admin).await.is_ok());
    fx.store
        .delete_album(kept.id, Some(kept.version))
        .await
        .unwrap();
    assert_eq!(
        fx.store.get_album(kept.id, Viewer::Admin).await,
        Err(StoreError::NotFound("album"))
    );
    let on_sale = live(
        &fx.store,
        artist,
        "Here to Stay",
        vec![original("One", 100)],
    )
    .await;
    assert_eq!(
        fx.store.delete_album(on_sale.id, None).await,
        Err(StoreError::Conflict("only draft albums can be deleted"))
    );
    // The kept album counts (listing totals) equal a recount.
    let check = fx.store.verify_totals().await.unwrap();
    assert!(check.is_sound(), "{:?}", check.mismatches);
}

#[tokio::test]
async fn drafts_are_visible_to_their_artist_and_admins_only() {
    let fx = common::empty("visibility").await;
    let ann = common::artist(&fx.store, "Ann").await;
    let bob = common::artist(&fx.store, "Bob").await;
    let ann_draft = draft(&fx.store, ann, "Ann Draft").await;
    live(&fx.store, ann, "Ann Live", vec![original("One", 100)]).await;
    let bob_submitted = draft(&fx.store, bob, "Bob Submitted").await;
    fx.store
        .add_track(bob_submitted.id, original("One", 100))
        .await
        .unwrap();
    fx.store
        .submit_album(bob_submitted.id, common::TODAY)
        .await
        .unwrap();

    assert_eq!(
        visible_titles(&fx.store, Viewer::Public).await,
        ["Ann Live"]
    );
    assert_eq!(
        visible_titles(&fx.store, Viewer::Artist(ann)).await,
        ["Ann Draft", "Ann Live"]
    );
    assert_eq!(
        visible_titles(&fx.store, Viewer::Artist(bob)).await,
        ["Ann Live", "Bob Submitted"]
    );
    assert_eq!(
        visible_titles(&fx.store, Viewer::Admin).await,
        ["Ann Draft", "Ann Live", "Bob Submitted"]
    );
    for viewer in [Viewer::Public, Viewer::Artist(bob)] {
        assert_eq!(
            fx.store.get_album(ann_draft.id, viewer).await,
            Err(StoreError::NotFound("album"))
        );
    }
    fx.store
        .get_album(ann_draft.id, Viewer::Artist(ann))
        .await
        .unwrap();
    fx.store
        .get_album(ann_draft.id, Viewer::Admin)
        .await
        .unwrap();

    let titles = |albums: Vec<licensing::store::Album>| -> Vec<String> {
        albums.into_iter().map(|a| a.title).collect()
    };
    let public = fx
        .store
        .list_artist_albums(ann, 1, 20, None, Viewer::Public)
        .await
        .unwrap();
    assert_eq!(public.total, 1);
    assert_eq!(titles(public.items), ["Ann Live"]);
    let own = fx
        .store
        .list_artist_albums(ann, 1, 20, None, Viewer::Artist(ann))
        .await
        .unwrap();
    assert_eq!(own.total, 2);
    assert_eq!(titles(own.items), ["Ann Draft", "Ann Live"]);
    let second = fx
        .store
        .list_artist_albums(ann, 2, 1, None, Viewer::Artist(ann))
        .await
        .unwrap();
    assert_eq!(
        (second.total, titles(second.items)),
        (2, vec!["Ann Live".to_owned()])
    );
    assert_eq!(
        fx.store
            .list_artist_albums(ann + bob, 1, 20, None, Viewer::Admin)
            .await,
        Err(StoreError::NotFound("artist"))
    );
    // The kept album counts (listing totals) equal a recount.
    let check = fx.store.verify_totals().await.unwrap();
    assert!(check.is_sound(), "{:?}", check.mismatches);
}

#[tokio::test]
async fn album_pages_come_in_the_order_asked_with_what_the_viewer_may_see() {
    let fx = common::empty("pages").await;
    let ann = common::artist(&fx.store, "Ann").await;
    let comp = common::composition(&fx.store, "Standard", true, &[("P", 10_000)]).await;
    let first = live(&fx.store, ann, "First", vec![cover("Std", 180, comp)]).await;
    let second = live(&fx.store, ann, "Second", vec![original("Own", 200)]).await;
    let hidden = draft(&fx.store, ann, "Hidden").await;
    let gone = draft(&fx.store, ann, "Gone").await;
    fx.store.delete_album(gone.id, None).await.unwrap();
    // One page read through the cache (on engines that keep one), the
    // others not: both halves of a batch agree.
    let cached = fx.store.get_album(second.id, Viewer::Public).await.unwrap();

    let ids = vec![second.id, hidden.id, gone.id, first.id];
    let public = fx
        .store
        .album_pages(ids.clone(), Viewer::Public)
        .await
        .unwrap();
    let titles: Vec<&str> = public.iter().map(|p| p.album.title.as_str()).collect();
    assert_eq!(titles, ["Second", "First"]);
    assert_eq!(public[0], cached);
    assert_eq!(
        *public[1],
        *fx.store.get_album(first.id, Viewer::Public).await.unwrap()
    );
    assert_eq!(public[1].covered.len(), 1);

    let own = fx
        .store
        .album_pages(ids, Viewer::Artist(ann))
        .await
        .unwrap();
    let titles: Vec<&str> = own.iter().map(|p| p.album.title.as_str()).collect();
    assert_eq!(titles, ["Second", "Hidden", "First"]);
    assert!(
        fx.store
            .album_pages(Vec::new(), Viewer::Admin)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn search_sort_and_pages() {
    let fx = common::empty("list").await;
    let ann = common::artist(&fx.store, "Ann").await;
    let bob = common::artist(&fx.store, "Bob").await;
    for (artist, title, day, track) in [
        (ann, "b-side", date!(2024 - 05 - 01), "Ocean Road"),
        (ann, "Apples", date!(2025 - 01 - 01), "Orchard"),
        (bob, "Cedar", date!(2023 - 07 - 09), "100% Cotton"),
        (bob, "Dusk", date!(2026 - 02 - 02), "Ocean Floor"),
    ] {
        let album = live(&fx.store, artist, title, vec![original(track, 200)]).await;
        fx.store
            .update_album(
                album.id,
                album.version,
                AlbumPatch {
                    release_date: Some(Some(day)),
                    ..AlbumPatch::default()
                },
            )
            .await
            .unwrap();
    }
    live(&fx.store, bob, "Undated", vec![original("Z", 200)]).await;
    let list = |query: AlbumQuery| async {
        let page = fx.store.list_albums(query, Viewer::Public).await.unwrap();
        let titles: Vec<String> = page.items.into_iter().map(|a| a.title).collect();
        (titles, page.total)
    };
    let sorted = |sort| AlbumQuery {
        sort,
        ..AlbumQuery::default()
    };
    // Titles sort case-insensitively; undated albums sort last both ways.
    assert_eq!(
        list(sorted(AlbumSort::Title)).await.0,
        ["Apples", "b-side", "Cedar", "Dusk", "Undated"]
    );
    assert_eq!(
        list(sorted(AlbumSort::ReleaseDate)).await.0,
        ["Cedar", "b-side", "Apples", "Dusk", "Undated"]
    );
    assert_eq!(
        list(sorted(AlbumSort::ReleaseDateDesc)).await.0,
        ["Dusk", "Apples", "b-side", "Cedar", "Undated"]
    );
    // `q` searches album and track titles, case-insensitively, literally.
    let search = |q: &str| AlbumQuery {
        q: Some(q.into()),
        ..AlbumQuery::default()
    };
    assert_eq!(
        list(search("ocean")).await,
        (vec!["b-side".into(), "Dusk".into()], 2)
    );
    assert_eq!(list(search("APPLE")).await.0, ["Apples"]);
    // An artist's view (two arms) and an admin's search alike.
    for viewer in [Viewer::Artist(ann), Viewer::Admin] {
        let page = fx.store.list_albums(search("ocean"), viewer).await.unwrap();
        let titles: Vec<String> = page.items.into_iter().map(|a| a.title).collect();
        assert_eq!(
            (titles, page.total),
            (vec!["b-side".into(), "Dusk".into()], 2)
        );
    }
    assert_eq!(list(search("100%")).await.0, ["Cedar"]);
    // Three characters at least: shorter would read every album.
    for short in ["%", "ab", " ab "] {
        assert_invalid(
            fx.store.list_albums(search(short), Viewer::Public).await,
            "/q",
        );
    }
    // FTS5 operators and quotes are text like any other.
    assert_eq!(list(search("\"AND\" OR")).await, (vec![], 0));
    assert_eq!(list(search("nothing like it")).await, (vec![], 0));
    // Pages: the total counts every match.
    let page = |page, per_page| AlbumQuery {
        page,
        per_page,
        ..AlbumQuery::default()
    };
    assert_eq!(
        list(page(1, 2)).await,
        (vec!["Apples".into(), "b-side".into()], 5)
    );
    assert_eq!(list(page(3, 2)).await, (vec!["Undated".into()], 5));
    assert_eq!(list(page(4, 2)).await, (vec![], 5));
    let by_artist = AlbumQuery {
        artist_id: Some(ann),
        ..AlbumQuery::default()
    };
    assert_eq!(list(by_artist).await.1, 2);
    for (query, field) in [
        (page(0, 10), "/page"),
        (page(1, 0), "/per_page"),
        (page(1, 101), "/per_page"),
    ] {
        assert_invalid(fx.store.list_albums(query, Viewer::Public).await, field);
    }
    assert_eq!(list(page(1, 100)).await.1, 5);
    // By number, as deep as MAX_OFFSET albums; deeper, by key only.
    assert_eq!(list(page(101, 100)).await, (vec![], 5));
    assert_invalid(
        fx.store.list_albums(page(102, 100), Viewer::Public).await,
        "/page",
    );
    // Following each page's `next` key reads every album once, in order,
    // and a key that is not one is refused.
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let query = AlbumQuery {
            per_page: 2,
            after,
            ..AlbumQuery::default()
        };
        let page = fx.store.list_albums(query, Viewer::Public).await.unwrap();
        assert_eq!(page.total, 5);
        seen.extend(page.items.into_iter().map(|a| a.title));
        after = page.next;
        if after.is_none() {
            break;
        }
    }
    assert_eq!(seen, ["Apples", "b-side", "Cedar", "Dusk", "Undated"]);
    let forged = AlbumQuery {
        after: Some("not a key".into()),
        ..AlbumQuery::default()
    };
    assert_invalid(fx.store.list_albums(forged, Viewer::Public).await, "/after");
}

#[tokio::test]
async fn artists_are_found_and_checked() {
    let fx = common::empty("artists").await;
    let ann = common::artist(&fx.store, "Ann").await;
    let artist = fx.store.get_artist(ann).await.unwrap();
    assert_eq!(
        (artist.name.as_str(), artist.email.as_str()),
        ("Ann", "ann@example.com")
    );
    assert_eq!(
        fx.store.get_artist(ann + 1).await,
        Err(StoreError::NotFound("artist"))
    );
    let blank = licensing::store::NewArtist {
        name: "Nameless".into(),
        ..Default::default()
    };
    assert_invalid(fx.store.create_artist(blank).await, "/email");
}

/// Both engines order and search titles as SQLite's `NOCASE` and `LIKE`
/// do: ASCII letters fold case, other characters compare by code point
/// (so "Émile" sorts after "Zed", and "é" does not match "É").
#[tokio::test]
async fn titles_fold_ascii_case_only() {
    let fx = common::empty("nocase").await;
    let ann = common::artist(&fx.store, "Ann").await;
    for title in ["émile", "Zed", "Émile", "eagle", "Apple", "apple"] {
        live(&fx.store, ann, title, vec![original("One", 100)]).await;
    }
    assert_eq!(
        visible_titles(&fx.store, Viewer::Public).await,
        ["Apple", "apple", "eagle", "Zed", "Émile", "émile"]
    );
    let search = |q: &str| {
        let query = AlbumQuery {
            q: Some(q.into()),
            ..AlbumQuery::default()
        };
        fx.store.list_albums(query, Viewer::Public)
    };
    let titles = |page: licensing::store::Page<licensing::store::Album>| -> Vec<String> {
        page.items.into_iter().map(|a| a.title).collect()
    };
    assert_eq!(titles(search("MILE").await.unwrap()), ["Émile", "émile"]);
    assert_eq!(titles(search("émile").await.unwrap()), ["émile"]);
    assert_eq!(titles(search("APPLE").await.unwrap()), ["Apple", "apple"]);
}

/// A search finds an album by its tracks' titles as they are now: added,
/// inserted before others (which renumbers them), renamed, deleted.
#[tokio::test]
async fn search_follows_every_track_edit() {
    let fx = common::empty("search-tracks").await;
    let ann = common::artist(&fx.store, "Ann").await;
    let album = draft(&fx.store, ann, "Working Title").await;
    let found = |q: &'static str| {
        let store = &fx.store;
        async move {
            let query = AlbumQuery {
                q: Some(q.into()),
                ..AlbumQuery::default()
            };
            store.list_albums(query, Viewer::Admin).await.unwrap().total
        }
    };
    let add = |title: &str, number: Option<u32>| NewTrack {
        number,
        ..original(title, 100)
    };
    fx.store
        .add_track(album.id, add("Lighthouse", None))
        .await
        .unwrap();
    fx.store
        .add_track(album.id, add("Harbour", None))
        .await
        .unwrap();
    // Inserted first: the others move to 2 and 3.
    fx.store
        .add_track(album.id, add("Tidewater", Some(1)))
        .await
        .unwrap();
    assert_eq!(
        (found("lighthouse").await, found("tidewater").await),
        (1, 1)
    );
    let version = fx
        .store
        .get_album(album.id, Viewer::Admin)
        .await
        .unwrap()
        .album
        .version;
    let rename = TrackPatch {
        title: Some("Breakwater".into()),
        ..TrackPatch::default()
    };
    fx.store
        .update_track(album.id, 2, version, rename)
        .await
        .unwrap();
    assert_eq!(
        (found("lighthouse").await, found("breakwater").await),
        (0, 1)
    );
    // Deleting the first moves the others up; each title still found once.
    fx.store.delete_track(album.id, 1, None).await.unwrap();
    assert_eq!(found("tidewater").await, 0);
    assert_eq!((found("breakwater").await, found("harbour").await), (1, 1));
    assert_eq!(found("working").await, 1);
    fx.store.delete_album(album.id, None).await.unwrap();
    assert_eq!((found("working").await, found("harbour").await), (0, 0));
}
