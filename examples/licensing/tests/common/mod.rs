//! What every test of the API needs: a seeded store in a temporary
//! directory of its own (or a PostgreSQL database of its own), the seeded
//! tokens and albums, and a client of the API on that store
//! (`pale::test`, in process). Domain set-up only: requests and answers
//! are the test client's.

// Each test file uses some of these helpers, never all of them.
#![allow(dead_code)]

use std::path::Path;

use licensing::api::{Licensing, api};
use licensing::store::{
    AlbumQuery, Database, IssuedToken, Role, SqliteStore, Store, StoreConfig, Viewer, read_tokens,
};
use pale::test::TestClient;
use serde_json::Value;

#[path = "../support/temp_dir.rs"]
mod temp_dir;
pub(crate) use temp_dir::TempDir;

#[path = "../support/postgres.rs"]
mod postgres;
// `pg_database` is for the harnesses that need PostgreSQL (instances.rs).
#[allow(unused_imports)]
pub(crate) use postgres::{PgDatabase, database_url, pg_database};

/// The seeded accounts' tokens.
#[derive(Clone, Debug)]
pub(crate) struct Tokens {
    pub(crate) admin: String,
    /// Maren Holt (artist 1 of the seed): owns "Borrowed Light" (live) and
    /// "Lantern Songs" (draft).
    pub(crate) maren: String,
    pub(crate) maren_id: i64,
    /// The Quiet Harbors: own "Old Songs, New Rooms" (live) and "Changed
    /// Words" (submitted).
    pub(crate) harbors: String,
    pub(crate) harbors_id: i64,
}

impl Tokens {
    pub(crate) fn from_issued(issued: &[IssuedToken]) -> Self {
        let find = |pred: &dyn Fn(&IssuedToken) -> bool| {
            issued
                .iter()
                .find(|t| pred(t))
                .cloned()
                .expect("a seeded account")
        };
        let admin = find(&|t| t.role == Role::Admin);
        let maren = find(&|t| t.name == "Maren Holt");
        let harbors = find(&|t| t.name == "The Quiet Harbors");
        Self {
            admin: admin.token,
            maren: maren.token,
            maren_id: maren.artist_id.expect("an artist"),
            harbors: harbors.token,
            harbors_id: harbors.artist_id.expect("an artist"),
        }
    }
}

/// The seeded albums' ids.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Albums {
    /// Maren's live album (with the 5:01 "Landslide").
    pub(crate) borrowed_light: i64,
    /// Maren's draft.
    pub(crate) lantern_songs: i64,
    /// The Quiet Harbors' live album.
    pub(crate) old_songs: i64,
    /// The Quiet Harbors' submitted album (licenses need negotiation).
    pub(crate) changed_words: i64,
}

/// A seeded store and a client of the API on it.
pub(crate) struct Seeded {
    /// A client of the API, in process; paths include the base path
    /// (`/api/albums`).
    pub(crate) client: TestClient<Licensing>,
    pub(crate) store: Database,
    pub(crate) tokens: Tokens,
    pub(crate) albums: Albums,
    // Dropped last: the directory and the database go once the client
    // (and the API in it) is done with them.
    dir: TempDir,
    _pg: Option<PgDatabase>,
}

impl Seeded {
    /// A fresh seeded store and a client of the API on it: on SQLite in a
    /// temporary directory, or on a PostgreSQL database of its own when
    /// the run names a server (`PALE_TEST_DATABASE_URL`), so the whole
    /// suite runs on either.
    pub(crate) async fn start(label: &str) -> Self {
        let dir = TempDir::new(label);
        let (store, pg) = match database_url() {
            None => {
                let config = StoreConfig::new(dir.path());
                let store = tokio::task::spawn_blocking(move || SqliteStore::open(&config))
                    .await
                    .expect("open does not panic")
                    .expect("open a seeded store");
                (Database::from(store), None)
            }
            Some(url) => {
                let pg = PgDatabase::create(&url, label).await;
                (Database::from(pg.connect(dir.path(), true).await), Some(pg))
            }
        };
        let tokens = Tokens::from_issued(&read_tokens(dir.path()).expect("the tokens file"));
        let api = api(Licensing::new(store.clone())).expect("the API builds");
        let client = TestClient::new(api).with_base("");
        let albums = find_albums(&store).await;
        Self {
            client,
            store,
            tokens,
            albums,
            dir,
            _pg: pg,
        }
    }

    /// The data directory.
    pub(crate) fn data_dir(&self) -> &Path {
        self.dir.path()
    }
}

/// The seeded albums' ids, as the store lists them to an admin.
async fn find_albums(store: &Database) -> Albums {
    let query = AlbumQuery {
        per_page: 100,
        ..AlbumQuery::default()
    };
    let page = store.list_albums(query, Viewer::Admin).await;
    let items = page.expect("the seeded albums").items;
    let id = |title: &str| {
        items
            .iter()
            .find(|a| a.title == title)
            .unwrap_or_else(|| panic!("the seed has {title}"))
            .id
    };
    Albums {
        borrowed_light: id("Borrowed Light"),
        lantern_songs: id("Lantern Songs"),
        old_songs: id("Old Songs, New Rooms"),
        changed_words: id("Changed Words"),
    }
}

/// The sorted keys of a JSON object.
pub(crate) fn keys(value: &Value) -> Vec<String> {
    let mut keys: Vec<String> = value
        .as_object()
        .unwrap_or_else(|| panic!("an object: {value}"))
        .keys()
        .cloned()
        .collect();
    keys.sort();
    keys
}

/// `names`, sorted, as owned strings.
pub(crate) fn sorted(names: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
    names.sort();
    names
}

/// The album version an `ETag` names: `"v10"`, or a representation's
/// `"v10.<hash>"`.
pub(crate) fn version(etag: &str) -> i64 {
    etag.trim_matches('"')
        .split('.')
        .next()
        .and_then(|resource| resource.strip_prefix('v'))
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("a versioned ETag: {etag}"))
}
