//! A write while another process holds SQLite's write lock (issue 16): past
//! the busy timeout the client gets an honest 503 with `Retry-After` (not
//! an opaque 500), nothing is written, and the same write succeeds once the
//! lock is gone. Always on SQLite: the lock is SQLite's.

mod common;

use std::time::Duration;

use http::StatusCode;
use licensing::api::{Licensing, api};
use licensing::store::{DATABASE_FILE, Database, SqliteStore, StoreConfig, read_tokens};
use pale::test::TestClient;
use serde_json::{Value, json};

use common::{TempDir, Tokens};

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
    let api = api(Licensing::new(Database::from(store))).unwrap();
    let client = TestClient::new(api).with_base("");

    // Another process (a connection of its own) takes the write lock.
    let other = rusqlite::Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();

    let maren = Some(tokens.maren.as_str());
    let create = |title: &'static str| {
        let body = json!({ "title": title, "price_cents": 900 });
        client.post("/api/albums").bearer_opt(maren).json(&body)
    };
    let busy = create("Blocked").await;
    assert_eq!(
        busy.status(),
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        busy.text()
    );
    assert_eq!(busy.header("retry-after"), Some("1"));
    let problem = busy.json::<Value>();
    assert_eq!(problem["code"], "busy");
    assert!(
        !busy.text().to_lowercase().contains("sqlite"),
        "{}",
        busy.text()
    );
    assert!(!busy.text().contains("locked"), "{}", busy.text());

    other.execute_batch("ROLLBACK").unwrap();
    let created = create("Unblocked").await;
    assert_eq!(created.status(), StatusCode::CREATED, "{}", created.text());
    let list = client
        .get("/api/albums?per_page=100&fields=title")
        .bearer_opt(maren)
        .await;
    assert!(list.text().contains("Unblocked"), "{}", list.text());
    assert!(!list.text().contains("Blocked\""), "{}", list.text());
}
