//! Field selection: the client chooses which fields it gets, with `fields=`.
//!
//! ```text
//! selection := item ("," item)*          (an empty string selects nothing)
//! item      := "*" | name [ "(" selection ")" ]
//! name      := [A-Za-z0-9_-]+
//! ```
//!
//! `fields=title,artist(name),tracks(number,title)` selects three fields,
//! the artist's name and two fields of every track; `*` is every field the
//! viewer may see and `tracks(*)` every visible field of every track.
//! Whitespace around names and punctuation is ignored.
//!
//! Both halves live here. Parsing ([`Selection::parse`]) knows nothing of
//! resources: it only checks the grammar, and bounds what it accepts
//! (length, depth, name length) so that hostile input costs little; the
//! server parses once per request and the [`Selection`] rides on the
//! context. Resolving ([`Plan::resolve`]) checks the names against a
//! resource's field table for the caller — unknown names, hidden fields,
//! sub-selections of scalar fields — once per response, giving the [`Plan`]
//! rendering follows. Keeping both here means one module owns what
//! `fields=` means (ARCHITECTURE.md, decision 4). On a page, the same
//! grammar selects the envelope's members or the items' fields
//! ([`PagePlan`], whose module documents how a selection is read).

mod envelope;
mod parse;
mod plan;

pub use envelope::{MEMBERS, PagePlan};
pub use parse::{Item, Selection, SelectionError};
pub use plan::{Plan, PlanRef};

/// The longest `fields=` expression accepted, in bytes.
pub const MAX_LEN: usize = 4096;
/// The deepest nesting of parentheses accepted.
pub const MAX_DEPTH: usize = 16;
/// The longest field name accepted, in bytes.
pub const MAX_NAME: usize = 64;
