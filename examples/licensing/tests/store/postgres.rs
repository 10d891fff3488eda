//! Several instances on one PostgreSQL database, each a `PgStore` with a
//! pool of its own, as separate processes behind a load balancer would
//! be: one version accepted by both yields one update, one sales month
//! sent to both is counted once, and instances starting together on an
//! empty database migrate and seed it once.
//!
//! PostgreSQL only: these need a server. They are ignored unless asked
//! for (`-- --include-ignored`), and then panic, saying what to set, if
//! `PALE_TEST_DATABASE_URL` is missing; CI sets it.

use std::sync::Arc;

use licensing::domain::statement::SalesMonth;
use licensing::store::{
    AlbumPatch, AlbumQuery, Database, IngestOutcome, PgStore, SaleFormat, SaleLine, SalesReport,
    Store, StoreError, TOKENS_FILE, Viewer, read_tokens,
};
use sqlx::Connection;
use tokio::sync::Barrier;

use crate::common::{self, TempDir, draft, live, original};

/// Requests sent at once in the races below.
const CONTENDERS: usize = 24;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs PostgreSQL: set PALE_TEST_DATABASE_URL and pass --include-ignored"]
async fn one_version_accepted_by_two_instances_updates_once() {
    let db = common::pg_database("pg-if-match").await;
    let dir = TempDir::new("pg-if-match");
    let a: Database = db.connect(dir.path(), false).await.into();
    let b: Database = db.connect(dir.path(), false).await.into();
    let artist = common::artist(&a, "Ann").await;
    let album = draft(&a, artist, "Contended").await;
    assert_eq!(album.version, 1);

    let start = Arc::new(Barrier::new(CONTENDERS));
    let tasks: Vec<_> = (0..CONTENDERS)
        .map(|i| {
            let store = if i % 2 == 0 { a.clone() } else { b.clone() };
            let start = Arc::clone(&start);
            tokio::spawn(async move {
                start.wait().await;
                let patch = AlbumPatch {
                    title: Some(format!("Take {i}")),
                    ..AlbumPatch::default()
                };
                store.update_album(album.id, 1, patch).await
            })
        })
        .collect();
    let mut winners = Vec::new();
    for task in tasks {
        match task.await.expect("task") {
            Ok(updated) => winners.push(updated),
            Err(StoreError::VersionMismatch { current }) => assert_eq!(current, 2),
            Err(other) => panic!("expected a version mismatch, got {other:?}"),
        }
    }
    assert_eq!(winners.len(), 1, "exactly one update wins: {winners:?}");
    let winner = &winners[0];
    assert_eq!(winner.version, 2);
    // Both instances read the winner's state at once: nothing is cached.
    for store in [&a, &b] {
        let now = store.get_album(album.id, Viewer::Admin).await.unwrap();
        assert_eq!(now.album, *winner);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs PostgreSQL: set PALE_TEST_DATABASE_URL and pass --include-ignored"]
async fn one_month_sent_to_two_instances_is_counted_once() {
    let db = common::pg_database("pg-ingest").await;
    let dir = TempDir::new("pg-ingest");
    let a: Database = db.connect(dir.path(), false).await.into();
    let b: Database = db.connect(dir.path(), false).await.into();
    let artist = common::artist(&a, "Ann").await;
    let album = live(&a, artist, "Selling", vec![original("One", 200)]).await;
    let month = SalesMonth::parse("2025-04").unwrap();
    let report = SalesReport {
        store: "bandcamp".into(),
        month,
        lines: (0..500)
            .map(|i| SaleLine {
                album_id: album.id,
                track_number: (i % 2 == 0).then_some(1),
                format: SaleFormat::Download,
                units: 3,
            })
            .collect(),
    };

    let start = Arc::new(Barrier::new(CONTENDERS));
    let tasks: Vec<_> = (0..CONTENDERS)
        .map(|i| {
            let store = if i % 2 == 0 { a.clone() } else { b.clone() };
            let (start, report) = (Arc::clone(&start), report.clone());
            tokio::spawn(async move {
                start.wait().await;
                store.ingest_sales(report).await
            })
        })
        .collect();
    let mut ingested = 0;
    for task in tasks {
        match task.await.expect("task").expect("no store error") {
            IngestOutcome::Ingested { lines, units } => {
                assert_eq!((lines, units), (500, 1500));
                ingested += 1;
            }
            IngestOutcome::AlreadyIngested => {}
        }
    }
    assert_eq!(ingested, 1, "the month is recorded by exactly one request");
    for store in [&a, &b] {
        let page = store.get_album(album.id, Viewer::Public).await.unwrap();
        assert_eq!(page.units_sold, 1500);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs PostgreSQL: set PALE_TEST_DATABASE_URL and pass --include-ignored"]
async fn instances_starting_together_migrate_and_seed_once() {
    // A few rounds, each on a new empty database: the race is won by
    // either instance, and both outcomes must be the same database.
    for round in 0..3 {
        let db = common::pg_database(&format!("pg-start-{round}")).await;
        let (dir_a, dir_b) = (TempDir::new("pg-start-a"), TempDir::new("pg-start-b"));
        let (config_a, config_b) = (db.config(dir_a.path()), db.config(dir_b.path()));
        let (a, b) = tokio::join!(
            tokio::spawn(async move { PgStore::connect(&config_a).await }),
            tokio::spawn(async move { PgStore::connect(&config_b).await }),
        );
        let a: Database = a.expect("task").expect("first instance starts").into();
        let b: Database = b.expect("task").expect("second instance starts").into();

        // One of them seeded, and wrote its tokens; the other did neither.
        let written: Vec<_> = [&dir_a, &dir_b]
            .into_iter()
            .filter(|dir| dir.path().join(TOKENS_FILE).exists())
            .collect();
        assert_eq!(written.len(), 1, "round {round}: one tokens file");
        let tokens = read_tokens(written[0].path()).unwrap();
        assert_eq!(tokens.len(), 3);
        for store in [&a, &b] {
            for issued in &tokens {
                let account = store.authenticate(issued.token.clone()).await.unwrap();
                assert_eq!(account.map(|a| a.role), Some(issued.role));
            }
            let all = store
                .list_albums(AlbumQuery::default(), Viewer::Admin)
                .await
                .unwrap();
            assert_eq!(all.total, 4, "round {round}: the demo, once");
        }
        let mut conn = sqlx::PgConnection::connect(&db.url).await.unwrap();
        let counts: (i64, i64, i64) = sqlx::query_as(
            "SELECT (SELECT count(*) FROM _sqlx_migrations),
                    (SELECT count(*) FROM accounts),
                    (SELECT count(*) FROM compositions)",
        )
        .fetch_one(&mut conn)
        .await
        .unwrap();
        // Each of the twelve migrations applied once.
        assert_eq!(
            counts,
            (12, 3, 6),
            "round {round}: migrations, accounts, compositions"
        );
        let _ = conn.close().await;
    }
}

#[tokio::test]
#[ignore = "needs PostgreSQL: set PALE_TEST_DATABASE_URL and pass --include-ignored"]
async fn a_database_set_up_empty_stays_empty() {
    let db = common::pg_database("pg-unseeded").await;
    let dir = TempDir::new("pg-unseeded");
    let first: Database = db.connect(dir.path(), false).await.into();
    let empty = first
        .list_albums(AlbumQuery::default(), Viewer::Admin)
        .await
        .unwrap();
    assert_eq!(empty.total, 0);
    // As on SQLite, the first start decides: a later start that would seed
    // a new database leaves this one as it is.
    let again: Database = db.connect(dir.path(), true).await.into();
    let still = again
        .list_albums(AlbumQuery::default(), Viewer::Admin)
        .await
        .unwrap();
    assert_eq!(still.total, 0);
    assert!(read_tokens(dir.path()).is_err());
    again.health().await.unwrap();
}

#[test]
fn database_urls_are_rewritten() {
    assert_eq!(
        common::postgres::with_database("postgres://u:p@localhost:5433/postgres", "t"),
        "postgres://u:p@localhost:5433/t"
    );
    assert_eq!(
        common::postgres::with_database("postgres://u@localhost?host=/run/postgresql", "t"),
        "postgres://u@localhost/t?host=/run/postgresql"
    );
}

/// The opt-in read cache (`PgConfig::read_cache`): an instance serves what
/// it kept until any instance commits a change. Its own writes show in its
/// next read; another instance's, once their notification arrives (and an
/// edit made in `psql` behind every instance's back, too).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs PostgreSQL: set PALE_TEST_DATABASE_URL and pass --include-ignored"]
async fn the_read_cache_forgets_what_any_instance_changes() {
    let db = common::pg_database("pg-read-cache").await;
    let dir = TempDir::new("pg-read-cache");
    let cached: Database = db.connect_cached(dir.path()).await.into();
    let other: Database = db.connect(dir.path(), false).await.into();
    let artist = common::artist(&cached, "Ann").await;
    let album = draft(&cached, artist, "Kept").await;

    // Its own write shows at once.
    let patch = |title: &str| AlbumPatch {
        title: Some(title.to_owned()),
        ..AlbumPatch::default()
    };
    let title = |store: Database| async move {
        store
            .get_album(album.id, Viewer::Admin)
            .await
            .expect("the album")
            .album
            .title
            .clone()
    };
    let seen = wait_for(|| title(cached.clone()), "Kept").await;
    assert_eq!(seen, "Kept");
    cached
        .update_album(album.id, 1, patch("Own"))
        .await
        .unwrap();
    assert_eq!(title(cached.clone()).await, "Own");

    // Another instance's write, and an edit in psql, show once announced.
    other
        .update_album(album.id, 2, patch("Other"))
        .await
        .unwrap();
    assert_eq!(wait_for(|| title(cached.clone()), "Other").await, "Other");
    let mut psql = sqlx::PgConnection::connect(&db.url).await.unwrap();
    sqlx::query("UPDATE albums SET title = 'Psql' WHERE id = $1")
        .bind(album.id)
        .execute(&mut psql)
        .await
        .unwrap();
    assert_eq!(wait_for(|| title(cached.clone()), "Psql").await, "Psql");
    // And once announced, it stays: the cache keeps the new page.
    for _ in 0..20 {
        assert_eq!(title(cached.clone()).await, "Psql");
    }
}

/// The read cache forgets by key: a change to album A, through another
/// instance (announced with A's id), leaves album B's page served from
/// memory on the cached instance, and A's next read there shows the
/// change; a change no notification can name (an account) forgets all.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs PostgreSQL: set PALE_TEST_DATABASE_URL and pass --include-ignored"]
async fn the_read_cache_forgets_only_the_albums_another_instance_changed() {
    let db = common::pg_database("pg-cache-keys").await;
    let dir = TempDir::new("pg-cache-keys");
    let cached: Database = db.connect_cached(dir.path()).await.into();
    let other: Database = db.connect_cached(dir.path()).await.into();
    let artist = common::artist(&other, "Ann").await;
    let a = live(&other, artist, "A", vec![original("One", 100)]).await;
    let b = live(&other, artist, "B", vec![original("Two", 100)]).await;
    served_from_memory(&cached, a.id).await;
    served_from_memory(&cached, b.id).await;

    other
        .update_album(
            a.id,
            a.version,
            AlbumPatch {
                title: Some("A, renamed".into()),
                ..AlbumPatch::default()
            },
        )
        .await
        .unwrap();
    let title = |id| {
        let store = cached.clone();
        async move { page_of(&store, id).await.album.title.clone() }
    };
    assert_eq!(wait_for(|| title(a.id), "A, renamed").await, "A, renamed");
    let hits = cached.album_cache_hits();
    assert_eq!(title(b.id).await, "B");
    assert_eq!(cached.album_cache_hits(), hits + 1, "B was read again");

    // Sales for A, through the other instance: A's units, B still kept.
    other
        .ingest_sales(SalesReport {
            store: "bandcamp".into(),
            month: SalesMonth::parse("2025-05").unwrap(),
            lines: vec![SaleLine {
                album_id: a.id,
                track_number: None,
                format: SaleFormat::Download,
                units: 4,
            }],
        })
        .await
        .unwrap();
    let units = |id| {
        let store = cached.clone();
        async move { page_of(&store, id).await.units_sold.to_string() }
    };
    assert_eq!(wait_for(|| units(a.id), "4").await, "4");
    let hits = cached.album_cache_hits();
    assert_eq!(title(b.id).await, "B");
    assert_eq!(cached.album_cache_hits(), hits + 1, "B was read again");

    // A new artist changes no album, but the notification names none:
    // everything is forgotten, and B is read again once it arrives.
    common::artist(&other, "Bo").await;
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let hits = cached.album_cache_hits();
        page_of(&cached, b.id).await;
        if cached.album_cache_hits() == hits {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "B never forgotten");
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
}

/// An instance's own patch keeps the page it read back, and its own
/// notification, when it arrives, leaves that page kept: the next read is
/// served from memory (migration 11's transaction in the payload). Before,
/// an own notification that came after the write forgot the page it had
/// just kept (4 reads of 10 went to the database here).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs PostgreSQL: set PALE_TEST_DATABASE_URL and pass --include-ignored"]
async fn the_read_cache_keeps_what_its_own_patch_wrote() {
    let db = common::pg_database("pg-own-writes").await;
    let dir = TempDir::new("pg-own-writes");
    let cached: Database = db.connect_cached(dir.path()).await.into();
    let artist = common::artist(&cached, "Ann").await;
    let album = live(&cached, artist, "Take 0", vec![original("One", 100)]).await;
    served_from_memory(&cached, album.id).await;

    let mut from_memory = 0;
    for take in 1..=10 {
        let patch = AlbumPatch {
            title: Some(format!("Take {take}")),
            ..AlbumPatch::default()
        };
        let version = album.version + take - 1;
        cached.update_album(album.id, version, patch).await.unwrap();
        // Long enough for the notification to arrive.
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        let hits = cached.album_cache_hits();
        let page = page_of(&cached, album.id).await;
        assert_eq!(page.album.title, format!("Take {take}"));
        assert_eq!(page.album.version, version + 1);
        from_memory += cached.album_cache_hits() - hits;
    }
    assert_eq!(from_memory, 10, "reads served from memory");
}

/// The public page of album `id`.
async fn page_of(store: &Database, id: i64) -> Arc<licensing::store::AlbumDetail> {
    store.get_album(id, Viewer::Public).await.expect("page")
}

/// Reads album `id` until a read is served from memory (the writes
/// before it announced), for at most 5 s.
async fn served_from_memory(store: &Database, id: i64) {
    for _ in 0..500 {
        let hits = store.album_cache_hits();
        page_of(store, id).await;
        if store.album_cache_hits() > hits {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!("album {id} never served from memory");
}

/// `read()`'s answer once it is `want`, asked every 10 ms for at most
/// 5 s (a notification's delivery), or its last answer.
async fn wait_for<F, Fut>(read: F, want: &str) -> String
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = String>,
{
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let got = read().await;
        if got == want || tokio::time::Instant::now() >= deadline {
            return got;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
}
