//! The real `licensing` binary: `tokens` prints the seeded accounts,
//! `serve` answers on the port it is given, and a process killed with
//! SIGKILL in the middle of ingesting a large sales report leaves a sound
//! database in which that month is wholly present or wholly absent, its
//! kept sales totals with it (`check`, which fails on a tampered total).

mod common;

use std::path::Path;
use std::time::Duration;

use http::Method;
use licensing::domain::statement::SalesMonth;
use licensing::store::{SqliteStore, Store, StoreConfig};
use serde_json::{Value, json};
use time::macros::date;

use common::{TempDir, Tokens};

#[path = "support/running.rs"]
mod running;
use running::{Running, tokens};

#[test]
fn tokens_lists_the_seeded_accounts() {
    let dir = TempDir::new("bin-tokens");
    let data = dir.path().join("data");
    let list = tokens(&data);
    assert_eq!(list.len(), 3, "{list:?}");
    let mut roles: Vec<(String, String, bool)> = list
        .iter()
        .map(|t| {
            let mut keys: Vec<&str> = t
                .as_object()
                .expect("an object")
                .keys()
                .map(String::as_str)
                .collect();
            keys.sort_unstable();
            assert_eq!(keys, ["artist_id", "name", "role", "token"]);
            assert!(t["token"].as_str().is_some_and(|s| s.len() >= 32), "{t}");
            (
                t["name"].as_str().expect("a name").to_owned(),
                t["role"].as_str().expect("a role").to_owned(),
                t["artist_id"].is_i64(),
            )
        })
        .collect();
    roles.sort();
    assert_eq!(
        roles,
        [
            ("Admin".to_owned(), "admin".to_owned(), false),
            ("Maren Holt".to_owned(), "artist".to_owned(), true),
            ("The Quiet Harbors".to_owned(), "artist".to_owned(), true),
        ]
    );
    // The same tokens on a second run: the database is not re-seeded.
    assert_eq!(tokens(&data), list);
}

#[tokio::test]
async fn serve_answers_and_uses_the_seeded_tokens() {
    let dir = TempDir::new("bin-serve");
    let maren = token_of(&tokens(dir.path()), "Maren Holt");
    let server = Running::start(dir.path()).await;
    let reply = server.client.get("/api/albums").await;
    assert_eq!(reply.status(), 200, "{}", reply.text());
    assert_eq!(reply.json::<Value>()["total"], 2);
    let units = "/api/albums/1?fields=units_sold";
    let reply = server.client.get(units).bearer(&maren).await;
    assert_eq!(
        (reply.status().as_u16(), reply.text().as_str()),
        (200, r#"{"units_sold":129}"#)
    );
    assert_eq!(server.client.get(units).await.status(), 400);
    server.kill();
}

/// Two processes on one data directory: a write through one is what the
/// other serves at once (title and `ETag`), though the other had the page
/// in its read cache, and an `ETag` goes stale on both at once.
#[tokio::test]
async fn two_processes_on_one_data_directory_never_serve_stale_albums() {
    let dir = TempDir::new("bin-two");
    let maren = Tokens::from_issued(&{
        tokens(dir.path());
        licensing::store::read_tokens(dir.path()).expect("tokens")
    })
    .maren;
    let a = Running::start(dir.path()).await;
    let b = Running::start(dir.path()).await;
    // Both read (and keep) the album.
    let (title, etag) = a.album(1, &maren).await;
    assert_eq!(b.album(1, &maren).await, (title, etag.clone()));

    let (status, through_a) = a.patch_title(1, &maren, &etag, "Patched through A").await;
    assert_eq!(status, 200);
    let through_a = through_a.expect("a new ETag");
    assert_ne!(through_a, etag);
    assert_eq!(
        b.album(1, &maren).await,
        ("Patched through A".to_owned(), through_a.clone())
    );

    // The old tag is stale on both; the new one works on either.
    assert_eq!(b.patch_title(1, &maren, &etag, "Lost update").await.0, 412);
    assert_eq!(a.patch_title(1, &maren, &etag, "Lost update").await.0, 412);
    let (status, through_b) = b
        .patch_title(1, &maren, &through_a, "Patched through B")
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        a.album(1, &maren).await,
        (
            "Patched through B".to_owned(),
            through_b.expect("a new ETag")
        )
    );
}

/// The units of `month` the store has for album 1 (Borrowed Light), as
/// its "Hallelujah" statement line counts them.
async fn units_in(data: &Path, month: &str) -> u64 {
    let config = StoreConfig::new(data);
    let store = tokio::task::spawn_blocking(move || SqliteStore::open(&config))
        .await
        .expect("no panic")
        .expect("the store reopens");
    assert_eq!(store.integrity_check().await.expect("a check"), "ok");
    let statement = store
        .royalty_statement(
            1,
            SalesMonth::parse(month).expect("a month"),
            date!(2026 - 01 - 01),
        )
        .await
        .expect("a statement");
    statement
        .lines
        .iter()
        .find(|l| l.composition_id == 1)
        .map_or(0, |l| l.units)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_kill_during_ingest_leaves_all_or_nothing() {
    const LINES: u64 = 10_000;
    let dir = TempDir::new("bin-kill");
    let admin = Tokens::from_issued(&{
        tokens(dir.path());
        licensing::store::read_tokens(dir.path()).expect("tokens")
    })
    .admin;
    let mut outcomes = Vec::new();
    for (i, delay_ms) in [0u64, 2, 10, 40, 150].into_iter().enumerate() {
        let month = format!("2026-{:02}", i + 6);
        let lines: Vec<Value> = (0..LINES)
            .map(|_| json!({"album_id": 1, "format": "download", "units": 1}))
            .collect();
        let body = json!({"store": "kill-test", "month": month, "lines": lines});
        let server = Running::start(dir.path()).await;
        let (client, admin_token, report) = (server.client.clone(), admin.clone(), body.clone());
        let sending = tokio::spawn(async move {
            let post = client.post("/api/admin/sales").bearer(admin_token);
            post.json(&report).try_send().await
        });
        tokio::time::sleep(Duration::from_millis(delay_ms)).await;
        server.kill();
        // Answered before the kill or cut by it: the store says which.
        let _ = sending.await.expect("the request task does not panic");

        let units = units_in(dir.path(), &month).await;
        assert!(
            units == 0 || units == LINES,
            "{month}: {units} of {LINES} units survived the kill"
        );
        outcomes.push(units);

        // Restarted on the same data, the server agrees and the month can
        // be (re)sent: once present, a second report is not counted.
        let server = Running::start(dir.path()).await;
        let reply = server
            .client
            .post("/api/admin/sales")
            .bearer(&admin)
            .json(&body)
            .await;
        assert_eq!(reply.status(), 200, "{}", reply.text());
        let reply: Value = reply.json();
        assert_eq!(reply["ingested"], units == 0, "{month}: {reply}");
        server.kill();
        assert_eq!(units_in(dir.path(), &month).await, LINES);
        // The kept totals died or survived with the lines.
        let (ok, _, stderr) = check(dir.path());
        assert!(ok, "{month}: {stderr}");
    }
    eprintln!("units present after each kill: {outcomes:?}");
}

/// `licensing check`: the kept sales totals of the seeded database equal
/// the lines' sums, and its kept album counts a recount; once a kept
/// total or count is tampered with, the command names the row, on both
/// sides, and fails.
#[test]
fn check_verifies_the_kept_sales_totals() {
    let dir = TempDir::new("bin-check");
    tokens(dir.path());
    let (ok, stdout, stderr) = check(dir.path());
    assert!(ok, "{stderr}");
    assert_eq!(
        stdout,
        "sales totals ok: 2 albums and 9 album-month-track totals equal a recomputation from the lines; \
         album and composition counts equal a recount\n"
    );
    let db = rusqlite::Connection::open(dir.path().join(licensing::store::DATABASE_FILE))
        .expect("the database");
    db.execute(
        "UPDATE album_sales SET units = units + 1 WHERE album_id = 1",
        [],
    )
    .expect("tampered");
    drop(db);
    let (ok, stdout, stderr) = check(dir.path());
    assert!(!ok, "{stdout}");
    assert!(
        stderr.contains("mismatch: album 1: 130 units kept, which the lines do not sum to\n")
            && stderr
                .contains("mismatch: album 1: the lines sum to 129 units, which is not kept\n")
            && stderr.contains(
                "licensing: the kept sales totals or album or composition counts differ from a \
                 recomputation (2 difference(s) listed)"
            ),
        "{stderr}"
    );
    // A kept album count tampered with is named too, both sides.
    let db = rusqlite::Connection::open(dir.path().join(licensing::store::DATABASE_FILE))
        .expect("the database");
    db.execute_batch(
        "UPDATE album_sales SET units = units - 1 WHERE album_id = 1;
         UPDATE album_counts SET albums = albums + 5 WHERE artist_id = 0 AND status = 'live'",
    )
    .expect("tampered");
    drop(db);
    let (ok, _, stderr) = check(dir.path());
    assert!(!ok);
    let live: i64 = rusqlite::Connection::open(dir.path().join(licensing::store::DATABASE_FILE))
        .and_then(|db| {
            db.query_row(
                "SELECT count(*) FROM albums WHERE status = 'live'",
                [],
                |r| r.get(0),
            )
        })
        .expect("a count");
    assert!(
        stderr.contains(&format!(
            "mismatch: every artist, live: {} albums kept, which is not how many there are\n",
            live + 5
        )) && stderr.contains(&format!(
            "mismatch: every artist, live: {live} albums, which is not the count kept\n"
        )),
        "{stderr}"
    );
    // And the kept composition count.
    let db = rusqlite::Connection::open(dir.path().join(licensing::store::DATABASE_FILE))
        .expect("the database");
    db.execute_batch(
        "UPDATE album_counts SET albums = albums - 5 WHERE artist_id = 0 AND status = 'live';
         UPDATE composition_count SET compositions = compositions + 2",
    )
    .expect("tampered");
    let compositions: i64 = db
        .query_row("SELECT count(*) FROM compositions", [], |r| r.get(0))
        .expect("a count");
    drop(db);
    let (ok, _, stderr) = check(dir.path());
    assert!(!ok);
    assert!(
        stderr.contains(&format!(
            "mismatch: compositions: {} kept, which is not how many there are ({compositions})\n",
            compositions + 2
        )) && stderr.contains("(1 difference(s) listed)"),
        "{stderr}"
    );
}

/// Runs `licensing check` on `data`: success, stdout, stderr.
fn check(data: &Path) -> (bool, String, String) {
    let out = std::process::Command::new(running::BIN)
        .args(["check", "--data"])
        .arg(data)
        .env("RUST_LOG", "warn")
        .output()
        .expect("the binary runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Issue 16: no link the service builds (`links.self`, `Location`, the
/// documents) names the host a client sent: they are paths under the
/// base path, which the client resolves against the URL it asked.
#[tokio::test]
async fn a_hostile_host_gets_into_no_link() {
    let dir = TempDir::new("bin-host");
    let maren = token_of(&tokens(dir.path()), "Maren Holt");
    let server = Running::start(dir.path()).await;
    let body = json!({ "title": "Hostile", "price_cents": 100 });
    let mut replies = Vec::new();
    for (method, path, token, body) in [
        (Method::GET, "/api/albums?fields=*", None, None),
        (Method::GET, "/api/albums/1", Some(maren.as_str()), None),
        (
            Method::POST,
            "/api/albums",
            Some(maren.as_str()),
            Some(&body),
        ),
        (Method::GET, "/api/openapi.json", None, None),
        (Method::GET, "/api/docs", None, None),
    ] {
        let mut request = server
            .client
            .request(method.clone(), path)
            .header("host", "evil.example")
            .bearer_opt(token);
        if let Some(body) = body {
            request = request.json(body);
        }
        let reply = request.await;
        let (status, text) = (reply.status(), reply.text());
        assert!(status.as_u16() < 300, "{method} {path}: {status} {text}");
        let head = format!("{:?}", reply.headers());
        assert!(!head.contains("evil.example"), "{method} {path}: {head}");
        assert!(!text.contains("evil.example"), "{method} {path}: {text}");
        replies.push(reply);
    }
    let location = replies[2].header("location").expect("a Location");
    assert!(location.starts_with("/api/albums/"), "{location}");
    server.kill();
}

/// Every file `serve` makes in `--data` is readable by its owner only
/// (`0600`): the database, its WAL and shared-memory files, as the tokens
/// file already was; a database an older version left `0644` is narrowed
/// when opened, with its companions.
#[cfg(unix)]
#[tokio::test]
async fn the_data_files_are_the_owners_only() {
    use licensing::store::{DATABASE_FILE, TOKENS_FILE};
    use std::os::unix::fs::PermissionsExt;

    let modes = |dir: &Path| -> Vec<(String, u32)> {
        let mut modes: Vec<(String, u32)> = std::fs::read_dir(dir)
            .expect("the data directory")
            .map(|entry| {
                let entry = entry.expect("an entry");
                let mode = entry.metadata().expect("metadata").permissions().mode();
                (
                    entry.file_name().to_string_lossy().into_owned(),
                    mode & 0o777,
                )
            })
            .collect();
        modes.sort();
        modes
    };
    let expected: Vec<(String, u32)> = [
        DATABASE_FILE.to_owned(),
        format!("{DATABASE_FILE}-shm"),
        format!("{DATABASE_FILE}-wal"),
        TOKENS_FILE.to_owned(),
    ]
    .into_iter()
    .map(|name| (name, 0o600))
    .collect();
    let dir = TempDir::new("bin-modes");
    let server = Running::start(dir.path()).await;
    assert_eq!(server.client.get("/api/albums/1").await.status(), 200);
    assert_eq!(modes(dir.path()), expected);
    // Killed, so the WAL and shared-memory files stay; widened, as an
    // older version would have left them.
    server.kill();
    for (name, _) in &expected {
        let path = dir.path().join(name);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    }
    std::fs::set_permissions(
        dir.path().join(TOKENS_FILE),
        std::fs::Permissions::from_mode(0o600),
    )
    .expect("chmod");
    let server = Running::start(dir.path()).await;
    assert_eq!(server.client.get("/api/albums/1").await.status(), 200);
    assert_eq!(modes(dir.path()), expected);
    server.kill();
}

/// The token of the seeded account named `name`.
fn token_of(list: &[Value], name: &str) -> String {
    list.iter()
        .find(|t| t["name"] == name)
        .and_then(|t| t["token"].as_str())
        .unwrap_or_else(|| panic!("no token for {name}"))
        .to_owned()
}
