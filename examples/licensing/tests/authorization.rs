//! Every route × {anonymous, another artist, the owner, an admin}: the
//! exact status, and after every rejection (and every read) nothing
//! changed — all four seeded albums, as an admin sees them, are the same.

mod common;

use http::{Method, StatusCode};
use pale::test::TestResponse;
use serde_json::{Value, json};

use common::Seeded;

/// Everything a request could change, as an admin sees it.
async fn snapshot(s: &Seeded) -> Vec<Value> {
    let mut out = Vec::new();
    let a = s.albums;
    for id in [
        a.borrowed_light,
        a.lantern_songs,
        a.old_songs,
        a.changed_words,
    ] {
        let r = s
            .client
            .get(format!("/api/albums/{id}?fields=*"))
            .bearer(&s.tokens.admin)
            .await;
        assert_eq!(r.status(), StatusCode::OK, "{}", r.text());
        out.push(r.json::<Value>());
        out.push(
            s.client
                .get(format!("/api/albums/{id}/statements/2024-10"))
                .bearer(&s.tokens.admin)
                .await
                .json::<Value>(),
        );
    }
    let list = s
        .client
        .get("/api/albums?per_page=100&fields=id")
        .bearer(&s.tokens.admin)
        .await;
    out.push(list.json::<Value>());
    out
}

/// Who calls.
#[derive(Clone, Copy, Debug)]
enum Who {
    Anonymous,
    Other,
    Owner,
    Admin,
}

const EVERYONE: [Who; 4] = [Who::Anonymous, Who::Other, Who::Owner, Who::Admin];

fn token(s: &Seeded, who: Who) -> Option<String> {
    match who {
        Who::Anonymous => None,
        // Maren owns the album most rows use; the Quiet Harbors are the
        // other artist.
        Who::Other => Some(s.tokens.harbors.clone()),
        Who::Owner => Some(s.tokens.maren.clone()),
        Who::Admin => Some(s.tokens.admin.clone()),
    }
}

/// Sends the request and asserts its status; unless `changes`, asserts
/// that nothing changed.
async fn check(
    s: &Seeded,
    who: Who,
    method: Method,
    path: &str,
    body: Option<&Value>,
    expected: StatusCode,
    changes: bool,
) -> TestResponse {
    let before = if changes {
        None
    } else {
        Some(snapshot(s).await)
    };
    let token = token(s, who);
    let mut request = s.client.request(method.clone(), path).bearer_opt(token);
    if let Some(body) = body {
        request = request.json(body);
    }
    let reply = request.await;
    assert_eq!(
        reply.status(),
        expected,
        "{method} {path} as {who:?}: {}",
        reply.text()
    );
    if expected == StatusCode::UNAUTHORIZED {
        assert_eq!(reply.header("www-authenticate"), Some("Bearer"), "{path}");
    }
    if !expected.is_success() {
        let problem = reply.json::<Value>();
        assert_eq!(problem["status"], expected.as_u16(), "{}", reply.text());
        assert_eq!(
            reply.header("content-type"),
            Some("application/problem+json"),
            "{path}"
        );
    }
    if let Some(before) = before {
        assert_eq!(
            snapshot(s).await,
            before,
            "{method} {path} as {who:?} changed something"
        );
    }
    reply
}

/// `statuses[i]` for `EVERYONE[i]` (the first `statuses.len()` callers).
fn expect(statuses: &[u16]) -> Vec<(Who, StatusCode)> {
    EVERYONE
        .into_iter()
        .zip(
            statuses
                .iter()
                .map(|c| StatusCode::from_u16(*c).expect("a status")),
        )
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn public_reads_answer_everyone() {
    let s = Seeded::start("authz-public").await;
    let a = s.albums;
    let maren = s.tokens.maren_id;
    for path in [
        "/api/albums".to_owned(),
        format!("/api/albums/{}", a.borrowed_light),
        format!("/api/artists/{maren}"),
        format!("/api/artists/{maren}/albums"),
        "/api/compositions".to_owned(),
        "/api/compositions?q=moon".to_owned(),
        "/api/compositions/match?title=Halleluja".to_owned(),
    ] {
        for who in EVERYONE {
            check(&s, who, Method::GET, &path, None, StatusCode::OK, false).await;
        }
    }
    // A draft is visible to its artist and admins only.
    let draft = format!("/api/albums/{}", a.lantern_songs);
    for (who, status) in expect(&[404, 404, 200, 200]) {
        check(&s, who, Method::GET, &draft, None, status, false).await;
    }
    // Lists show drafts to their artist and admins only.
    for who in EVERYONE {
        let list = check(
            &s,
            who,
            Method::GET,
            "/api/albums?per_page=100",
            None,
            StatusCode::OK,
            false,
        )
        .await
        .json::<Value>();
        let ids: Vec<i64> = list["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|i| i["id"].as_i64().expect("an id"))
            .collect();
        let sees_draft = ids.contains(&a.lantern_songs);
        let sees_submitted = ids.contains(&a.changed_words);
        let (draft, submitted) = match who {
            Who::Anonymous => (false, false),
            Who::Other => (false, true),
            Who::Owner => (true, false),
            Who::Admin => (true, true),
        };
        assert_eq!((sees_draft, sees_submitted), (draft, submitted), "{who:?}");
        assert_eq!(list["total"], ids.len(), "{who:?}");
        let artist = check(
            &s,
            who,
            Method::GET,
            &format!("/api/artists/{maren}/albums"),
            None,
            StatusCode::OK,
            false,
        )
        .await
        .json::<Value>();
        let ids: Vec<i64> = artist["items"]
            .as_array()
            .expect("a page")
            .iter()
            .map(|i| i["id"].as_i64().expect("an id"))
            .collect();
        assert_eq!(ids.contains(&a.lantern_songs), draft, "{who:?}");
        assert!(ids.contains(&a.borrowed_light));
    }
    // Unknown things are 404 for everyone.
    for who in EVERYONE {
        for path in ["/api/albums/999999", "/api/artists/999999"] {
            check(
                &s,
                who,
                Method::GET,
                path,
                None,
                StatusCode::NOT_FOUND,
                false,
            )
            .await;
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_token_is_401_never_anonymous() {
    let s = Seeded::start("authz-token").await;
    let before = snapshot(&s).await;
    // RFC 6750 §3.1: a token that is malformed or names no one is
    // `invalid_token`; another scheme gets the plain challenge.
    let invalid = r#"Bearer error="invalid_token""#;
    for (header, challenge) in [
        ("Bearer nope", invalid),
        ("bearer nope", invalid),
        ("Basic Zm9vOmJhcg==", "Bearer"),
        ("Bearer ", invalid),
        ("Bearer a b", invalid),
        ("nonsense", "Bearer"),
    ] {
        let r = s
            .client
            .get("/api/albums")
            .header("authorization", header)
            .await;
        assert_eq!(
            r.status(),
            StatusCode::UNAUTHORIZED,
            "{header}: {}",
            r.text()
        );
        assert_eq!(r.header("www-authenticate"), Some(challenge), "{header}");
    }
    assert_eq!(snapshot(&s).await, before);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_bearer_scheme_is_read_in_any_case() {
    let s = Seeded::start("authz-scheme").await;
    // Maren's draft: anyone not signed in as her gets 404.
    let draft = format!("/api/albums/{}", s.albums.lantern_songs);
    for scheme in ["Bearer", "bearer", "BEARER", "bEaReR"] {
        let header = format!("{scheme} {}", s.tokens.maren);
        let r = s
            .client
            .get(&draft)
            .header("authorization", header.as_str())
            .await;
        assert_eq!(r.status(), StatusCode::OK, "{scheme}: {}", r.text());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn owner_reads_are_for_the_artist_and_admins() {
    let s = Seeded::start("authz-owner-reads").await;
    let a = s.albums;
    for album in [a.borrowed_light] {
        for path in [
            format!("/api/albums/{album}/licenses"),
            format!("/api/albums/{album}/statements/2024-10"),
        ] {
            for (who, status) in expect(&[401, 403, 200, 200]) {
                check(&s, who, Method::GET, &path, None, status, false).await;
            }
        }
    }
    // Of a draft: the other artist cannot even see it.
    for path in [
        format!("/api/albums/{}/licenses", a.lantern_songs),
        format!("/api/albums/{}/statements/2024-10", a.lantern_songs),
    ] {
        for (who, status) in expect(&[401, 404, 200, 200]) {
            check(&s, who, Method::GET, &path, None, status, false).await;
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn creating_albums_is_for_artists() {
    let s = Seeded::start("authz-create").await;
    let body = json!({"title": "New One", "price_cents": 500});
    for (who, status) in expect(&[401, 201, 201, 403]) {
        let changes = status.is_success();
        let r = check(
            &s,
            who,
            Method::POST,
            "/api/albums",
            Some(&body),
            status,
            changes,
        )
        .await;
        if changes {
            let album = r.json::<Value>();
            let id = album["id"].as_i64().expect("an id");
            assert_eq!(
                r.header("location"),
                Some(format!("/api/albums/{id}").as_str())
            );
            assert_eq!(album["title"], "New One");
            let status = s
                .client
                .get(format!("/api/albums/{id}?fields=status"))
                .bearer_opt(token(&s, who).as_deref())
                .await;
            assert_eq!(status.json::<Value>(), json!({"status": "draft"}));
            let owner = match who {
                Who::Other => s.tokens.harbors_id,
                _ => s.tokens.maren_id,
            };
            assert_eq!(album["artist"]["id"], owner);
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn patching_is_for_the_artist_and_admins() {
    let s = Seeded::start("authz-patch").await;
    let a = s.albums;
    for (album, statuses) in [
        (a.borrowed_light, [401, 403, 200, 200]),
        (a.lantern_songs, [401, 404, 200, 200]),
    ] {
        for (who, status) in expect(&statuses) {
            let path = format!("/api/albums/{album}");
            let etag = s
                .client
                .get(&path)
                .bearer(&s.tokens.admin)
                .await
                .header("etag")
                .expect("an ETag")
                .to_owned();
            let before = snapshot(&s).await;
            let title = format!("Renamed by {who:?}");
            let r = s
                .client
                .patch(&path)
                .bearer_opt(token(&s, who).as_deref())
                .if_match(&etag)
                .merge_patch(&json!({ "title": title }))
                .await;
            assert_eq!(r.status(), status, "PATCH {path} as {who:?}: {}", r.text());
            if status.is_success() {
                assert_eq!(r.json::<Value>()["title"], title.as_str());
            } else {
                assert_eq!(snapshot(&s).await, before, "{who:?}");
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn deleting_is_for_drafts_of_the_artist_and_admins() {
    let s = Seeded::start("authz-delete").await;
    let a = s.albums;
    // A live album cannot be deleted, by anyone.
    let live = format!("/api/albums/{}", a.borrowed_light);
    for (who, status) in expect(&[401, 403, 409, 409]) {
        check(&s, who, Method::DELETE, &live, None, status, false).await;
    }
    // A submitted one neither (Quiet Harbors' own; Maren is "other" here).
    let submitted = format!("/api/albums/{}", a.changed_words);
    let r = s.client.delete(&submitted).bearer(&s.tokens.harbors).await;
    assert_eq!(r.status(), StatusCode::CONFLICT, "{}", r.text());
    // The draft: hidden from the other artist, deleted by its own.
    let draft = format!("/api/albums/{}", a.lantern_songs);
    for (who, status) in expect(&[401, 404]) {
        check(&s, who, Method::DELETE, &draft, None, status, false).await;
    }
    let r = s.client.delete(&draft).bearer(&s.tokens.maren).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT, "{}", r.text());
    assert_eq!(r.text(), "");
    for who in EVERYONE {
        let r = s
            .client
            .get(&draft)
            .bearer_opt(token(&s, who).as_deref())
            .await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{who:?}");
    }
    // An admin deletes a draft too.
    let created = s
        .client
        .post("/api/albums")
        .bearer(&s.tokens.harbors)
        .json(&json!({"title": "Scratch", "price_cents": 100}))
        .await;
    assert_eq!(created.status(), StatusCode::CREATED, "{}", created.text());
    let path = created.header("location").expect("a Location").to_owned();
    let r = s.client.delete(&path).bearer(&s.tokens.admin).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT, "{}", r.text());
}

#[tokio::test(flavor = "multi_thread")]
async fn submitting_is_for_the_artist() {
    let s = Seeded::start("authz-submit").await;
    let a = s.albums;
    let draft = format!("/api/albums/{}/submit", a.lantern_songs);
    for (who, status) in expect(&[401, 404]) {
        check(&s, who, Method::POST, &draft, None, status, false).await;
    }
    // A live album is not a draft any more: its artist gets a 409, another
    // artist a 403.
    let live = format!("/api/albums/{}/submit", a.borrowed_light);
    for (who, status) in expect(&[401, 403, 409, 409]) {
        check(&s, who, Method::POST, &live, None, status, false).await;
    }
    check(
        &s,
        Who::Owner,
        Method::POST,
        &draft,
        None,
        StatusCode::OK,
        true,
    )
    .await;
    let album = s
        .client
        .get(format!(
            "/api/albums/{}?fields=status,licenses",
            a.lantern_songs
        ))
        .bearer(&s.tokens.maren)
        .await
        .json::<Value>();
    assert_eq!(album["status"], "submitted");
    assert_eq!(album["licenses"].as_array().map(Vec::len), Some(1));
}

#[tokio::test(flavor = "multi_thread")]
async fn admin_routes_are_for_admins() {
    let s = Seeded::start("authz-admin").await;
    let a = s.albums;
    let sales = json!({
        "store": "authz",
        "month": "2025-05",
        "lines": [{"album_id": a.borrowed_light, "format": "download", "units": 3}]
    });
    for (who, status) in expect(&[401, 403, 403]) {
        check(
            &s,
            who,
            Method::POST,
            "/api/admin/sales",
            Some(&sales),
            status,
            false,
        )
        .await;
    }
    let r = check(
        &s,
        Who::Admin,
        Method::POST,
        "/api/admin/sales",
        Some(&sales),
        StatusCode::OK,
        true,
    )
    .await;
    assert_eq!(
        r.json::<Value>(),
        json!({"ingested": true, "lines": 1, "units": 3})
    );

    // Changed Words waits on two negotiated licenses.
    let licenses = s
        .client
        .get(format!("/api/albums/{}/licenses", a.changed_words))
        .bearer(&s.tokens.admin)
        .await
        .json::<Value>();
    let ids: Vec<i64> = licenses["items"]
        .as_array()
        .expect("a page")
        .iter()
        .map(|l| l["id"].as_i64().expect("an id"))
        .collect();
    assert_eq!(ids.len(), 2, "{licenses}");
    let publish = format!("/api/admin/albums/{}/publish", a.changed_words);
    for (who, status) in expect(&[401, 403, 403, 409]) {
        check(&s, who, Method::POST, &publish, None, status, false).await;
    }
    for id in &ids {
        let activate = format!("/api/admin/licenses/{id}/activate");
        for (who, status) in expect(&[401, 403, 403]) {
            check(&s, who, Method::POST, &activate, None, status, false).await;
        }
        let r = check(
            &s,
            Who::Admin,
            Method::POST,
            &activate,
            None,
            StatusCode::OK,
            true,
        )
        .await;
        assert_eq!(r.json::<Value>()["status"], "active");
        // Twice is a conflict.
        check(
            &s,
            Who::Admin,
            Method::POST,
            &activate,
            None,
            StatusCode::CONFLICT,
            false,
        )
        .await;
    }
    check(
        &s,
        Who::Admin,
        Method::POST,
        &publish,
        None,
        StatusCode::OK,
        true,
    )
    .await;
    let album = s
        .client
        .get(format!("/api/albums/{}?fields=status", a.changed_words))
        .bearer(&s.tokens.admin)
        .await;
    assert_eq!(album.json::<Value>()["status"], "live");
    for who in EVERYONE {
        let r = s
            .client
            .get(format!("/api/albums/{}", a.changed_words))
            .bearer_opt(token(&s, who).as_deref())
            .await;
        assert_eq!(r.status(), StatusCode::OK, "{who:?}");
    }
}
