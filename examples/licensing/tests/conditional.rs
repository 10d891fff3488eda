//! Conditional GET on albums (issue 18): the public's copy and the
//! owner's are different representations with different tags, so neither
//! revalidates the other's; each revalidates its own with a 304; a write
//! makes every old copy stale; `If-Match` takes the tag of any view.

mod common;

use http::StatusCode;
use serde_json::{Value, json};

use common::Seeded;
use pale::test::TestResponse;

/// `GET path` as `token` with `If-None-Match: tag`.
async fn revalidate(s: &Seeded, path: &str, token: Option<&str>, tag: &str) -> TestResponse {
    s.client
        .get(path)
        .bearer_opt(token)
        .header("if-none-match", tag)
        .await
}

#[tokio::test(flavor = "multi_thread")]
async fn each_viewer_revalidates_its_own_copy_only() {
    let s = Seeded::start("conditional").await;
    let path = format!("/api/albums/{}", s.albums.borrowed_light);
    let maren = Some(s.tokens.maren.as_str());
    let public = s.client.get(&path).await;
    assert_eq!(public.status(), StatusCode::OK);
    let public_tag = public.header("etag").expect("an ETag").to_owned();
    let owner = s.client.get(&path).bearer_opt(maren).await;
    let owner_tag = owner.header("etag").expect("an ETag").to_owned();
    assert_ne!(public_tag, owner_tag, "the owner sees more fields");
    assert_eq!(owner.header("vary"), Some("Accept, Authorization"));

    // (caller, tag sent, status)
    let cases = [
        (None, &public_tag, StatusCode::NOT_MODIFIED),
        (maren, &public_tag, StatusCode::OK),
        (maren, &owner_tag, StatusCode::NOT_MODIFIED),
        (None, &owner_tag, StatusCode::OK),
    ];
    for (token, tag, expected) in cases {
        let reply = revalidate(&s, &path, token, tag).await;
        assert_eq!(
            reply.status(),
            expected,
            "{token:?} {tag}: {}",
            reply.text()
        );
        if expected == StatusCode::NOT_MODIFIED {
            assert_eq!(reply.text(), "");
            assert_eq!(reply.header("etag"), Some(tag.as_str()));
            assert_eq!(reply.header("content-type"), None);
        } else {
            assert_ne!(reply.header("etag"), Some(tag.as_str()));
        }
    }

    // The owner writes with the tag of the public copy (it names the
    // version): every copy read before is stale now.
    let written = s
        .client
        .patch(&path)
        .bearer_opt(maren)
        .if_match(&public_tag)
        .merge_patch(&json!({"title": "Borrowed Light II"}))
        .await;
    assert_eq!(written.status(), StatusCode::OK, "{}", written.text());
    let stale = revalidate(&s, &path, None, &public_tag).await;
    assert_eq!(stale.status(), StatusCode::OK);
    let again = revalidate(&s, &path, maren, &owner_tag).await;
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(again.json::<Value>()["title"], "Borrowed Light II");
}
