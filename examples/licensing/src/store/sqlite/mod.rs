//! The SQLite engine: a [`Store`] over one database file in a data
//! directory.
//!
//! Opening creates the directory and the file, applies pending migrations
//! (`schema`) and, for a new database, seeds the demo (`demo`), all before
//! the first request. Each operation then runs on Tokio's blocking pool
//! (`spawn_blocking`): SQLite calls block on disk and on the write lock,
//! and must not stall an executor thread. Connections are pooled as
//! `pool` describes: one writer, several readers. Album pages and token
//! lookups are kept in memory until a write changes them
//! (`store::read_cache`): each write names what it changed (the album it
//! wrote, or everything), so the most read page costs no query and no
//! trip to the blocking pool, and a write to one album leaves the others'
//! pages kept. A write by another process on the same file forgets
//! everything, so two processes on one data directory never serve each
//! other's stale pages. A patch of an album reads the new page in its own
//! transaction and keeps it (`update_album`), so the answer it renders,
//! and the next read, cost no second trip.
//!
//! Operations are grouped by what they touch, one file each: `catalog`
//! (artists, compositions, matching), `albums`, `tracks`, `licensing`
//! (submit, activate, publish), `page` (the album page), `sales` (ingest,
//! statements), `accounts`; below them, the rows they share
//! (`album_rows`, `license_rows`), so no two files need each other. Each
//! is a plain function over a connection, so the seed runs them in its
//! transaction and a test can read them without an executor.

use std::hash::Hash;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use time::Date;

use super::{
    Account, Album, AlbumDetail, AlbumPatch, AlbumQuery, Artist, Candidate, Composition,
    CompositionQuery, IngestOutcome, License, MatchQuery, NewAlbum, NewArtist, NewComposition,
    NewTrack, Page, Result, SalesReport, Statement, Store, StoreError, TotalsCheck, Track,
    TrackPatch, Viewer,
};
use crate::domain::statement::SalesMonth;

mod accounts;
mod album_rows;
mod albums;
mod catalog;
mod demo;
mod durability;
mod files;
mod license_rows;
mod licensing;
mod page;
mod pool;
mod row;
mod sales;
mod schema;
mod tracks;
mod verify;

use super::read_cache::{Changed, ReadCache, in_order, missing};
use durability::Durability;
use pool::Pool;

/// The database file's name in the data directory.
pub const DATABASE_FILE: &str = "licensing.db";

/// How to open a [`SqliteStore`].
#[derive(Clone, Debug)]
pub struct StoreConfig {
    /// The directory holding the database and the tokens file.
    pub data_dir: PathBuf,
    /// Read connections (at least one).
    pub readers: usize,
    /// How long a connection waits for a lock held by another process.
    pub busy_timeout: Duration,
    /// Whether a new database gets the demo catalogue.
    pub seed: bool,
}

impl StoreConfig {
    /// Four readers, a five-second busy timeout, the demo seeded.
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        Self {
            data_dir: data_dir.into(),
            readers: 4,
            busy_timeout: Duration::from_secs(5),
            seed: true,
        }
    }

    /// Sets the number of read connections.
    #[must_use]
    pub fn readers(mut self, readers: usize) -> Self {
        self.readers = readers;
        self
    }

    /// Sets whether a new database is seeded.
    #[must_use]
    pub fn seed(mut self, seed: bool) -> Self {
        self.seed = seed;
        self
    }
}

/// The reads kept between writes (see `store::read_cache`).
#[derive(Debug, Default)]
struct Cached {
    /// Album pages, whoever may see them.
    albums: ReadCache<i64, Arc<AlbumDetail>>,
    /// Accounts by token digest, and digests of no account.
    accounts: ReadCache<[u8; 32], Option<Account>>,
}

impl Cached {
    /// Forgets what write number `generation` changed.
    fn forget(&self, changed: &Changed, generation: u64) {
        self.albums.forget(changed.albums(), generation);
        self.accounts.forget(changed.accounts(), generation);
    }
}

/// The licensing store on SQLite. Cloning is cheap: clones share the pool.
#[derive(Clone, Debug)]
pub struct SqliteStore {
    pool: Arc<Pool>,
    cached: Arc<Cached>,
    path: PathBuf,
}

impl SqliteStore {
    /// Opens the database in `config.data_dir`, creating, migrating and
    /// seeding it as needed. This blocks (on disk, and on other processes'
    /// locks): call it before serving, or inside `spawn_blocking`.
    pub fn open(config: &StoreConfig) -> Result<Self> {
        std::fs::create_dir_all(&config.data_dir)?;
        let path = config.data_dir.join(DATABASE_FILE);
        files::make_private(&path)?;
        let mut writer = pool::connect(&path, config.busy_timeout, false)?;
        schema::migrate(&mut writer, |tx| {
            if config.seed {
                demo::seed(tx, &config.data_dir)
            } else {
                Ok(())
            }
        })?;
        let readers = (0..config.readers.max(1))
            .map(|_| pool::connect(&path, config.busy_timeout, true))
            .collect::<Result<_>>()?;
        let watcher = pool::connect(&path, config.busy_timeout, true)?;
        let flusher = pool::connect(&path, config.busy_timeout, false)?;
        Ok(Self {
            pool: Arc::new(Pool::new(&path, writer, readers, watcher, flusher)?),
            cached: Arc::default(),
            path,
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Forgets every read kept in memory. Commits from outside the store
    /// (another process, another connection) are noticed by themselves;
    /// this is for a caller that wants the cache empty now.
    pub fn forget_cached(&self) {
        self.cached.forget(&Changed::All, self.pool.count_write());
    }

    /// How many album pages were served from memory since the store
    /// opened (with [`SqliteStore::forget_cached`], what a test asks to
    /// tell a kept page from one read again).
    pub fn album_cache_hits(&self) -> u64 {
        self.cached.albums.hits()
    }

    /// Whether the database answers a query (for health checks).
    pub async fn health(&self) -> Result<()> {
        self.read(|conn| Ok(conn.query_row("SELECT 1", [], |_| Ok(()))?))
            .await
    }

    /// SQLite's `PRAGMA integrity_check`: `"ok"` for a sound database.
    pub async fn integrity_check(&self) -> Result<String> {
        self.read(|conn| {
            let mut stmt = conn.prepare("PRAGMA integrity_check")?;
            let problems = stmt
                .query_map([], |row| row.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(problems.join("\n"))
        })
        .await
    }

    /// Compares the kept sales totals with a recomputation from every
    /// sales line (`licensing check`); reads the whole `sales` table.
    pub async fn verify_totals(&self) -> Result<TotalsCheck> {
        self.read(verify::verify_totals).await
    }

    /// Runs `f` on a read connection, on the blocking pool.
    async fn read<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&rusqlite::Connection) -> Result<T> + Send + 'static,
    {
        let pool = Arc::clone(&self.pool);
        blocking(move || pool.read(|tx| f(tx))).await
    }

    /// Counts and forgets commits from outside the pool (another process,
    /// the `sqlite3` shell): everything kept goes.
    fn notice_outside_writes(&self) -> Result<()> {
        self.pool
            .notice_outside_writes(|generation| self.cached.forget(&Changed::All, generation))
    }

    /// `f`'s answer for `key`: from `cache` if no write has changed it
    /// since it was read (through this store or any other connection to
    /// the file), otherwise read (and kept if no write commits meanwhile).
    async fn read_cached<K, V, F>(&self, cache: &ReadCache<K, V>, key: K, f: F) -> Result<V>
    where
        K: Eq + Hash + Send,
        V: Clone + Send + 'static,
        F: FnOnce(&rusqlite::Connection) -> Result<V> + Send + 'static,
    {
        self.notice_outside_writes()?;
        let read_under = self.pool.generation();
        if let Some(value) = cache.get(&key) {
            return Ok(value);
        }
        let value = self.read(f).await?;
        cache.put(key, value.clone(), read_under, self.pool.generation());
        Ok(value)
    }

    /// Runs `f` in a write transaction, on the blocking pool, durable at
    /// the answer; once it has committed, the caches forget what `changed`
    /// says of its value.
    async fn write<T, F>(&self, changed: impl FnOnce(&T) -> Changed, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&rusqlite::Connection) -> Result<T> + Send + 'static,
    {
        self.write_as(Durability::AtAnswer, changed, f).await
    }

    /// [`SqliteStore::write`], as durable as `durability` says.
    async fn write_as<T, F>(
        &self,
        durability: Durability,
        changed: impl FnOnce(&T) -> Changed,
        f: F,
    ) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&rusqlite::Connection) -> Result<T> + Send + 'static,
    {
        let pool = Arc::clone(&self.pool);
        let (value, generation) = blocking(move || pool.write(durability, |tx| f(tx))).await?;
        self.cached.forget(&changed(&value), generation);
        Ok(value)
    }

    /// A durable write that changes one album's page.
    async fn write_album<T, F>(&self, album_id: i64, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&rusqlite::Connection) -> Result<T> + Send + 'static,
    {
        self.write(|_| Changed::album(album_id), f).await
    }

    /// An edit of one album's catalogue data: on disk within
    /// `durability::FLUSH_WITHIN` of its answer (see `durability`).
    async fn edit_album<T, F>(&self, album_id: i64, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&rusqlite::Connection) -> Result<T> + Send + 'static,
    {
        self.write_as(Durability::Soon, |_| Changed::album(album_id), f)
            .await
    }
}

/// Runs blocking work on Tokio's blocking pool. A panic in it is an
/// `Internal` error (its transaction was rolled back as it unwound).
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| StoreError::Internal(format!("store task failed: {e}")))?
}

impl Store for SqliteStore {
    async fn authenticate(&self, token: String) -> Result<Option<Account>> {
        let digest = super::token::digest(&token);
        self.read_cached(&self.cached.accounts, digest, move |c| {
            accounts::authenticate(c, &digest)
        })
        .await
    }

    async fn list_albums(&self, query: AlbumQuery, viewer: Viewer) -> Result<Page<Album>> {
        self.read(move |c| albums::list_albums(c, &query, viewer))
            .await
    }

    async fn get_album(&self, album_id: i64, viewer: Viewer) -> Result<Arc<AlbumDetail>> {
        let page = self
            .read_cached(&self.cached.albums, album_id, move |c| {
                page::album_page(c, album_id).map(Arc::new)
            })
            .await?;
        if !viewer.may_see(&page.album) {
            return Err(StoreError::NotFound("album"));
        }
        Ok(page)
    }

    async fn album_pages(&self, ids: Vec<i64>, viewer: Viewer) -> Result<Vec<Arc<AlbumDetail>>> {
        self.notice_outside_writes()?;
        let read_under = self.pool.generation();
        let kept = self.cached.albums.get_many(&ids);
        let missing = missing(&ids, &kept);
        let loaded = if missing.is_empty() {
            Vec::new()
        } else {
            self.read(move |c| page::album_pages(c, &missing)).await?
        };
        let now = self.pool.generation();
        for (id, page) in &loaded {
            self.cached
                .albums
                .put(*id, Arc::clone(page), read_under, now);
        }
        Ok(in_order(&ids, kept, loaded)
            .into_iter()
            .filter(|page| viewer.may_see(&page.album))
            .collect())
    }

    async fn get_artist(&self, artist_id: i64) -> Result<Artist> {
        self.read(move |c| catalog::get_artist(c, artist_id)).await
    }

    async fn list_artist_albums(
        &self,
        artist_id: i64,
        page: u32,
        per_page: u32,
        after: Option<String>,
        viewer: Viewer,
    ) -> Result<Page<Album>> {
        self.read(move |c| albums::list_artist_albums(c, artist_id, page, per_page, after, viewer))
            .await
    }

    async fn create_artist(&self, new: NewArtist) -> Result<Artist> {
        self.write(|_| Changed::All, move |c| catalog::create_artist(c, &new))
            .await
    }

    async fn list_compositions(&self, query: CompositionQuery) -> Result<Page<Composition>> {
        self.read(move |c| catalog::list_compositions(c, &query))
            .await
    }

    async fn get_composition(&self, composition_id: i64) -> Result<Composition> {
        self.read(move |c| catalog::get_composition(c, composition_id))
            .await
    }

    async fn create_composition(&self, new: NewComposition) -> Result<Composition> {
        self.write(
            |_| Changed::All,
            move |c| catalog::create_composition(c, &new),
        )
        .await
    }

    async fn import_compositions(&self, rows: Vec<NewComposition>) -> Result<u64> {
        self.write(
            |_| Changed::All,
            move |c| catalog::import_compositions(c, &rows),
        )
        .await
    }

    async fn match_compositions(&self, query: MatchQuery) -> Result<Vec<Candidate>> {
        self.read(move |c| catalog::match_compositions(c, &query))
            .await
    }

    async fn create_album(&self, new: NewAlbum) -> Result<Album> {
        self.write_as(
            Durability::Soon,
            |album: &Album| Changed::album(album.id),
            move |c| albums::create_album(c, &new),
        )
        .await
    }

    async fn update_album_page(
        &self,
        album_id: i64,
        expected_version: i64,
        patch: AlbumPatch,
    ) -> Result<Arc<AlbumDetail>> {
        // The new page is read under the write lock, so it is exactly what
        // the commit left: kept, the next read needs no trip either.
        let pool = Arc::clone(&self.pool);
        let (page, generation) = blocking(move || {
            pool.write(Durability::Soon, |c| {
                albums::update_album(c, album_id, expected_version, patch)?;
                page::album_page(c, album_id).map(Arc::new)
            })
        })
        .await?;
        self.cached.forget(&Changed::album(album_id), generation);
        self.cached
            .albums
            .keep_written(album_id, Arc::clone(&page), generation);
        Ok(page)
    }

    async fn delete_album(&self, album_id: i64, expected_version: Option<i64>) -> Result<()> {
        self.edit_album(album_id, move |c| {
            albums::delete_album(c, album_id, expected_version)
        })
        .await
    }

    async fn add_track(&self, album_id: i64, new: NewTrack) -> Result<Track> {
        self.edit_album(album_id, move |c| tracks::add_track(c, album_id, &new))
            .await
    }

    async fn update_track(
        &self,
        album_id: i64,
        number: u32,
        expected_version: i64,
        patch: TrackPatch,
    ) -> Result<Track> {
        self.edit_album(album_id, move |c| {
            tracks::update_track(c, album_id, number, expected_version, patch)
        })
        .await
    }

    async fn delete_track(
        &self,
        album_id: i64,
        number: u32,
        expected_version: Option<i64>,
    ) -> Result<()> {
        self.edit_album(album_id, move |c| {
            tracks::delete_track(c, album_id, number, expected_version)
        })
        .await
    }

    async fn submit_album(&self, album_id: i64, today: Date) -> Result<AlbumDetail> {
        self.write_album(album_id, move |c| {
            licensing::submit_album(c, album_id, today)
        })
        .await
    }

    async fn activate_license(&self, license_id: i64) -> Result<License> {
        self.write(
            |license: &License| Changed::album(license.album_id),
            move |c| licensing::activate_license(c, license_id),
        )
        .await
    }

    async fn publish_album(&self, album_id: i64) -> Result<Album> {
        self.write_album(album_id, move |c| licensing::publish_album(c, album_id))
            .await
    }

    async fn ingest_sales(&self, report: SalesReport) -> Result<IngestOutcome> {
        let changed = Changed::Albums(report.lines.iter().map(|l| l.album_id).collect());
        self.write(|_| changed, move |c| sales::ingest_sales(c, &report))
            .await
    }

    async fn royalty_statement(
        &self,
        album_id: i64,
        month: SalesMonth,
        today: Date,
    ) -> Result<Statement> {
        self.read(move |c| sales::statement(c, album_id, month, today))
            .await
    }
}
