//! The order of the checks on a write, over HTTP: who the caller is
//! (401), whether they may write this album at all (404 if they cannot
//! see it, 403 if they can but it is not theirs), then `If-Match` (428
//! without it where it is required, 412 when stale), then the write rules
//! (422, 409). A stranger hears 403 or 404 whatever `If-Match` says, an
//! empty patch included, and nothing changes; the owner needs the current
//! tag on every `PATCH`, an album's or a track's.

mod common;

use http::{Method, StatusCode};
use serde_json::{Value, json};

use common::{Seeded, version};
use pale::test::TestResponse;

/// Who calls.
#[derive(Clone, Copy, Debug)]
enum Who {
    Anonymous,
    /// The Quiet Harbors: they see Maren's live album, not her draft.
    Other,
    /// Maren Holt, who owns the albums written here.
    Owner,
}

/// What the request says in `If-Match`.
#[derive(Clone, Copy, Debug)]
enum Tag {
    None,
    /// The version before the current one.
    Stale,
    Current,
    /// `*`: any current version.
    Any,
}

const TAGS: [Tag; 4] = [Tag::None, Tag::Stale, Tag::Current, Tag::Any];

fn token(s: &Seeded, who: Who) -> Option<&str> {
    match who {
        Who::Anonymous => None,
        Who::Other => Some(&s.tokens.harbors),
        Who::Owner => Some(&s.tokens.maren),
    }
}

/// The album as an admin sees it, everything, and its `ETag`.
async fn state(s: &Seeded, album: i64) -> (String, Value) {
    let r = s
        .client
        .get(format!("/api/albums/{album}?fields=*"))
        .bearer(&s.tokens.admin)
        .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text());
    (
        r.header("etag").expect("an ETag").to_owned(),
        r.json::<Value>(),
    )
}

/// The `If-Match` value for `tag`, given the album's current `ETag`.
fn if_match(tag: Tag, current: &str) -> Option<String> {
    match tag {
        Tag::None => None,
        Tag::Stale => Some(format!("\"v{}\"", version(current) - 1)),
        Tag::Current => Some(current.to_owned()),
        Tag::Any => Some("*".to_owned()),
    }
}

/// `method path` as `who`, with `tag` for the album's current `ETag` and
/// `body` as a merge patch (none for `None`).
async fn send(
    s: &Seeded,
    who: Who,
    method: Method,
    path: &str,
    tag: Tag,
    body: Option<&Value>,
) -> TestResponse {
    let album: i64 = path
        .split('/')
        .nth(3)
        .and_then(|id| id.parse().ok())
        .expect("an album path");
    let (etag, _) = state(s, album).await;
    let mut request = s.client.request(method, path).bearer_opt(token(s, who));
    if let Some(tag) = if_match(tag, &etag) {
        request = request.if_match(tag);
    }
    if let Some(body) = body {
        request = request.merge_patch(body);
    }
    request.await
}

/// Asserts the problem's status, code and detail exactly.
fn assert_problem(r: &TestResponse, status: StatusCode, code: &str, detail: &str, what: &str) {
    assert_eq!(r.status(), status, "{what}: {}", r.text());
    assert_eq!(
        r.header("content-type"),
        Some("application/problem+json"),
        "{what}"
    );
    let problem = r.json::<Value>();
    assert_eq!(problem["status"], status.as_u16(), "{what}: {problem}");
    assert_eq!(problem["code"], code, "{what}: {problem}");
    assert_eq!(problem["detail"], detail, "{what}: {problem}");
}

const NOT_THEIRS: &str = "only the album's artist may do this";
const REQUIRED: &str = "send If-Match with the ETag of the object you read";
const FAILED: &str = "the object changed since it was read: read it again, then retry";

/// A refusal the caller hears whatever `If-Match` says.
struct Refusal {
    who: Who,
    method: Method,
    path: String,
    status: StatusCode,
    code: &'static str,
    detail: &'static str,
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stranger_is_refused_whatever_if_match_says_and_nothing_changes() {
    let s = Seeded::start("pre-stranger").await;
    let live = s.albums.borrowed_light;
    let draft = s.albums.lantern_songs;
    let refusal = |who, method, path: String, status, code, detail| Refusal {
        who,
        method,
        path,
        status,
        code,
        detail,
    };
    let (forbidden, not_found) = (StatusCode::FORBIDDEN, StatusCode::NOT_FOUND);
    let unauthorized = StatusCode::UNAUTHORIZED;
    let (patch, delete) = (Method::PATCH, Method::DELETE);
    #[rustfmt::skip]
    let table = [
        // Maren's live album: the other artist sees it, may not write it.
        refusal(Who::Other, patch.clone(), format!("/api/albums/{live}"), forbidden, "forbidden", NOT_THEIRS),
        refusal(Who::Other, patch.clone(), format!("/api/albums/{live}/tracks/1"), forbidden, "forbidden", NOT_THEIRS),
        refusal(Who::Other, delete.clone(), format!("/api/albums/{live}"), forbidden, "forbidden", NOT_THEIRS),
        refusal(Who::Other, delete.clone(), format!("/api/albums/{live}/tracks/1"), forbidden, "forbidden", NOT_THEIRS),
        // Her draft: the other artist cannot even see it.
        refusal(Who::Other, patch.clone(), format!("/api/albums/{draft}"), not_found, "not_found", "no such album"),
        refusal(Who::Other, patch.clone(), format!("/api/albums/{draft}/tracks/1"), not_found, "not_found", "no such album"),
        refusal(Who::Other, delete.clone(), format!("/api/albums/{draft}"), not_found, "not_found", "no such album"),
        refusal(Who::Other, delete.clone(), format!("/api/albums/{draft}/tracks/1"), not_found, "not_found", "no such album"),
        // Nobody signed in.
        refusal(Who::Anonymous, patch.clone(), format!("/api/albums/{live}"), unauthorized, "unauthorized", ""),
        refusal(Who::Anonymous, patch.clone(), format!("/api/albums/{draft}/tracks/1"), unauthorized, "unauthorized", ""),
    ];
    let bodies = [json!({}), json!({"title": "Stolen"})];
    for case in &table {
        for tag in TAGS {
            let with_body: Vec<Option<&Value>> = if case.method == Method::PATCH {
                bodies.iter().map(Some).collect()
            } else {
                vec![None]
            };
            for body in with_body {
                let album = if case.path.contains(&format!("/{live}")) {
                    live
                } else {
                    draft
                };
                let before = state(&s, album).await;
                let r = send(&s, case.who, case.method.clone(), &case.path, tag, body).await;
                let what = format!(
                    "{} {} as {:?}, If-Match {tag:?}, {body:?}",
                    case.method, case.path, case.who
                );
                if case.status == StatusCode::UNAUTHORIZED {
                    assert_eq!(r.status(), case.status, "{what}: {}", r.text());
                    assert_eq!(r.json::<Value>()["code"], case.code, "{what}");
                } else {
                    assert_problem(&r, case.status, case.code, case.detail, &what);
                }
                assert_eq!(state(&s, album).await, before, "{what} changed the album");
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_owner_needs_the_current_tag_to_patch_an_album() {
    let s = Seeded::start("pre-album").await;
    let id = s.albums.borrowed_light;
    let path = format!("/api/albums/{id}");
    for (tag, status) in [
        (Tag::None, StatusCode::PRECONDITION_REQUIRED),
        (Tag::Stale, StatusCode::PRECONDITION_FAILED),
    ] {
        let before = state(&s, id).await;
        let r = send(
            &s,
            Who::Owner,
            Method::PATCH,
            &path,
            tag,
            Some(&json!({"title": "X"})),
        )
        .await;
        let (code, detail) = if status == StatusCode::PRECONDITION_REQUIRED {
            ("precondition_required", REQUIRED)
        } else {
            ("precondition_failed", FAILED)
        };
        assert_problem(&r, status, code, detail, &format!("{tag:?}"));
        assert_eq!(state(&s, id).await, before, "{tag:?} changed the album");
    }
    // The current tag: the change lands, under the next version.
    let (etag, _) = state(&s, id).await;
    let body = json!({"title": "Borrowed Light (Deluxe)"});
    let r = s
        .client
        .patch(&path)
        .bearer(&s.tokens.maren)
        .if_match(&etag)
        .merge_patch(&body)
        .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text());
    assert_eq!(r.json::<Value>()["title"], "Borrowed Light (Deluxe)");
    let written = r.header("etag").expect("an ETag").to_owned();
    assert_eq!(version(&written), version(&etag) + 1);
    // The tag it was sent with is stale now.
    let r = s
        .client
        .patch(&path)
        .bearer(&s.tokens.maren)
        .if_match(&etag)
        .merge_patch(&body)
        .await;
    assert_problem(
        &r,
        StatusCode::PRECONDITION_FAILED,
        "precondition_failed",
        FAILED,
        "old tag",
    );
    // An empty patch with the current tag changes nothing, not even the
    // version.
    let r = s
        .client
        .patch(&path)
        .bearer(&s.tokens.maren)
        .if_match(&written)
        .merge_patch(&json!({}))
        .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text());
    assert_eq!(r.header("etag"), Some(written.as_str()));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_owner_needs_the_albums_current_tag_to_patch_a_track() {
    let s = Seeded::start("pre-track").await;
    let id = s.albums.lantern_songs;
    let path = format!("/api/albums/{id}/tracks/2");
    let body = json!({"title": "Lantern Song (Reprise)"});
    for (tag, status, code, detail) in [
        (
            Tag::None,
            StatusCode::PRECONDITION_REQUIRED,
            "precondition_required",
            REQUIRED,
        ),
        (
            Tag::Stale,
            StatusCode::PRECONDITION_FAILED,
            "precondition_failed",
            FAILED,
        ),
    ] {
        let before = state(&s, id).await;
        let r = send(&s, Who::Owner, Method::PATCH, &path, tag, Some(&body)).await;
        assert_problem(&r, status, code, detail, &format!("{tag:?}"));
        assert_eq!(state(&s, id).await, before, "{tag:?} changed the album");
    }
    let (etag, _) = state(&s, id).await;
    let r = s
        .client
        .patch(&path)
        .bearer(&s.tokens.maren)
        .if_match(&etag)
        .merge_patch(&body)
        .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text());
    assert_eq!(
        r.json::<Value>()["tracks"][1]["title"],
        "Lantern Song (Reprise)"
    );
    // A track's edit moves the album's version: it is in the album's
    // representation.
    let next = version(&etag) + 1;
    assert_eq!(version(r.header("etag").expect("an ETag")), next);
    assert_eq!(version(&state(&s, id).await.0), next);
    let r = s
        .client
        .patch(&path)
        .bearer(&s.tokens.maren)
        .if_match(&etag)
        .merge_patch(&body)
        .await;
    assert_problem(
        &r,
        StatusCode::PRECONDITION_FAILED,
        "precondition_failed",
        FAILED,
        "old tag",
    );
    // `*` is any current version.
    let r = s
        .client
        .patch(&path)
        .bearer(&s.tokens.maren)
        .if_match("*")
        .merge_patch(&json!({"duration_s": 225}))
        .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text());
    assert_eq!(r.json::<Value>()["tracks"][1]["duration_s"], 225);
}

/// A status and a problem code.
type Answer = (StatusCode, &'static str);

/// The write rules come after `If-Match`: a bad value, a read-only field
/// or a frozen tracklist is told only to a client holding the current
/// tag. What would be a 404 without `If-Match` stays a 404 (RFC 9110
/// §13.2.1).
#[tokio::test(flavor = "multi_thread")]
async fn preconditions_come_before_the_write_rules() {
    let s = Seeded::start("pre-rules").await;
    let (live, draft) = (s.albums.borrowed_light, s.albums.lantern_songs);
    let required = (StatusCode::PRECONDITION_REQUIRED, "precondition_required");
    let failed = (StatusCode::PRECONDITION_FAILED, "precondition_failed");
    let invalid = (StatusCode::UNPROCESSABLE_ENTITY, "invalid_arguments");
    let frozen = (StatusCode::CONFLICT, "conflict");
    #[rustfmt::skip]
    let table: [(String, Value, [Answer; 3]); 4] = [
        (format!("/api/albums/{live}"), json!({"price_cents": -1}), [required, failed, invalid]),
        (format!("/api/albums/{live}"), json!({"units_sold": 5}), [required, failed, invalid]),
        (format!("/api/albums/{draft}/tracks/1"), json!({"duration_s": 0}), [required, failed, invalid]),
        (format!("/api/albums/{live}/tracks/1"), json!({"title": "Late"}), [required, failed, frozen]),
    ];
    for (path, body, answers) in &table {
        for (tag, (status, code)) in [Tag::None, Tag::Stale, Tag::Current]
            .into_iter()
            .zip(answers)
        {
            let album = if path.contains(&format!("/{live}")) {
                live
            } else {
                draft
            };
            let before = state(&s, album).await;
            let r = send(&s, Who::Owner, Method::PATCH, path, tag, Some(body)).await;
            let what = format!("PATCH {path} {body} with {tag:?}");
            assert_eq!(r.status(), *status, "{what}: {}", r.text());
            assert_eq!(r.json::<Value>()["code"], *code, "{what}: {}", r.text());
            assert_eq!(state(&s, album).await, before, "{what} changed the album");
        }
    }
    // No track 9: a 404 whatever `If-Match` says.
    for tag in TAGS {
        let path = format!("/api/albums/{draft}/tracks/9");
        let r = send(
            &s,
            Who::Owner,
            Method::PATCH,
            &path,
            tag,
            Some(&json!({"title": "Y"})),
        )
        .await;
        assert_problem(
            &r,
            StatusCode::NOT_FOUND,
            "not_found",
            "no such track",
            &format!("{tag:?}"),
        );
    }
}

/// A `DELETE` honours `If-Match` when sent (412 if stale, checked before
/// the rule that only drafts go), and does not require it.
#[tokio::test(flavor = "multi_thread")]
async fn deletes_honour_if_match_when_sent() {
    let s = Seeded::start("pre-delete").await;
    let (live, draft) = (s.albums.borrowed_light, s.albums.lantern_songs);
    let tracks = format!("/api/albums/{draft}/tracks");
    let before = state(&s, draft).await;
    let r = send(
        &s,
        Who::Owner,
        Method::DELETE,
        &format!("{tracks}/1"),
        Tag::Stale,
        None,
    )
    .await;
    assert_problem(
        &r,
        StatusCode::PRECONDITION_FAILED,
        "precondition_failed",
        FAILED,
        "stale",
    );
    assert_eq!(state(&s, draft).await, before);
    for tag in [Tag::Current, Tag::None] {
        let r = send(
            &s,
            Who::Owner,
            Method::DELETE,
            &format!("{tracks}/1"),
            tag,
            None,
        )
        .await;
        assert_eq!(r.status(), StatusCode::NO_CONTENT, "{tag:?}: {}", r.text());
        assert_eq!(r.text(), "");
    }
    let (etag, album) = state(&s, draft).await;
    assert_eq!(album["tracks"], json!([]));
    assert_eq!(version(&etag), version(&before.0) + 2);

    // The album: stale is 412 before the live album's 409.
    let path = format!("/api/albums/{live}");
    let r = send(&s, Who::Owner, Method::DELETE, &path, Tag::Stale, None).await;
    assert_problem(
        &r,
        StatusCode::PRECONDITION_FAILED,
        "precondition_failed",
        FAILED,
        "stale live",
    );
    let r = send(&s, Who::Owner, Method::DELETE, &path, Tag::Current, None).await;
    assert_eq!(r.status(), StatusCode::CONFLICT, "{}", r.text());
    let path = format!("/api/albums/{draft}");
    let r = send(&s, Who::Owner, Method::DELETE, &path, Tag::Stale, None).await;
    assert_problem(
        &r,
        StatusCode::PRECONDITION_FAILED,
        "precondition_failed",
        FAILED,
        "stale draft",
    );
    let r = send(&s, Who::Owner, Method::DELETE, &path, Tag::Current, None).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT, "{}", r.text());
    let r = s.client.get(&path).bearer(&s.tokens.maren).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}
