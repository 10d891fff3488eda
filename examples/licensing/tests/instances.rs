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

use std::io::Write;
use std::net::TcpStream;
use std::sync::Barrier;
use std::time::Duration;

use serde_json::{Value, json};

use common::{PgDatabase, TempDir, Tokens, pg_database};

#[path = "support/running.rs"]
mod running;
use running::{Running, request, tokens_with};

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
        let all = std::thread::scope(|scope| {
            let started: Vec<_> = (0..count)
                .map(|_| {
                    let (dir, url) = (dir.path(), url.as_str());
                    scope.spawn(move || {
                        Running::start_with(dir, &["--database", url, "--pool-size", "8"])
                    })
                })
                .collect();
            started
                .into_iter()
                .map(|t| t.join().expect("an instance starts"))
                .collect()
        });
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
        let (_, etag) = set.all[0].album(1, maren);
        for other in &set.all {
            assert_eq!(other.album(1, maren).1, etag, "round {round}");
        }
        let writer = &set.all[round % set.all.len()];
        let title = format!("Round {round}");
        let (status, new_etag) = writer.patch_title(1, maren, &etag, &title);
        assert_eq!(status, 200, "round {round}");
        let new_etag = new_etag.expect("a new ETag");
        for reader in &set.all {
            assert_eq!(
                reader.album(1, maren),
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
    let (_, etag) = set.all[0].album(1, &maren);
    let start = Barrier::new(WRITERS);
    let outcomes: Vec<(String, u16, Option<String>)> = std::thread::scope(|scope| {
        let tasks: Vec<_> = (0..WRITERS)
            .map(|i| {
                let (instance, start, etag, maren) =
                    (&set.all[i % set.all.len()], &start, &etag, &maren);
                scope.spawn(move || {
                    let title = format!("Writer {i}");
                    start.wait();
                    let (status, new_etag) = instance.patch_title(1, maren, etag, &title);
                    (title, status, new_etag)
                })
            })
            .collect();
        tasks
            .into_iter()
            .map(|t| t.join().expect("a writer"))
            .collect()
    });
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
            instance.album(1, &maren),
            (title.clone(), winner_etag.clone().expect("an ETag"))
        );
    }
}

/// A sales report for `month`: `lines` downloads of album 1, one each.
fn report(store: &str, month: &str, lines: usize) -> String {
    let lines: Vec<Value> = (0..lines)
        .map(|_| json!({"album_id": 1, "format": "download", "units": 1}))
        .collect();
    json!({"store": store, "month": month, "lines": lines}).to_string()
}

/// The units of `month` that album 1's statement counts for Hallelujah
/// (composition 1), as `instance` serves it.
fn units_in(instance: &Running, admin: &str, month: &str) -> u64 {
    let (status, body) = instance.http(
        "GET",
        &format!("/api/albums/1/statements/{month}"),
        Some(admin),
    );
    assert_eq!(status, 200, "{body}");
    let statement: Value = serde_json::from_str(&body).expect("JSON");
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
        let start = Barrier::new(2);
        let answers: Vec<Value> = std::thread::scope(|scope| {
            let posts: Vec<_> = set.all[..2]
                .iter()
                .map(|instance| {
                    let (start, body, admin) = (&start, &body, &admin);
                    scope.spawn(move || {
                        start.wait();
                        let (status, reply) = instance
                            .try_http("POST", "/api/admin/sales", Some(admin), Some(body))
                            .expect("an answer");
                        assert_eq!(status, 200, "{reply}");
                        serde_json::from_str::<Value>(&reply).expect("JSON")
                    })
                })
                .collect();
            posts
                .into_iter()
                .map(|p| p.join().expect("a post"))
                .collect()
        });
        let ingested = answers.iter().filter(|a| a["ingested"] == true).count();
        assert_eq!(ingested, 1, "{month}: {answers:?}");
        for instance in &set.all {
            assert_eq!(units_in(instance, &admin, &month), 500, "{month}");
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
        let mut stream = TcpStream::connect(("127.0.0.1", victim.port)).expect("a connection");
        stream
            .write_all(request("POST", "/api/admin/sales", Some(&admin), Some(&body)).as_bytes())
            .expect("the report is sent");
        std::thread::sleep(Duration::from_millis(delay_ms));
        victim.kill();
        drop(stream);

        // The others serve on, and agree: the month is whole or absent.
        let units = units_in(&set.all[0], &admin, &month);
        assert!(
            units == 0 || units == LINES as u64,
            "{month}: {units} of {LINES} units survived the kill"
        );
        assert_eq!(units_in(&set.all[1], &admin, &month), units);
        outcomes.push(units);

        // Sent again through a survivor: counted only if it was absent.
        let (status, reply) = set.all[1]
            .try_http("POST", "/api/admin/sales", Some(&admin), Some(&body))
            .expect("an answer");
        assert_eq!(status, 200, "{reply}");
        let reply: Value = serde_json::from_str(&reply).expect("JSON");
        assert_eq!(reply["ingested"], units == 0, "{month}: {reply}");
        assert_eq!(units_in(&set.all[0], &admin, &month), LINES as u64);

        // A replacement joins (migrations and seed already done).
        set.all.push(Running::start_with(
            set.dir.path(),
            &["--database", &set.db.url, "--pool-size", "8"],
        ));
    }
    eprintln!("units present after each kill: {outcomes:?}");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs PostgreSQL: set PALE_TEST_DATABASE_URL and pass --include-ignored"]
async fn a_rate_limit_is_one_budget_across_the_instances() {
    let set = Instances::start("rate-limit", 3).await;
    let path = "/api/compositions/match?title=Hallelujah";
    let started = std::time::Instant::now();
    let statuses: Vec<u16> = (0..70)
        .map(|i| set.all[i % set.all.len()].http("GET", path, None).0)
        .collect();
    // Sixty a minute: the budget refills one call a second.
    let refilled = started.elapsed().as_secs() as usize + 1;
    assert_eq!(statuses[..60], [200; 60], "{statuses:?}");
    let allowed = statuses.iter().filter(|s| **s == 200).count();
    assert!(allowed <= 60 + refilled, "{allowed} allowed: {statuses:?}");
    assert!(statuses[60..].contains(&429), "{statuses:?}");
}
