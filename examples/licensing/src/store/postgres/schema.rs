//! The schema, as migrations embedded in the binary and applied on start
//! by `sqlx`'s migrator.
//!
//! The SQL lives in `migrations/`, one file per migration, included with
//! `include_str!` (no `migrate!` macro: it needs sqlx's `macros` feature,
//! which doubles the crate's build time for one list). Migrations are
//! append-only, like SQLite's: a released one is never edited (sqlx
//! refuses to start on a database whose applied migration's checksum
//! differs), a change is a new file.
//!
//! **Two instances starting at once.** `Migrator::run` takes a
//! PostgreSQL session advisory lock (`pg_advisory_lock`, keyed on the
//! database name) before it reads `_sqlx_migrations`, and releases it
//! after the last migration: a second instance waits, then finds
//! everything applied. Each migration runs in its own transaction with
//! its bookkeeping row, so a crash leaves the schema at a migration
//! boundary.

use sqlx::PgPool;
use sqlx::SqlSafeStr;
use sqlx::migrate::{Migration, MigrationType, Migrator};

use crate::store::{Result, StoreError};

/// The migrations, in order: (version, description, SQL).
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "initial schema",
        include_str!("migrations/0001_initial.sql"),
    ),
    (
        2,
        "change notifications",
        include_str!("migrations/0002_change_notifications.sql"),
    ),
    (
        3,
        "sales totals",
        include_str!("migrations/0003_sales_totals.sql"),
    ),
    (
        4,
        "listing indexes",
        include_str!("migrations/0004_listing_indexes.sql"),
    ),
    (
        5,
        "rate limits",
        include_str!("migrations/0005_rate_limits.sql"),
    ),
    (
        6,
        "album counts and title search",
        include_str!("migrations/0006_album_counts_and_search.sql"),
    ),
    (
        7,
        "keyed change notifications",
        include_str!("migrations/0007_keyed_change_notifications.sql"),
    ),
    (
        8,
        "composition search",
        include_str!("migrations/0008_composition_search.sql"),
    ),
    (
        9,
        "album moves counted per row",
        include_str!("migrations/0009_album_moves_counted_per_row.sql"),
    ),
    (
        10,
        "small trigram pending lists",
        include_str!("migrations/0010_small_trigram_pending_lists.sql"),
    ),
    (
        11,
        "notifications name their transaction",
        include_str!("migrations/0011_notifications_name_their_transaction.sql"),
    ),
    (
        12,
        "composition list",
        include_str!("migrations/0012_composition_list.sql"),
    ),
];

/// Applies every pending migration (see the module docs).
pub(super) async fn migrate(pool: &PgPool) -> Result<()> {
    let migrations = MIGRATIONS
        .iter()
        .map(|&(version, description, sql)| {
            Migration::new(
                version,
                description.into(),
                MigrationType::Simple,
                sql.into_sql_str(),
                false,
            )
        })
        .collect();
    Migrator::with_migrations(migrations)
        .run(pool)
        .await
        .map_err(|e| StoreError::Internal(format!("migrating the database: {e}")))
}
