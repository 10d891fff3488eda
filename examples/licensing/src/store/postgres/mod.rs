//! The PostgreSQL engine: a [`Store`] over a database that several
//! instances of the service share.
//!
//! **Driver.** [`sqlx`] (0.9, `runtime-tokio` + `postgres` + `migrate`,
//! no `macros`): one crate gives the async driver, the connection pool and
//! the migrator, and its migrator already serializes concurrent starts
//! with a PostgreSQL advisory lock (`schema`), which is the part the
//! alternative (tokio-postgres with deadpool-postgres) would have needed
//! a third crate or hand-written code for. It is 0.9 rather than 0.8
//! because 0.8's lockfile entry for its (unused) SQLite driver declares
//! `links = "sqlite3"` with an older `libsqlite3-sys` than rusqlite's, and
//! Cargo refuses the pair even with that driver switched off. Queries
//! are plain strings bound by position (no compile-time checking: that
//! is the `macros` feature, a proc-macro stack that adds to every build
//! and needs a database or cached query metadata at build time). The `time`
//! feature maps `DATE` columns to `time::Date`, the type the records use.
//! No `tls-*` feature is built: connections are plain TCP or a Unix
//! socket, for a database on the same host or a private network; a URL
//! asking for `sslmode=require` fails to connect rather than go
//! unencrypted, and the default `prefer` connects without TLS.
//!
//! **Transactions.** Every operation is atomic: one transaction on one
//! pooled connection, or one statement, which PostgreSQL runs as a
//! transaction of its own (the album page, a page of albums, a
//! composition or the list of them, `update_album`'s `UPDATE`). Writes run
//! at PostgreSQL's default READ COMMITTED; a write to an album locks the
//! album's row first (`album_rows`), so writes to one album queue,
//! whichever instance they come through, as they do behind SQLite's single
//! writer; `update_album` puts its expected version in the `UPDATE`'s
//! `WHERE`, the other writes that take one (a track's edit, a delete)
//! compare it with the locked row; sales ingestion claims its month with the primary key
//! (`sales`). Reads of more than one statement run in a `REPEATABLE READ,
//! READ ONLY` transaction, so what they return is one snapshot, as
//! SQLite's read transactions are.
//!
//! **Pools.** Two (`pool`): catalogue edits (an album's fields, its
//! tracks, a draft created or deleted) run on a smaller one whose sessions
//! have `synchronous_commit = off`, so their answers do not wait for the
//! disk, every other write's do. A connection is pinged before it is lent
//! only when it has been idle for a second: sqlx pings each as it comes
//! back, and a ping per borrow was a round trip on every statement's
//! critical path. An album patch is one statement that writes and returns
//! the new page (`albums::update_album`).
//!
//! **No read cache by default.** The SQLite engine keeps album pages and
//! token lookups in memory until its next write, which is sound because it
//! sees every write to its file. Here other instances write too: a cache
//! could serve pages another instance has changed, and ETags another
//! instance has moved on from. So by default this engine keeps nothing:
//! every read asks the database, the one truth all instances share. The
//! opt-in cache (`shared_cache`, [`PgConfig::read_cache`]) trades that for
//! faster reads that may lag another instance's write by the moment its
//! `NOTIFY` takes; writes are checked in the database either way.
//!
//! **Start.** [`PgStore::connect`] opens the pool, applies pending
//! migrations (`schema`) and sets a new database up, seeding the demo
//! once however many instances start together (`demo`).
//!
//! Operations are grouped as on SQLite, one file each: `catalog`,
//! `albums`, `tracks`, `licensing`, `page`, `sales`, `accounts`, over the
//! rows they share (`album_rows`, `license_rows`); the rules they share
//! with SQLite are `store::rules`, `store::check` and `store::accounting`.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use sqlx::postgres::PgPool;
use sqlx::{Postgres, Transaction};
use time::Date;

use super::read_cache::{Changed, in_order};
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
mod license_rows;
mod licensing;
mod own_writes;
mod page;
mod pool;
mod rate_limits;
mod row;
mod sales;
mod schema;
mod shared_cache;
mod tracks;
mod verify;

/// How to connect a [`PgStore`].
#[derive(Clone)]
pub struct PgConfig {
    /// The database, as a `postgres://user:password@host:port/database`
    /// URL (libpq's parameters, such as `?host=/run/postgresql`, apply).
    pub url: String,
    /// The most connections this instance opens. Several instances share
    /// the server's `max_connections`: keep their sum below it. A quarter
    /// of them (at least one) serve catalogue edits, whose commits do not
    /// wait for the disk (`docs/deployment.md`), the rest everything else;
    /// at least two in all.
    pub max_connections: u32,
    /// Whether a new database gets the demo catalogue.
    pub seed: bool,
    /// Where the tokens file is written when this instance seeds.
    pub data_dir: PathBuf,
    /// Whether album pages and token lookups are kept in memory until any
    /// instance commits a change (`shared_cache`: faster reads, which may
    /// lag another instance's write by the moment its notification takes).
    pub read_cache: bool,
}

impl PgConfig {
    /// Sixteen connections, the demo seeded into a new database.
    pub fn new(url: impl Into<String>, data_dir: impl Into<PathBuf>) -> Self {
        Self {
            url: url.into(),
            max_connections: 16,
            seed: true,
            data_dir: data_dir.into(),
            read_cache: false,
        }
    }

    /// Sets whether reads are cached until a change is announced (see
    /// [`PgConfig::read_cache`]).
    #[must_use]
    pub fn read_cache(mut self, read_cache: bool) -> Self {
        self.read_cache = read_cache;
        self
    }

    /// Sets the most connections this instance opens.
    #[must_use]
    pub fn max_connections(mut self, max_connections: u32) -> Self {
        self.max_connections = max_connections;
        self
    }

    /// Sets whether a new database is seeded.
    #[must_use]
    pub fn seed(mut self, seed: bool) -> Self {
        self.seed = seed;
        self
    }
}

impl fmt::Debug for PgConfig {
    /// The URL without its password: configurations end up in logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PgConfig")
            .field("url", &redacted(&self.url))
            .field("max_connections", &self.max_connections)
            .field("seed", &self.seed)
            .field("data_dir", &self.data_dir)
            .field("read_cache", &self.read_cache)
            .finish()
    }
}

/// `url` with the password of its user info replaced by `***`.
fn redacted(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return url.to_owned();
    };
    let authority_end = url[scheme_end..]
        .find(['/', '?'])
        .map_or(url.len(), |i| scheme_end + i);
    let authority = &url[scheme_end..authority_end];
    match (authority.rfind('@'), authority.find(':')) {
        (Some(at), Some(colon)) if colon < at => format!(
            "{}{}:***{}",
            &url[..scheme_end],
            &authority[..colon],
            &url[scheme_end + at..]
        ),
        _ => url.to_owned(),
    }
}

/// The licensing store on PostgreSQL. Cloning is cheap: clones share the
/// pool.
#[derive(Clone)]
pub struct PgStore {
    pool: PgPool,
    /// Connections whose commits do not wait for the disk, for
    /// catalogue edits alone (`edit`).
    edits: PgPool,
    /// The read cache and its listening task, when switched on.
    shared: Option<Arc<shared_cache::Listening>>,
}

impl fmt::Debug for PgStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PgStore")
            .field("connections", &self.pool.size())
            .field("read_cache", &self.shared.is_some())
            .finish_non_exhaustive()
    }
}

/// Runs `$body` (an expression awaiting on `$conn: &mut PgConnection`) in
/// the transaction `$begin` opens, committing if it succeeds. On an error
/// the transaction is dropped, which rolls it back.
macro_rules! in_transaction {
    ($begin:expr, |$conn:ident| $body:expr) => {{
        let mut tx = $begin.await?;
        let $conn: &mut sqlx::PgConnection = &mut tx;
        let value = $body.await?;
        tx.commit().await?;
        Result::<_, StoreError>::Ok(value)
    }};
}

impl PgStore {
    /// Connects to `config.url`, applies pending migrations and sets a new
    /// database up (seeding it if `config.seed`), all before the first
    /// request. Safe to call from several instances at once.
    ///
    /// A refused connection is retried for up to 30 seconds (sqlx's pool
    /// default: a database still starting beside the service), then is an
    /// `Internal` error; a wrong password or database name fails at once.
    pub async fn connect(config: &PgConfig) -> Result<Self> {
        let connections = config.max_connections.max(2);
        let pool = pool::options(connections - pool::edit_connections(connections))
            .connect_with(pool::session(&config.url)?)
            .await
            .map_err(|e| StoreError::Internal(format!("connecting to PostgreSQL: {e}")))?;
        let edits = pool::edits(&config.url, pool::edit_connections(connections))?;
        schema::migrate(&pool).await?;
        let shared = config
            .read_cache
            .then(|| Arc::new(shared_cache::start(pool.clone())));
        let store = Self {
            pool,
            edits,
            shared,
        };
        in_transaction!(store.write(), |c| demo::set_up(
            c,
            config.seed,
            &config.data_dir
        ))?;
        Ok(store)
    }

    /// Whether the database answers (`SELECT 1`), for health checks.
    pub async fn health(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Compares the kept sales totals with a recomputation from every
    /// sales line (`licensing check`), in one snapshot; reads the whole
    /// `sales` table.
    pub async fn verify_totals(&self) -> Result<TotalsCheck> {
        in_transaction!(self.read(), |c| verify::verify_totals(c))
    }

    /// Closes the pool's connections, waiting for those in use.
    pub async fn close(&self) {
        self.pool.close().await;
        self.edits.close().await;
    }

    /// A write transaction (READ COMMITTED, album rows locked as written).
    async fn write(&self) -> Result<Transaction<'static, Postgres>> {
        Ok(self.pool.begin().await?)
    }

    /// An edit's write transaction: as [`PgStore::write`], on a connection
    /// of the edits pool, whose commits do not wait for the disk.
    async fn edit(&self) -> Result<Transaction<'static, Postgres>> {
        Ok(self.edits.begin().await?)
    }

    /// A read transaction: one snapshot for every statement in it.
    async fn read(&self) -> Result<Transaction<'static, Postgres>> {
        Ok(self
            .pool
            .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .await?)
    }

    /// A connection with no transaction open, for an operation whose one
    /// statement (or one write, `update_album`) is atomic by itself.
    async fn one(&self) -> Result<sqlx::pool::PoolConnection<Postgres>> {
        Ok(self.pool.acquire().await?)
    }

    /// The read cache, when switched on.
    fn cache(&self) -> Option<&shared_cache::SharedCache> {
        self.shared.as_deref().map(|l| &*l.cache)
    }

    /// `result` of a write, counted by the read cache once it has
    /// committed, which forgets what `changed` says of its value: this
    /// instance's next read sees it without waiting for the notification.
    fn wrote<T>(&self, changed: impl FnOnce(&T) -> Changed, result: Result<T>) -> Result<T> {
        if let (Ok(value), Some(cache)) = (&result, self.cache()) {
            cache.changed(&changed(value));
        }
        result
    }

    /// How many album pages were served from memory since the store
    /// connected (0 without the read cache).
    pub fn album_cache_hits(&self) -> u64 {
        self.cache().map_or(0, |cache| cache.albums.hits())
    }
}

/// A write's [`Changed`]: everything.
fn all<T>(_: &T) -> Changed {
    Changed::All
}

impl Store for PgStore {
    async fn authenticate(&self, token: String) -> Result<Option<Account>> {
        let digest = super::token::digest(&token);
        let load = async { accounts::authenticate(&mut *self.one().await?, &digest).await };
        match self.cache() {
            Some(cache) => shared_cache::through(cache, &cache.accounts, digest, load).await,
            None => load.await,
        }
    }

    async fn list_albums(&self, query: AlbumQuery, viewer: Viewer) -> Result<Page<Album>> {
        let mut conn = self.one().await?;
        albums::list_albums(&mut conn, &query, viewer).await
    }

    async fn get_album(&self, album_id: i64, viewer: Viewer) -> Result<Arc<AlbumDetail>> {
        // One statement, one snapshot: no transaction needed (see `page`).
        let load = async {
            Ok(Arc::new(
                page::album_page(&mut *self.one().await?, album_id).await?,
            ))
        };
        let page = match self.cache() {
            Some(cache) => shared_cache::through(cache, &cache.albums, album_id, load).await?,
            None => load.await?,
        };
        if !viewer.may_see(&page.album) {
            return Err(StoreError::NotFound("album"));
        }
        Ok(page)
    }

    async fn album_pages(&self, ids: Vec<i64>, viewer: Viewer) -> Result<Vec<Arc<AlbumDetail>>> {
        // Pages the read cache holds are taken from it; the rest are read
        // in one statement and kept (see `shared_cache::through_many`).
        let load = |missing: Vec<i64>| async move {
            let pages = page::album_pages(&mut *self.one().await?, &missing).await?;
            Ok(pages
                .into_iter()
                .map(|p| (p.album.id, Arc::new(p)))
                .collect())
        };
        let pages = match self.cache() {
            Some(cache) => shared_cache::through_many(cache, &cache.albums, ids, load).await?,
            None => in_order(&ids, Vec::new(), load(ids.clone()).await?),
        };
        Ok(pages
            .into_iter()
            .filter(|page| viewer.may_see(&page.album))
            .collect())
    }

    async fn get_artist(&self, artist_id: i64) -> Result<Artist> {
        let mut conn = self.one().await?;
        catalog::get_artist(&mut conn, artist_id).await
    }

    async fn list_artist_albums(
        &self,
        artist_id: i64,
        page: u32,
        per_page: u32,
        after: Option<String>,
        viewer: Viewer,
    ) -> Result<Page<Album>> {
        in_transaction!(self.read(), |c| albums::list_artist_albums(
            c, artist_id, page, per_page, after, viewer
        ))
    }

    async fn create_artist(&self, new: NewArtist) -> Result<Artist> {
        self.wrote(
            all,
            in_transaction!(self.write(), |c| catalog::create_artist(c, &new)),
        )
    }

    async fn list_compositions(&self, query: CompositionQuery) -> Result<Page<Composition>> {
        in_transaction!(self.read(), |c| catalog::list_compositions(c, &query))
    }

    async fn get_composition(&self, composition_id: i64) -> Result<Composition> {
        let mut conn = self.one().await?;
        catalog::get_composition(&mut conn, composition_id).await
    }

    async fn create_composition(&self, new: NewComposition) -> Result<Composition> {
        self.wrote(
            all,
            in_transaction!(self.write(), |c| { catalog::create_composition(c, &new) }),
        )
    }

    async fn import_compositions(&self, rows: Vec<NewComposition>) -> Result<u64> {
        self.wrote(
            all,
            in_transaction!(self.write(), |c| { catalog::import_compositions(c, &rows) }),
        )
    }

    async fn match_compositions(&self, query: MatchQuery) -> Result<Vec<Candidate>> {
        let mut conn = self.one().await?;
        catalog::match_compositions(&mut conn, &query).await
    }

    async fn create_album(&self, new: NewAlbum) -> Result<Album> {
        self.wrote(
            |a: &Album| Changed::album(a.id),
            in_transaction!(self.edit(), |c| albums::create_album(c, &new)),
        )
    }

    async fn update_album_page(
        &self,
        album_id: i64,
        expected_version: i64,
        patch: AlbumPatch,
    ) -> Result<Arc<AlbumDetail>> {
        // One statement writes and returns the new page: atomic without a
        // transaction, an edit (durable soon after the answer: `pool::edits`).
        let mut conn = self.edits.acquire().await?;
        let patched = albums::update_album(&mut conn, album_id, expected_version, patch).await?;
        let page = Arc::new(patched.page);
        if let Some(cache) = self.cache() {
            // Recorded as it is counted: its notification, whenever it
            // comes, is counted before, or skipped (`own_writes`).
            if let Some(transaction) = patched.transaction {
                cache.own_writes.record(transaction, album_id);
            }
            let generation = cache.changed(&Changed::album(album_id));
            cache
                .albums
                .keep_written(album_id, Arc::clone(&page), generation);
        }
        Ok(page)
    }

    async fn delete_album(&self, album_id: i64, expected_version: Option<i64>) -> Result<()> {
        self.wrote(
            |_| Changed::album(album_id),
            in_transaction!(self.edit(), |c| albums::delete_album(
                c,
                album_id,
                expected_version
            )),
        )
    }

    async fn add_track(&self, album_id: i64, new: NewTrack) -> Result<Track> {
        self.wrote(
            |_| Changed::album(album_id),
            in_transaction!(self.edit(), |c| tracks::add_track(c, album_id, &new)),
        )
    }

    async fn update_track(
        &self,
        album_id: i64,
        number: u32,
        expected_version: i64,
        patch: TrackPatch,
    ) -> Result<Track> {
        self.wrote(
            |_| Changed::album(album_id),
            in_transaction!(self.edit(), |c| tracks::update_track(
                c,
                album_id,
                number,
                expected_version,
                patch
            )),
        )
    }

    async fn delete_track(
        &self,
        album_id: i64,
        number: u32,
        expected_version: Option<i64>,
    ) -> Result<()> {
        self.wrote(
            |_| Changed::album(album_id),
            in_transaction!(self.edit(), |c| tracks::delete_track(
                c,
                album_id,
                number,
                expected_version
            )),
        )
    }

    async fn submit_album(&self, album_id: i64, today: Date) -> Result<AlbumDetail> {
        self.wrote(
            |_| Changed::album(album_id),
            in_transaction!(self.write(), |c| licensing::submit_album(
                c, album_id, today
            )),
        )
    }

    async fn activate_license(&self, license_id: i64) -> Result<License> {
        self.wrote(
            |l: &License| Changed::album(l.album_id),
            in_transaction!(self.write(), |c| {
                licensing::activate_license(c, license_id)
            }),
        )
    }

    async fn publish_album(&self, album_id: i64) -> Result<Album> {
        self.wrote(
            |_| Changed::album(album_id),
            in_transaction!(self.write(), |c| licensing::publish_album(c, album_id)),
        )
    }

    async fn ingest_sales(&self, report: SalesReport) -> Result<IngestOutcome> {
        let changed = Changed::Albums(report.lines.iter().map(|l| l.album_id).collect());
        self.wrote(
            |_| changed,
            in_transaction!(self.write(), |c| sales::ingest_sales(c, &report)),
        )
    }

    async fn royalty_statement(
        &self,
        album_id: i64,
        month: SalesMonth,
        today: Date,
    ) -> Result<Statement> {
        in_transaction!(self.read(), |c| sales::statement(c, album_id, month, today))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_stay_out_of_debug_output() {
        #[rustfmt::skip]
        let cases = [
            ("postgres://app:s3cret@db:5432/licensing", "postgres://app:***@db:5432/licensing"),
            ("postgres://app@db/licensing", "postgres://app@db/licensing"),
            ("postgres:///licensing?host=/run/postgresql", "postgres:///licensing?host=/run/postgresql"),
        ];
        for (url, shown) in cases {
            assert_eq!(redacted(url), shown);
        }
        let debug = format!("{:?}", PgConfig::new("postgres://u:pw@h/d", "/tmp"));
        assert!(!debug.contains("pw@"), "{debug}");
    }

    #[test]
    fn connecting_can_be_spawned() {
        // The seed runs inside `connect`, through the engine-independent
        // `seeding`: its future must stay `Send`, for `tokio::spawn`.
        fn send<T: Send>(_: &T) {}
        let config = PgConfig::new("postgres://nobody@localhost/none", "/tmp");
        send(&PgStore::connect(&config));
    }
}
