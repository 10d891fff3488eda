//! Pagination: a page request as one argument field, and a page's links.
//!
//! An endpoint that lists declares `#[pale(flatten)] paging:
//! PageRequest<20, 100>` and gets the `page` and `per_page` query
//! arguments with their bounds, cast and checked like any other (a 422
//! pointing at `/per_page` when out of range); its handler passes
//! [`PageRequest::offset`] and [`PageRequest::limit`] to its store and
//! answers with a [`Page`](crate::Page), whose response carries the links
//! of [`Links`] in its body and in a `Link` header. No handler computes
//! an offset or a page number: that arithmetic is here ([`Position`]),
//! tested once.
//!
//! A long list is better read by key than by offset: its store reads
//! [`PageRequest::after`], the key of the last item before the page, and
//! answers with [`Page::with_next`](crate::Page::with_next), the key of
//! this page's last item; the `next` link then carries a [`Cursor`]
//! (`after=…`) instead of a page number, and costs one index seek however
//! deep it leads. Such a page links to itself, the first page and the
//! next, not to the last or the one before: neither has a key to start
//! from.
//!
//! This module sits above the context (a page's links are under the API's
//! base path, from the request being served) and below rendering, which
//! writes them.

mod cursor;
mod links;
mod position;
mod query;
mod request;

pub use cursor::Cursor;
pub use links::{Links, Target};
pub use position::Position;
pub use request::PageRequest;

/// The highest page number a [`PageRequest`] accepts: deep enough for any
/// list a person pages through, and low enough that an offset always fits
/// an `i64` (what SQL databases take).
pub const MAX_PAGE: u32 = 1_000_000;
