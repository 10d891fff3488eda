//! Fixtures: a store on the engine under test, in a temporary data
//! directory that removes itself, and builders for the records most tests
//! need.
//!
//! **Which engine.** Every test that takes its store from [`empty`] or
//! [`seeded`] runs on SQLite, in a temporary directory, unless
//! `PALE_TEST_DATABASE_URL` names a PostgreSQL server (the URL of a
//! superuser, on a throwaway cluster: `postgres://user:pass@host:port/postgres`).
//! Then the same test runs on PostgreSQL instead, in a database of its own
//! (`CREATE DATABASE` with a unique name, dropped when the fixture is).
//! One test source, two engines: run the suite once with the variable and
//! once without. Tests of one engine only say so and build their store
//! with [`sqlite_only`] or [`pg_database`].

use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};

use licensing::store::{
    Album, AlbumStatus, Database, NewAlbum, NewArtist, NewComposition, NewTrack, PgConfig, PgStore,
    SqliteStore, Store, StoreConfig, StoreError, Viewer,
};
use sqlx::Connection;
use time::Date;
use time::macros::date;

#[path = "../support/temp_dir.rs"]
mod temp_dir;
pub(crate) use temp_dir::TempDir;

/// The environment variable naming the PostgreSQL server to test against.
pub(crate) const DATABASE_URL_VAR: &str = "PALE_TEST_DATABASE_URL";

/// Connections per test store: enough for the concurrency tests, few
/// enough for many tests and a server's default `max_connections`.
const TEST_CONNECTIONS: u32 = 8;

/// A store and where it lives (dropped in this order: the store, its
/// directory, its PostgreSQL database).
pub(crate) struct Fixture {
    pub(crate) store: Database,
    pub(crate) dir: TempDir,
    pg: Option<PgDatabase>,
}

impl Fixture {
    /// Another store on the same data (the same SQLite file, or the same
    /// PostgreSQL database through a pool of its own), as a second process
    /// or instance would open it.
    pub(crate) async fn open_another(&self, seed: bool) -> Database {
        match &self.pg {
            None => open_sqlite(self.dir.path(), seed).into(),
            Some(pg) => pg.connect(self.dir.path(), seed).await.into(),
        }
    }
}

/// The PostgreSQL server to test against, if one is configured.
pub(crate) fn database_url() -> Option<String> {
    std::env::var(DATABASE_URL_VAR)
        .ok()
        .filter(|url| !url.trim().is_empty())
}

/// An empty, unseeded store on the engine under test.
pub(crate) async fn empty(label: &str) -> Fixture {
    open(label, false).await
}

/// A store with the demo catalogue, on the engine under test.
pub(crate) async fn seeded(label: &str) -> Fixture {
    open(label, true).await
}

async fn open(label: &str, seed: bool) -> Fixture {
    let dir = TempDir::new(label);
    match database_url() {
        None => Fixture {
            store: open_sqlite(dir.path(), seed).into(),
            dir,
            pg: None,
        },
        Some(url) => {
            let pg = PgDatabase::create(&url, label).await;
            Fixture {
                store: pg.connect(dir.path(), seed).await.into(),
                dir,
                pg: Some(pg),
            }
        }
    }
}

fn open_sqlite(dir: &Path, seed: bool) -> SqliteStore {
    SqliteStore::open(&StoreConfig::new(dir).seed(seed)).expect("open SQLite")
}

/// A SQLite store, whatever engine is under test: for the tests of what
/// only SQLite has (its read cache, its file).
pub(crate) fn sqlite_only(label: &str, seed: bool) -> (SqliteStore, TempDir) {
    let dir = TempDir::new(label);
    (open_sqlite(dir.path(), seed), dir)
}

/// A new, empty PostgreSQL database for a PostgreSQL-only test; panics,
/// saying what to set, without a server to create it on.
pub(crate) async fn pg_database(label: &str) -> PgDatabase {
    let url = database_url().unwrap_or_else(|| {
        panic!(
            "this test needs PostgreSQL: set {DATABASE_URL_VAR} to a superuser URL of a \
             throwaway cluster (postgres://user:pass@host:port/postgres)"
        )
    });
    PgDatabase::create(&url, label).await
}

/// A database of one test on the PostgreSQL server under test, dropped
/// (on a best-effort basis) when this is.
pub(crate) struct PgDatabase {
    admin_url: String,
    name: String,
    /// The URL of the test's database.
    pub(crate) url: String,
}

impl PgDatabase {
    async fn create(admin_url: &str, label: &str) -> Self {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let label: String = label
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .take(24)
            .collect();
        let name = format!(
            "pale_{label}_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let mut admin = sqlx::PgConnection::connect(admin_url)
            .await
            .unwrap_or_else(|e| panic!("connecting to {DATABASE_URL_VAR}: {e}"));
        // A database left by an earlier run of this process id goes first.
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            r#"DROP DATABASE IF EXISTS "{name}" WITH (FORCE)"#
        )))
        .execute(&mut admin)
        .await
        .expect("drop a leftover test database");
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!(r#"CREATE DATABASE "{name}""#)))
            .execute(&mut admin)
            .await
            .expect("create the test database");
        let _ = admin.close().await;
        Self {
            url: with_database(admin_url, &name),
            admin_url: admin_url.to_owned(),
            name,
        }
    }

    /// A store on this database, its tokens file (if it seeds) in `dir`.
    pub(crate) async fn connect(&self, dir: &Path, seed: bool) -> PgStore {
        PgStore::connect(&self.config(dir).seed(seed))
            .await
            .expect("connect to PostgreSQL")
    }

    /// The configuration of a store on this database.
    pub(crate) fn config(&self, dir: &Path) -> PgConfig {
        PgConfig::new(&self.url, dir).max_connections(TEST_CONNECTIONS)
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        // `Drop` cannot await, and may run on a runtime's thread: drop the
        // database from a thread with a runtime of its own. `WITH (FORCE)`
        // ends the test's pooled connections.
        let (url, name) = (self.admin_url.clone(), self.name.clone());
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            runtime.block_on(async {
                let mut admin = sqlx::PgConnection::connect(&url).await.ok()?;
                sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                    r#"DROP DATABASE IF EXISTS "{name}" WITH (FORCE)"#
                )))
                .execute(&mut admin)
                .await
                .ok()?;
                admin.close().await.ok()
            })
        })
        .join();
        if !matches!(dropped, Ok(Some(()))) {
            eprintln!("note: test database {} was left behind", self.name);
        }
    }
}

/// `url` with its database (the path) replaced by `name`, its parameters
/// kept.
fn with_database(url: &str, name: &str) -> String {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let (base, query) = match url[after_scheme..].find('?') {
        Some(i) => url.split_at(after_scheme + i),
        None => (url, ""),
    };
    let authority_end = base[after_scheme..]
        .find('/')
        .map_or(base.len(), |i| after_scheme + i);
    format!("{}/{name}{query}", &base[..authority_end])
}

#[test]
fn database_urls_are_rewritten() {
    assert_eq!(
        with_database("postgres://u:p@localhost:5433/postgres", "t"),
        "postgres://u:p@localhost:5433/t"
    );
    assert_eq!(
        with_database("postgres://u@localhost?host=/run/postgresql", "t"),
        "postgres://u@localhost/t?host=/run/postgresql"
    );
}

/// Checks what each engine can check of its storage after a test: SQLite
/// its file's integrity. PostgreSQL has no file of ours to check; its
/// constraints were checked on every write.
pub(crate) async fn assert_sound(store: &Database) {
    match store {
        Database::Sqlite(sqlite) => assert_eq!(sqlite.integrity_check().await.unwrap(), "ok"),
        Database::Postgres(pg) => pg.health().await.expect("PostgreSQL answers"),
        other => panic!("no soundness check for {}", other.engine()),
    }
}

pub(crate) const TODAY: Date = date!(2025 - 06 - 15);

pub(crate) async fn artist(store: &Database, name: &str) -> i64 {
    store
        .create_artist(NewArtist {
            name: name.to_owned(),
            email: format!("{}@example.com", name.to_lowercase().replace(' ', ".")),
            ..NewArtist::default()
        })
        .await
        .expect("create artist")
        .id
}

pub(crate) async fn composition(
    store: &Database,
    title: &str,
    released: bool,
    publishers: &[(&str, u32)],
) -> i64 {
    store
        .create_composition(NewComposition {
            title: title.to_owned(),
            iswc: None,
            writers: vec![format!("Writer of {title}")],
            released,
            publishers: publishers
                .iter()
                .map(|(name, share)| ((*name).to_owned(), *share))
                .collect(),
        })
        .await
        .expect("create composition")
        .id
}

pub(crate) async fn draft(store: &Database, artist_id: i64, title: &str) -> Album {
    store
        .create_album(NewAlbum {
            artist_id,
            title: title.to_owned(),
            price_cents: 900,
            ..NewAlbum::default()
        })
        .await
        .expect("create album")
}

pub(crate) fn original(title: &str, duration_s: u32) -> NewTrack {
    NewTrack {
        title: title.to_owned(),
        duration_s,
        ..NewTrack::default()
    }
}

pub(crate) fn cover(title: &str, duration_s: u32, composition_id: i64) -> NewTrack {
    NewTrack {
        cover_of: Some(composition_id),
        ..original(title, duration_s)
    }
}

/// An album taken all the way to live: tracks added, submitted, every
/// license activated, published.
pub(crate) async fn live(
    store: &Database,
    artist_id: i64,
    title: &str,
    tracks: Vec<NewTrack>,
) -> Album {
    let album = draft(store, artist_id, title).await;
    for track in tracks {
        store.add_track(album.id, track).await.expect("add track");
    }
    let detail = store.submit_album(album.id, TODAY).await.expect("submit");
    for license in detail.licenses {
        store.activate_license(license.id).await.expect("activate");
    }
    let album = store.publish_album(album.id).await.expect("publish");
    assert_eq!(album.status, AlbumStatus::Live);
    album
}

/// Asserts an `Invalid` error at `field`.
#[track_caller]
pub(crate) fn assert_invalid<T: std::fmt::Debug>(result: Result<T, StoreError>, field: &str) {
    match result {
        Err(StoreError::Invalid { field: f, .. }) => assert_eq!(f, field),
        other => panic!("expected invalid {field}, got {other:?}"),
    }
}

/// The titles of the albums `viewer` sees, in the default order.
pub(crate) async fn visible_titles(store: &Database, viewer: Viewer) -> Vec<String> {
    store
        .list_albums(licensing::store::AlbumQuery::default(), viewer)
        .await
        .expect("list")
        .items
        .into_iter()
        .map(|a| a.title)
        .collect()
}
