//! A small cover-song licensing service on Pale (in progress: the domain
//! model and its storage come first; the API follows the writes work).

pub mod domain;
pub mod store;
