//! The store's behaviour, on SQLite files in temporary directories, or on
//! PostgreSQL when `PALE_TEST_DATABASE_URL` is set (see `common`): every
//! operation's happy path and rejections, visibility, idempotent
//! ingestion, statement arithmetic checked by hand, the submit rules,
//! concurrent writers, the seed, reads after writes; and, on PostgreSQL
//! only, several instances on one database (`postgres`).
//!
//! ```text
//! cargo test -p licensing --test store                  # SQLite
//! PALE_TEST_DATABASE_URL=postgres://… \
//!   cargo test -p licensing --test store -- --include-ignored   # PostgreSQL
//! ```

mod albums;
mod cache;
mod catalog;
mod common;
mod concurrency;
mod licensing;
mod postgres;
mod sales;
mod seed;
mod totals;
mod tracks;
