//! A small cover-song licensing service on Pale (in progress: the domain
//! model comes first; the API follows the writes work).

pub mod domain;
