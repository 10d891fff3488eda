//! An artist builds a draft album track by track, then submits it: covers
//! with changed lyrics need negotiation, the others get a notice of
//! intention. Only the album's artist may touch its tracks, and only while
//! it is a draft; every rejection changes nothing.

mod common;

use http::StatusCode;
use serde_json::{Value, json};

use common::Seeded;

async fn tracks(s: &Seeded, id: i64) -> Value {
    let r = s
        .client
        .get(format!("/api/albums/{id}?fields=status,tracks(*),licenses"))
        .bearer(&s.tokens.maren)
        .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text());
    r.json::<Value>()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_draft_is_built_track_by_track_then_submitted() {
    let s = Seeded::start("tracks").await;
    let maren = Some(s.tokens.maren.as_str());
    let created = s
        .client
        .post("/api/albums?fields=id,status")
        .bearer_opt(maren)
        .json(&json!({"title": "Night Covers", "price_cents": 900}))
        .await;
    assert_eq!(created.status(), StatusCode::CREATED, "{}", created.text());
    let id = created.json::<Value>()["id"].as_i64().unwrap();
    let base = format!("/api/albums/{id}/tracks");

    // Two tracks: a cover of a composition, and an original.
    let r = s
        .client
        .post(&base)
        .bearer_opt(maren)
        .json(&json!({"title": "Jolene", "duration_s": 301, "cover_of": 2}))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED, "{}", r.text());
    let r = s
        .client
        .post(&base)
        .bearer_opt(maren)
        .json(&json!({"title": "Mine", "duration_s": 200}))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED, "{}", r.text());
    let album = tracks(&s, id).await;
    let titles: Vec<&str> = album["tracks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Jolene", "Mine"]);
    assert_eq!(album["tracks"][0]["cover_of"]["title"], "Jolene");

    // Bad tracks are refused whole, with pointers.
    let before = tracks(&s, id).await;
    for (body, pointer, code) in [
        (json!({"title": "", "duration_s": 10}), "/title", "empty"),
        (
            json!({"title": "X", "duration_s": 0}),
            "/duration_s",
            "out_of_range",
        ),
        (json!({"title": "X"}), "/duration_s", "missing"),
        (
            json!({"title": "X", "duration_s": 10, "isrc": "nope"}),
            "/isrc",
            "invalid_isrc",
        ),
        (
            json!({"title": "X", "duration_s": 10, "license_status": "active"}),
            "/license_status",
            "unknown",
        ),
    ] {
        let r = s.client.post(&base).bearer_opt(maren).json(&body).await;
        assert_eq!(
            r.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            r.text()
        );
        let error = &r.json::<Value>()["errors"][0];
        assert_eq!(
            (error["pointer"].as_str(), error["code"].as_str()),
            (Some(pointer), Some(code)),
            "{body}"
        );
    }
    assert_eq!(tracks(&s, id).await, before);

    // Another artist may not touch them; the public cannot see the draft.
    let harbors = Some(s.tokens.harbors.as_str());
    let r = s
        .client
        .post(&base)
        .bearer_opt(harbors)
        .json(&json!({"title": "X", "duration_s": 10}))
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND, "{}", r.text());
    let r = s
        .client
        .post(&base)
        .json(&json!({"title": "X", "duration_s": 10}))
        .await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(tracks(&s, id).await, before);

    // The cover's lyrics were changed: a merge patch says so, with the
    // album's ETag (a track is part of the album).
    let etag = s
        .client
        .get(format!("/api/albums/{id}"))
        .bearer_opt(maren)
        .await;
    let etag = etag.header("etag").expect("an ETag").to_owned();
    let r = s
        .client
        .patch(format!("{base}/1"))
        .bearer_opt(maren)
        .if_match(&etag)
        .merge_patch(&json!({"lyrics_changed": true}))
        .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text());
    let etag = r.header("etag").expect("an ETag").to_owned();
    let r = s
        .client
        .patch(format!("{base}/1"))
        .bearer_opt(maren)
        .if_match(&etag)
        .merge_patch(&json!({"number": 2}))
        .await;
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "create-only: {}",
        r.text()
    );
    let r = s
        .client
        .patch(format!("{base}/9"))
        .bearer_opt(maren)
        .merge_patch(&json!({"title": "Y"}))
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // Delete the original; the cover stays track 1.
    let r = s.client.delete(format!("{base}/2")).bearer_opt(maren).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT, "{}", r.text());

    // Submit: the changed-lyrics cover needs a negotiated license.
    let r = s
        .client
        .post(format!("/api/albums/{id}/submit"))
        .bearer_opt(maren)
        .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text());
    let album = tracks(&s, id).await;
    assert_eq!(album["status"], "submitted");
    assert_eq!(album["tracks"].as_array().unwrap().len(), 1);
    assert_eq!(album["tracks"][0]["license_status"], "needs_negotiation");
    assert_eq!(album["licenses"][0]["status"], "needs_negotiation");

    // Submitted albums' tracks are frozen.
    let r = s
        .client
        .post(&base)
        .bearer_opt(maren)
        .json(&json!({"title": "Late", "duration_s": 100}))
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT, "{}", r.text());
}
