//! A write while another process holds SQLite's write lock (issue 16): past
//! the busy timeout the client gets an honest 503 with `Retry-After` (not
//! an opaque 500), nothing is written, and the same write succeeds once the
//! lock is gone. Always on SQLite: the lock is SQLite's.

mod common;

use std::time::Duration;

use http::{Method, StatusCode};
use licensing::api::{Licensing, api};
use licensing::store::{DATABASE_FILE, Database, SqliteStore, StoreConfig, read_tokens};
use pale::Server;
use serde_json::json;

use common::{TempDir, Tokens, request, send};

#[tokio::test(flavor = "multi_thread")]
async fn a_write_behind_another_process_lock_is_a_503_with_retry_after() {
    let dir = TempDir::new("busy");
    let config = StoreConfig {
        busy_timeout: Duration::from_millis(200),
        ..StoreConfig::new(dir.path())
    };
    let store = tokio::task::spawn_blocking(move || SqliteStore::open(&config))
        .await
        .unwrap()
        .expect("a seeded store");
    let tokens = Tokens::from_issued(&read_tokens(dir.path()).unwrap());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let server = Server::from_listener(listener);
    let base = format!("http://{}", server.local_addr().unwrap());
    tokio::spawn(server.serve(api(Licensing::new(Database::from(store))).unwrap()));

    // Another process (a connection of its own) takes the write lock.
    let other = rusqlite::Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();

    let maren = Some(tokens.maren.as_str());
    let create = |title: &'static str| {
        let body = json!({ "title": title, "price_cents": 900 }).to_string();
        request(
            Method::POST,
            &format!("{base}/api/albums"),
            maren,
            &[("content-type", "application/json")],
            &body,
        )
    };
    let busy = send(create("Blocked")).await;
    assert_eq!(
        busy.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        busy.body
    );
    assert_eq!(busy.header("retry-after"), Some("1"));
    let problem = busy.json();
    assert_eq!(problem["code"], "busy");
    assert!(
        !busy.body.to_lowercase().contains("sqlite"),
        "{}",
        busy.body
    );
    assert!(!busy.body.contains("locked"), "{}", busy.body);

    other.execute_batch("ROLLBACK").unwrap();
    let created = send(create("Unblocked")).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let list = send(request(
        Method::GET,
        &format!("{base}/api/albums?per_page=100&fields=title"),
        maren,
        &[],
        "",
    ))
    .await;
    assert!(list.body.contains("Unblocked"), "{}", list.body);
    assert!(!list.body.contains("Blocked\""), "{}", list.body);
}
