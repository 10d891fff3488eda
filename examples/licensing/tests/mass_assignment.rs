//! The owner cannot write what is not theirs to write: status, sales,
//! ids, the artist, licenses. Each attempt is refused whole (422
//! `read_only` or 403) and the album is unchanged; a good PATCH with the
//! current `If-Match` succeeds with a new `ETag`; stale is 412, none 428.

mod common;

use http::StatusCode;
use serde_json::{Value, json};

use common::Seeded;

async fn admin_view(s: &Seeded, id: i64) -> (Value, String) {
    let r = s
        .client
        .get(format!("/api/albums/{id}?fields=*"))
        .bearer(&s.tokens.admin)
        .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text());
    (
        r.json::<Value>(),
        r.header("etag").expect("an ETag").to_owned(),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn read_only_fields_are_refused_and_nothing_changes() {
    let s = Seeded::start("mass").await;
    let id = s.albums.borrowed_light;
    let path = format!("/api/albums/{id}");
    let other = s.tokens.harbors_id;
    let attempts = [
        json!({"status": "draft"}),
        json!({"units_sold": 1_000_000}),
        json!({"revenue_cents": 1}),
        json!({"id": 999}),
        json!({"artist": {"id": other}}),
        json!({"artist": other}),
        json!({"licenses": []}),
        json!({"licenses": [{"id": 1, "status": "pending"}]}),
        json!({"links": {"self": "/api/albums/2"}}),
        json!({"tracks": []}),
        // A good field does not carry a bad one through.
        json!({"title": "Sneaky", "units_sold": 5}),
        json!({"title": "Sneaky", "status": "live"}),
    ];
    for patch in attempts {
        let (before, etag) = admin_view(&s, id).await;
        let r = s
            .client
            .patch(&path)
            .bearer(&s.tokens.maren)
            .if_match(&etag)
            .merge_patch(&patch)
            .await;
        assert!(
            r.status() == StatusCode::UNPROCESSABLE_ENTITY || r.status() == StatusCode::FORBIDDEN,
            "{patch}: {} {}",
            r.status(),
            r.text()
        );
        let problem = r.json::<Value>();
        if r.status() == StatusCode::UNPROCESSABLE_ENTITY {
            let codes: Vec<&str> = problem["errors"]
                .as_array()
                .expect("errors")
                .iter()
                .map(|e| e["code"].as_str().expect("a code"))
                .collect();
            assert!(
                codes.iter().all(|c| *c == "read_only" || *c == "unknown"),
                "{patch}: {problem}"
            );
        }
        let (after, etag_after) = admin_view(&s, id).await;
        assert_eq!(after, before, "{patch} changed the album");
        assert_eq!(etag_after, etag, "{patch} changed the version");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_good_patch_needs_the_current_etag() {
    let s = Seeded::start("mass-etag").await;
    let id = s.albums.borrowed_light;
    let path = format!("/api/albums/{id}");
    let (before, etag) = admin_view(&s, id).await;
    // The version, and a hash of the representation read.
    assert!(etag.starts_with("\"v10."), "{etag}");

    // No If-Match: 428, nothing changes.
    let r = s
        .client
        .patch(&path)
        .bearer(&s.tokens.maren)
        .merge_patch(&json!({"title": "X"}))
        .await;
    assert_eq!(
        r.status(),
        StatusCode::PRECONDITION_REQUIRED,
        "{}",
        r.text()
    );
    assert_eq!(admin_view(&s, id).await.0, before);
    // A stale one: 412.
    let r = s
        .client
        .patch(&path)
        .bearer(&s.tokens.maren)
        .if_match("\"v9\"")
        .merge_patch(&json!({"title": "X"}))
        .await;
    assert_eq!(r.status(), StatusCode::PRECONDITION_FAILED, "{}", r.text());
    assert_eq!(admin_view(&s, id).await.0, before);
    // Not a merge patch (XML): 415.
    let r = s
        .client
        .request(http::Method::PATCH, &path)
        .bearer(&s.tokens.maren)
        .header("if-match", &etag)
        .body("application/xml", "<album><title>X</title></album>")
        .await;
    assert_eq!(
        r.status(),
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "{}",
        r.text()
    );
    assert_eq!(admin_view(&s, id).await.0, before);

    // The right one.
    let r = s
        .client
        .patch(&path)
        .bearer(&s.tokens.maren)
        .if_match(&etag)
        .merge_patch(&json!({
            "title": "Borrowed Light (Deluxe)",
            "price_cents": 1299,
            "links": {"spotify": "https://open.spotify.com/album/deluxe"}
        }))
        .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text());
    assert!(
        r.header("etag").unwrap().starts_with("\"v11."),
        "{:?}",
        r.header("etag")
    );
    let album = r.json::<Value>();
    assert_eq!(album["title"], "Borrowed Light (Deluxe)");
    assert_eq!(album["price_cents"], 1299);
    let (after, etag_after) = admin_view(&s, id).await;
    assert!(etag_after.starts_with("\"v11."), "{etag_after}");
    assert_eq!(
        after["links"],
        json!({
            "bandcamp": before["links"]["bandcamp"],
            "spotify": "https://open.spotify.com/album/deluxe",
            "self": format!("/api/albums/{id}")
        })
    );
    assert_eq!(after["units_sold"], before["units_sold"]);
    assert_eq!(after["status"], "live");
    assert_eq!(
        after["revenue_cents"],
        before["units_sold"].as_u64().expect("units") * 1299
    );
    // The old ETag is stale now.
    let r = s
        .client
        .patch(&path)
        .bearer(&s.tokens.maren)
        .if_match(&etag)
        .merge_patch(&json!({"title": "Y"}))
        .await;
    assert_eq!(r.status(), StatusCode::PRECONDITION_FAILED, "{}", r.text());
    assert_eq!(admin_view(&s, id).await.0, after);
}
