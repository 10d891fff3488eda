//! Fifty writers PATCH the same album's title at once, each retrying on
//! 412 with a fresh ETag: all succeed, the version goes up by exactly 50,
//! nothing answers 500 or leaks "database is locked", and the database is
//! sound afterwards. And two PATCHes of one track holding one ETag make
//! one change and one 412.

mod common;

use std::sync::Arc;

use http::StatusCode;
use serde_json::{Value, json};

use common::{Seeded, version};
use licensing::store::Database;

const WRITERS: usize = 50;

#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn fifty_writers_all_land_once() {
    let s = Arc::new(Seeded::start("concurrency").await);
    let id = s.albums.borrowed_light;
    let path = format!("/api/albums/{id}");
    let initial = s.client.get(&path).bearer(&s.tokens.maren).await;
    let initial = version(initial.header("etag").expect("an ETag"));

    let mut tasks = Vec::new();
    for writer in 0..WRITERS {
        let s = Arc::clone(&s);
        let path = path.clone();
        tasks.push(tokio::spawn(async move {
            let mut statuses = Vec::new();
            for _attempt in 0..1000 {
                let current = s.client.get(&path).bearer(&s.tokens.maren).await;
                statuses.push(current.status());
                assert!(!current.text().contains("database is locked"));
                if current.status() != StatusCode::OK {
                    continue;
                }
                let etag = current.header("etag").expect("an ETag").to_owned();
                let r = s
                    .client
                    .patch(&path)
                    .bearer(&s.tokens.maren)
                    .if_match(&etag)
                    .merge_patch(&json!({ "title": format!("Take {writer}") }))
                    .await;
                statuses.push(r.status());
                assert!(
                    !r.text().contains("database is locked"),
                    "writer {writer}: {}",
                    r.text()
                );
                match r.status() {
                    StatusCode::OK => return statuses,
                    StatusCode::PRECONDITION_FAILED => {}
                    other => panic!("writer {writer}: {other} {}", r.text()),
                }
            }
            panic!("writer {writer} never got through")
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.expect("a writer did not panic"));
    }
    assert!(
        all.iter().all(|s| !s.is_server_error()),
        "a 5xx among {all:?}"
    );
    assert!(all.iter().filter(|s| **s == StatusCode::OK).count() >= 2 * WRITERS);
    let last = s.client.get(&path).bearer(&s.tokens.maren).await;
    assert_eq!(
        version(last.header("etag").expect("an ETag")),
        initial + i64::try_from(WRITERS).expect("small")
    );
    assert!(
        last.json::<Value>()["title"]
            .as_str()
            .is_some_and(|t| t.starts_with("Take ")),
        "{}",
        last.text()
    );
    if let Database::Sqlite(store) = &s.store {
        assert_eq!(store.integrity_check().await.expect("a check"), "ok");
    }
}

/// Two artists' tabs hold one `ETag` and PATCH the same track at once:
/// one change lands (200), the other is refused (412), whether the loser
/// is stopped by the handler's check or, having passed it, by the store's
/// (under SQLite's write lock, or PostgreSQL's lock on the album row).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_track_patches_holding_one_tag_make_one_change() {
    const ROUNDS: i64 = 10;
    let s = Seeded::start("concurrency-tracks").await;
    let id = s.albums.lantern_songs;
    let album = format!("/api/albums/{id}");
    let track = format!("{album}/tracks/1");
    let first = s.client.get(&album).bearer(&s.tokens.maren).await;
    let first = version(first.header("etag").expect("an ETag"));
    for round in 0..ROUNDS {
        let current = s.client.get(&album).bearer(&s.tokens.maren).await;
        let etag = current.header("etag").expect("an ETag").to_owned();
        let patch = |who: &str| json!({ "title": format!("Round {round}, {who}") });
        let (body_a, body_b) = (patch("a"), patch("b"));
        let (a, b) = tokio::join!(
            s.client
                .patch(&track)
                .bearer(&s.tokens.maren)
                .if_match(&etag)
                .merge_patch(&body_a),
            s.client
                .patch(&track)
                .bearer(&s.tokens.maren)
                .if_match(&etag)
                .merge_patch(&body_b),
        );
        let mut statuses = [a.status(), b.status()];
        statuses.sort();
        assert_eq!(
            statuses,
            [StatusCode::OK, StatusCode::PRECONDITION_FAILED],
            "round {round}: {} / {}",
            a.text(),
            b.text()
        );
        let (won, lost) = if a.status() == StatusCode::OK {
            (a, b)
        } else {
            (b, a)
        };
        assert_eq!(
            lost.json::<Value>()["code"],
            "precondition_failed",
            "{}",
            lost.text()
        );
        let next = version(&etag) + 1;
        assert_eq!(version(won.header("etag").expect("an ETag")), next);
        let now = s.client.get(&album).bearer(&s.tokens.maren).await;
        assert_eq!(version(now.header("etag").expect("an ETag")), next);
        assert_eq!(
            now.json::<Value>()["tracks"][0]["title"],
            won.json::<Value>()["tracks"][0]["title"]
        );
    }
    let last = s.client.get(&album).bearer(&s.tokens.maren).await;
    assert_eq!(
        version(last.header("etag").expect("an ETag")),
        first + ROUNDS
    );
}
