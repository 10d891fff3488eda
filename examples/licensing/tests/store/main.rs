//! The store's behaviour, against real SQLite files in temporary
//! directories: every operation's happy path and rejections, visibility,
//! idempotent ingestion, statement arithmetic checked by hand, the submit
//! rules, concurrent writers, the seed, and the read cache.

mod albums;
mod cache;
mod catalog;
mod common;
mod concurrency;
mod licensing;
mod sales;
mod seed;
mod tracks;
