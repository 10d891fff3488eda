//! Opening and closing elements, shared by the value serializer (`ser.rs`)
//! and the map-key serializer (`key.rs`).
//!
//! A start tag is written unfinished (`<name`, or `<entry key="…"` for a
//! name that is not a safe element name) so the value can still decide
//! between `>` and `/>`; [`End`] remembers how to close it. Keeping this
//! below both serializers is what lets the key serializer write straight
//! into the output without the two depending on each other.

use super::text::{ATTRIBUTE, escape, is_safe_name};

/// Writes the unfinished start tag (`<name` or `<entry key="…"`) of an
/// element for the field or key `name`, and returns how to close it.
#[inline]
pub(super) fn start_tag<'t>(out: &mut Vec<u8>, name: &'t str) -> End<'t> {
    if is_safe_name(name) {
        // Room for the start tag, `>` and a short value, in one check.
        out.reserve(name.len() + 16);
        out.push(b'<');
        out.extend_from_slice(name.as_bytes());
        End::Name(name)
    } else {
        start_entry(out, name);
        End::Entry
    }
}

pub(super) fn start_entry(out: &mut Vec<u8>, key: &str) {
    out.extend_from_slice(b"<entry key=\"");
    escape(out, key, &ATTRIBUTE);
    out.push(b'"');
}

/// How an open element is closed.
#[derive(Clone, Copy)]
pub(super) enum End<'t> {
    /// `</name>`.
    Name(&'t str),
    /// `</…>` with the name that was written at `out[start..end]`.
    Span(usize, usize),
    /// `</entry>`.
    Entry,
}

impl End<'_> {
    #[inline]
    pub(super) fn write(self, out: &mut Vec<u8>) {
        match self {
            Self::Name(name) => {
                out.reserve(name.len() + 3);
                out.push(b'<');
                out.push(b'/');
                out.extend_from_slice(name.as_bytes());
                out.push(b'>');
            }
            Self::Span(start, end) => {
                out.extend_from_slice(b"</");
                out.extend_from_within(start..end);
                out.push(b'>');
            }
            Self::Entry => out.extend_from_slice(b"</entry>"),
        }
    }
}
