//! Several `licensing serve` processes on one PostgreSQL database, as
//! behind a load balancer: one truth, whichever instance answers.
//!
//! - a write through one instance is what the others serve at once;
//! - fifty PATCHes with one `ETag`, spread over the instances, make exactly
//!   one change (the rest are 412), and the album is the winner's;
//! - a sales report posted to two instances at once is counted once;
//! - an instance killed with SIGKILL in the middle of a 10,000-line report
//!   leaves the month all or nothing, and the others go on serving.
//!
//! The three instances start at once on an empty database, so migrations
//! and the demo seed also run concurrently (and must happen once).
//! These tests need a PostgreSQL cluster (`PALE_TEST_DATABASE_URL`; CI
//! starts one); without it they are reported as ignored, with the reason.

mod common;

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::sync::Barrier;
use tokio::task::JoinSet;

use common::{PgDatabase, TempDir, Tokens, pg_database};

#[path = "support/running.rs"]
mod running;
use running::{Running, tokens_with};

/// Instances on one database, and the seeded accounts' tokens.
struct Instances {
    all: Vec<Running>,
    tokens: Tokens,
    // Dropped last, once the instances are gone: the tokens file lives in
    // the directory, the data in the database.
    dir: TempDir,
    db: PgDatabase,
}

impl Instances {
    /// `count` instances started at once on a new, empty database.
    async fn start(label: &str, count: usize) -> Self {
        let db = pg_database(label).await;
        let url = db.url.clone();
        let dir = TempDir::new(label);
        // All started before any is waited for: they migrate and seed at
        // once.
        let all: Vec<Running> = (0..count)
            .map(|_| Running::spawn(dir.path(), &["--database", &url, "--pool-size", "8"]))
            .collect();
        for instance in &all {
            instance.ready().await;
        }
        let issued = tokens_with(dir.path(), &["--database", &url]);
        let issued: Vec<licensing::store::IssuedToken> =
            serde_json::from_value(Value::Array(issued)).expect("tokens");
        Self {
            all,
            tokens: Tokens::from_issued(&issued),
            dir,
            db,
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs PostgreSQL: set PALE_TEST_DATABASE_URL and pass --include-ignored"]
async fn a_write_through_one_instance_is_read_through_the_others_at_once() {
    let set = Instances::start("read-back", 3).await;
    let maren = &set.tokens.maren;
    for round in 0..6 {
        // Every instance has read (and may keep) the current album.
        let (_, etag) = set.all[0].album(1, maren).await;
        for other in &set.all {
            assert_eq!(other.album(1, maren).await.1, etag, "round {round}");
        }
        let writer = &set.all[round % set.all.len()];
        let title = format!("Round {round}");
        let (status, new_etag) = writer.patch_title(1, maren, &etag, &title).await;
        assert_eq!(status, 200, "round {round}");
        let new_etag = new_etag.expect("a new ETag");
        for reader in &set.all {
            assert_eq!(
                reader.album(1, maren).await,
                (title.clone(), new_etag.clone()),
                "round {round}: an instance served a stale album"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs PostgreSQL: set PALE_TEST_DATABASE_URL and pass --include-ignored"]
async fn fifty_patches_with_one_etag_make_exactly_one_change() {
    const WRITERS: usize = 50;
    let set = Instances::start("one-etag", 3).await;
    let maren = set.tokens.maren.clone();
    let (_, etag) = set.all[0].album(1, &maren).await;
    let start = Arc::new(Barrier::new(WRITERS));
    let mut writers = JoinSet::new();
    for i in 0..WRITERS {
        let client = set.all[i % set.all.len()].client.clone();
        let (start, etag, maren) = (Arc::clone(&start), etag.clone(), maren.clone());
        writers.spawn(async move {
            let title = format!("Writer {i}");
            start.wait().await;
            let reply = client
                .patch("/api/albums/1")
                .bearer(&maren)
                .if_match(&etag)
                .merge_patch(&json!({ "title": title }))
                .await;
            let new_etag = reply.header("etag").map(str::to_owned);
            (title, reply.status().as_u16(), new_etag)
        });
    }
    let outcomes: Vec<(String, u16, Option<String>)> = writers.join_all().await;
    let winners: Vec<_> = outcomes.iter().filter(|(_, s, _)| *s == 200).collect();
    let others: Vec<u16> = outcomes
        .iter()
        .map(|(_, s, _)| *s)
        .filter(|s| *s != 200)
        .collect();
    assert_eq!(winners.len(), 1, "{outcomes:?}");
    assert!(others.iter().all(|s| *s == 412), "{others:?}");
    let (title, _, winner_etag) = winners[0];
    for instance in &set.all {
        assert_eq!(
            instance.album(1, &maren).await,
            (title.clone(), winner_etag.clone().expect("an ETag"))
        );
    }
}

/// A sales report for `month`: `lines` downloads of album 1, one each.
fn report(store: &str, month: &str, lines: usize) -> Value {
    let lines: Vec<Value> = (0..lines)
        .map(|_| json!({"album_id": 1, "format": "download", "units": 1}))
        .collect();
    json!({"store": store, "month": month, "lines": lines})
}

/// The units of `month` that album 1's statement counts for Hallelujah
/// (composition 1), as `instance` serves it.
async fn units_in(instance: &Running, admin: &str, month: &str) -> u64 {
    let reply = instance
        .client
        .get(format!("/api/albums/1/statements/{month}"))
        .bearer(admin)
        .await;
    assert_eq!(reply.status(), 200, "{}", reply.text());
    let statement: Value = reply.json();
    statement["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .find(|l| l["composition_id"] == 1)
        .map_or(0, |l| l["units"].as_u64().expect("units"))
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs PostgreSQL: set PALE_TEST_DATABASE_URL and pass --include-ignored"]
async fn a_report_posted_to_two_instances_at_once_counts_once() {
    let set = Instances::start("report-twice", 3).await;
    let admin = set.tokens.admin.clone();
    for round in 0..5 {
        let month = format!("2026-{:02}", round + 6);
        let body = report("twice", &month, 500);
        let start = Arc::new(Barrier::new(2));
        let mut posts = JoinSet::new();
        for instance in &set.all[..2] {
            let client = instance.client.clone();
            let (start, body, admin) = (Arc::clone(&start), body.clone(), admin.clone());
            posts.spawn(async move {
                start.wait().await;
                let post = client.post("/api/admin/sales").bearer(&admin);
                let reply = post.json(&body).await;
                assert_eq!(reply.status(), 200, "{}", reply.text());
                reply.json::<Value>()
            });
        }
        let answers: Vec<Value> = posts.join_all().await;
        let ingested = answers.iter().filter(|a| a["ingested"] == true).count();
        assert_eq!(ingested, 1, "{month}: {answers:?}");
        for instance in &set.all {
            assert_eq!(units_in(instance, &admin, &month).await, 500, "{month}");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs PostgreSQL: set PALE_TEST_DATABASE_URL and pass --include-ignored"]
async fn a_kill_during_ingest_leaves_all_or_nothing_and_the_others_serving() {
    const LINES: usize = 10_000;
    let mut set = Instances::start("kill", 3).await;
    let admin = set.tokens.admin.clone();
    let mut outcomes = Vec::new();
    for (i, delay_ms) in [0u64, 2, 10, 40, 150].into_iter().enumerate() {
        let month = format!("2026-{:02}", i + 6);
        let body = report("kill-test", &month, LINES);
        let victim = set.all.remove(0);
        let (client, admin_token, sent) = (victim.client.clone(), admin.clone(), body.clone());
        let sending = tokio::spawn(async move {
            let post = client.post("/api/admin/sales").bearer(admin_token);
            post.json(&sent).try_send().await
        });
        tokio::time::sleep(Duration::from_millis(delay_ms)).await;
        victim.kill();
        // Answered before the kill or cut by it: the store says which.
        let _ = sending.await.expect("the request task does not panic");

        // The others serve on, and agree: the month is whole or absent.
        let units = units_in(&set.all[0], &admin, &month).await;
        assert!(
            units == 0 || units == LINES as u64,
            "{month}: {units} of {LINES} units survived the kill"
        );
        assert_eq!(units_in(&set.all[1], &admin, &month).await, units);
        outcomes.push(units);

        // Sent again through a survivor: counted only if it was absent.
        let reply = set.all[1]
            .client
            .post("/api/admin/sales")
            .bearer(&admin)
            .json(&body)
            .await;
        assert_eq!(reply.status(), 200, "{}", reply.text());
        let reply: Value = reply.json();
        assert_eq!(reply["ingested"], units == 0, "{month}: {reply}");
        assert_eq!(units_in(&set.all[0], &admin, &month).await, LINES as u64);

        // A replacement joins (migrations and seed already done).
        set.all.push(
            Running::start_with(
                set.dir.path(),
                &["--database", &set.db.url, "--pool-size", "8"],
            )
            .await,
        );
    }
    eprintln!("units present after each kill: {outcomes:?}");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs PostgreSQL: set PALE_TEST_DATABASE_URL and pass --include-ignored"]
async fn a_rate_limit_is_one_budget_across_the_instances() {
    let set = Instances::start("rate-limit", 3).await;
    let path = "/api/compositions/match?title=Hallelujah";
    let started = std::time::Instant::now();
    let mut statuses: Vec<u16> = Vec::new();
    for i in 0..70 {
        let instance = &set.all[i % set.all.len()];
        statuses.push(instance.client.get(path).await.status().as_u16());
    }
    // Sixty a minute: the budget refills one call a second.
    let refilled = started.elapsed().as_secs() as usize + 1;
    assert_eq!(statuses[..60], [200; 60], "{statuses:?}");
    let allowed = statuses.iter().filter(|s| **s == 200).count();
    assert!(allowed <= 60 + refilled, "{allowed} allowed: {statuses:?}");
    assert!(statuses[60..].contains(&429), "{statuses:?}");
}
