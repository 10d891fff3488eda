//! Fifty writers PATCH the same album's title at once, each retrying on
//! 412 with a fresh ETag: all succeed, the version goes up by exactly 50,
//! nothing answers 500 or leaks "database is locked", and the database is
//! sound afterwards.

mod common;

use std::sync::Arc;

use http::StatusCode;
use serde_json::json;

use common::TestServer;
use licensing::store::Database;

const WRITERS: usize = 50;

/// The album version a representation's ETag (`"v10.<hash>"`) names.
fn version(etag: &str) -> i64 {
    etag.trim_matches('"')
        .split('.')
        .next()
        .and_then(|resource| resource.strip_prefix('v'))
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("a versioned ETag: {etag}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn fifty_writers_all_land_once() {
    let s = Arc::new(TestServer::start("concurrency").await);
    let id = s.albums.borrowed_light;
    let path = format!("/api/albums/{id}");
    let initial = s.get(&path, Some(&s.tokens.maren)).await;
    let initial = version(initial.header("etag").expect("an ETag"));

    let mut tasks = Vec::new();
    for writer in 0..WRITERS {
        let s = Arc::clone(&s);
        let path = path.clone();
        tasks.push(tokio::spawn(async move {
            let mut statuses = Vec::new();
            for _attempt in 0..1000 {
                let current = s.get(&path, Some(&s.tokens.maren)).await;
                statuses.push(current.status);
                assert!(!current.body.contains("database is locked"));
                if current.status != StatusCode::OK {
                    continue;
                }
                let etag = current.header("etag").expect("an ETag").to_owned();
                let r = s
                    .patch(
                        &path,
                        Some(&s.tokens.maren),
                        Some(&etag),
                        &json!({ "title": format!("Take {writer}") }),
                    )
                    .await;
                statuses.push(r.status);
                assert!(
                    !r.body.contains("database is locked"),
                    "writer {writer}: {}",
                    r.body
                );
                match r.status {
                    StatusCode::OK => return statuses,
                    StatusCode::PRECONDITION_FAILED => {}
                    other => panic!("writer {writer}: {other} {}", r.body),
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
    let last = s.get(&path, Some(&s.tokens.maren)).await;
    assert_eq!(
        version(last.header("etag").expect("an ETag")),
        initial + i64::try_from(WRITERS).expect("small")
    );
    assert!(
        last.json()["title"]
            .as_str()
            .is_some_and(|t| t.starts_with("Take ")),
        "{}",
        last.body
    );
    if let Database::Sqlite(store) = &s.store {
        assert_eq!(store.integrity_check().await.expect("a check"), "ok");
    }
}
