//! The private parsers the fuzz targets in `fuzz/` call directly, behind
//! the `fuzzing` feature: not a public API, and not built otherwise.
//! Wrappers only, so that the targets exercise the code the server runs
//! rather than a copy of it.

use pale_core::format::Wire;

/// What a request body is, by its `Content-Type` (a public mirror of the
/// negotiation stage's own enum).
#[derive(Debug, PartialEq, Eq)]
pub enum BodyKind {
    /// One of the API's formats, by index.
    Format(usize),
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `application/merge-patch+json`.
    MergePatch,
}

/// The response format `accept` chooses among `formats`, by index; `None`
/// is a 406.
pub fn choose(accept: Option<&str>, formats: &[Wire]) -> Option<usize> {
    crate::negotiate::choose(accept, formats)
}

/// What a body with this `Content-Type` is; `None` is a 415.
pub fn body_kind(content_type: &str, formats: &[Wire]) -> Option<BodyKind> {
    use crate::negotiate::BodyKind as Kind;
    crate::negotiate::body_kind(content_type, formats).map(|kind| match kind {
        Kind::Format(index) => BodyKind::Format(index),
        Kind::Form => BodyKind::Form,
        Kind::MergePatch => BodyKind::MergePatch,
    })
}
