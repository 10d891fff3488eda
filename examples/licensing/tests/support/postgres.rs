//! PostgreSQL for the tests: the server named by `PALE_TEST_DATABASE_URL`,
//! and a database of one test's own on it (included with `#[path]` by the
//! harnesses that can run on PostgreSQL).
//!
//! CI sets the variable to a superuser URL of a throwaway cluster that it
//! starts (`.ci/run`, with `pg_virtualenv`); each test creates a database
//! of its own on it, so tests run in parallel without seeing each other's
//! rows. Tests that cannot run without PostgreSQL are `#[ignore]`d with
//! the reason, so a run without a server reports them as skipped rather
//! than passing them, and they panic saying what to set if run anyway.

// Each harness uses some of these helpers, never all of them.
#![allow(dead_code)]

use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};

use licensing::store::{PgConfig, PgStore};
use sqlx::Connection;

/// The environment variable naming the PostgreSQL server to test against.
pub(crate) const DATABASE_URL_VAR: &str = "PALE_TEST_DATABASE_URL";

/// Connections per test store: enough for the concurrency tests, few
/// enough for many tests and a server's default `max_connections`.
pub(crate) const TEST_CONNECTIONS: u32 = 8;

/// The PostgreSQL server to test against, if one is configured.
pub(crate) fn database_url() -> Option<String> {
    std::env::var(DATABASE_URL_VAR)
        .ok()
        .filter(|url| !url.trim().is_empty())
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
    pub(crate) async fn create(admin_url: &str, label: &str) -> Self {
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

    /// A store on this database with the read cache on
    /// (`PgConfig::read_cache`), seeding nothing.
    pub(crate) async fn connect_cached(&self, dir: &Path) -> PgStore {
        PgStore::connect(&self.config(dir).seed(false).read_cache(true))
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
pub(crate) fn with_database(url: &str, name: &str) -> String {
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
