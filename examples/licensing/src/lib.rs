//! A small cover-song licensing service on Pale: artists publish albums, a
//! track may cover an existing composition, the service secures the US
//! compulsory mechanical license for each cover and accounts royalties to
//! the composition's publishers every month.
//!
//! - [`domain`]: identifiers, statutory rates, royalty arithmetic;
//! - [`store`]: SQLite storage behind a trait;
//! - [`api`]: the HTTP API, where owner-versus-public is declared per field.

pub mod api;
pub mod composition_csv;
pub mod domain;
pub mod store;
