//! XML in and out.
//!
//! XML has no types and no arrays, only elements, attributes and text, so
//! mapping serde's data model onto it means choosing one convention and
//! keeping it in both directions. The one chosen here is the plain,
//! attribute-free style most hand-written XML APIs use, because a client
//! that reads it needs no schema and no knowledge of serde:
//!
//! ```xml
//! <?xml version="1.0" encoding="UTF-8"?><album><id>7</id><title>Blue</title>
//! <tracks><track><number>1</number></track><track><number>2</number></track></tracks>
//! <label/></album>
//! ```
//!
//! - **One element per field**, named by the field; scalars are its text.
//!   Numbers and booleans are written as their literal text and come back as
//!   [`Raw::Text`], which is fine because arguments cast from text anyway
//!   (ARCHITECTURE.md, decision 2): `"42"` becomes `42u32` exactly as a JSON `42` does.
//! - **The top level is one element named by the caller** (the resource's
//!   name, `list`, or the envelope key), not by the Rust type, so renaming a
//!   struct never changes the wire.
//! - **A list is a container element holding one child per item.** An item
//!   that is a struct is named by the struct's serde name (resources pass
//!   their lower-case name, `track`; problem documents pass `error`), any
//!   other item is `item`. Wrapping keeps a list distinguishable from a
//!   repeated field and keeps an empty list representable (`<tracks></tracks>`).
//!   On the way in, a repeated element becomes a [`Raw::List`] through
//!   [`RawMap::append`], so `<tags><tag>a</tag><tag>b</tag></tags>` reads as
//!   a one-key map around a list: the documented container form.
//! - **`None` and unit are empty elements** (`<label/>`), which arguments
//!   read as absent ([`Raw::is_blank`]).
//! - **Keys that are not safe element names** (`"2024"`, `"a b"`, anything
//!   starting with `xml`, non-ASCII) are written as
//!   `<entry key="2024">…</entry>`, and the decoder reads an `entry` with a
//!   `key` attribute back as that key, so every map round-trips. Names are
//!   restricted to ASCII on the way out so that a client's parser never has
//!   to agree with ours about Unicode name classes.
//! - **The output is always well-formed**: text is escaped, `\r` is written
//!   as `&#13;` (a raw one would be normalised to `\n` by every reader), and
//!   characters XML 1.0 forbids (most controls, U+FFFE, U+FFFF) become
//!   U+FFFD rather than producing a document no client can parse.
//!
//! Decoding is defensive: request bodies are hostile. DTDs are refused
//! outright (no billion laughs, no external entities), only the five
//! predefined entities and character references are expanded, nesting is
//! bounded by [`DecodeLimits::max_depth`] with an explicit stack (no
//! recursion, so no stack overflow), and errors name the problem and its
//! line and column but never echo the input.
//!
//! [`RawMap::append`]: crate::argument::RawMap::append

mod de;
mod error;
mod key;
mod ser;
mod tag;
mod text;

use serde::Serialize;

use super::{DecodeLimits, EncodeError};
use crate::argument::Raw;
use crate::error::ApiError;

/// Writes `value` as an XML document whose outermost element is `root`.
pub(super) fn encode<T: Serialize + ?Sized>(
    root: &str,
    value: &T,
    out: &mut Vec<u8>,
) -> Result<(), EncodeError> {
    ser::to_writer(root, value, out).map_err(EncodeError::new)
}

/// Reads an XML request body into the format-neutral tree.
pub(super) fn decode(body: &[u8], limits: &DecodeLimits) -> Result<Raw, ApiError> {
    de::from_slice(body, limits)
        .map_err(|detail| ApiError::bad_request(detail).with_code("malformed_body"))
}

#[cfg(test)]
mod tests {
    //! Round trips: what the encoder writes, the decoder reads back.

    use std::collections::BTreeMap;

    use serde::Serialize;

    use super::*;
    use crate::argument::RawMap;

    fn text(s: &str) -> Raw {
        Raw::Text(s.into())
    }

    fn map<'a>(entries: impl IntoIterator<Item = (&'a str, Raw)>) -> Raw {
        let mut map = RawMap::new();
        for (k, v) in entries {
            map.insert(k, v);
        }
        Raw::Map(map)
    }

    fn round_trip<T: Serialize + ?Sized>(value: &T) -> Raw {
        let mut out = Vec::new();
        encode("root", value, &mut out).unwrap();
        decode(&out, &DecodeLimits::default())
            .unwrap_or_else(|e| panic!("{:?} for {}", e.detail(), String::from_utf8_lossy(&out)))
    }

    #[derive(Serialize)]
    #[serde(rename = "track")]
    struct Track {
        number: u32,
        title: &'static str,
    }

    #[derive(Serialize)]
    struct Album {
        id: u64,
        title: &'static str,
        rating: f64,
        live: bool,
        label: Option<&'static str>,
        tracks: Vec<Track>,
        tags: Vec<&'static str>,
    }

    #[test]
    fn encoded_values_read_back() {
        let album = Album {
            id: 7,
            title: "Rock & <Roll>\r\n\"live\"",
            rating: 4.5,
            live: true,
            label: None,
            tracks: vec![
                Track {
                    number: 1,
                    title: "One",
                },
                Track {
                    number: 2,
                    title: "Two",
                },
            ],
            tags: vec!["a", "b"],
        };
        let tracks = Raw::List(vec![
            map([("number", text("1")), ("title", text("One"))]),
            map([("number", text("2")), ("title", text("Two"))]),
        ]);
        assert_eq!(
            round_trip(&album),
            map([
                ("id", text("7")),
                ("title", text("Rock & <Roll>\r\n\"live\"")),
                ("rating", text("4.5")),
                ("live", text("true")),
                ("label", text("")),
                ("tracks", map([("track", tracks)])),
                (
                    "tags",
                    map([("item", Raw::List(vec![text("a"), text("b")]))])
                ),
            ])
        );
    }

    #[test]
    fn entry_keys_read_back() {
        let odd: BTreeMap<&str, &str> = [
            ("2024", "year"),
            ("a b", "space"),
            ("xmlns", "reserved"),
            ("tab\tnew\nline\r\"<&>\"", "attribute escapes"),
            ("élan", "non-ascii"),
            ("", "empty"),
            ("plain", "name"),
        ]
        .into_iter()
        .collect();
        let expected = map(odd.iter().map(|(k, v)| (*k, text(v))));
        assert_eq!(round_trip(&odd), expected);
    }

    #[test]
    fn scalars_and_sequences_read_back() {
        assert_eq!(round_trip(&42), text("42"));
        assert_eq!(round_trip("x"), text("x"));
        assert_eq!(round_trip(&Option::<u8>::None), text(""));
        assert_eq!(
            round_trip(&[1, 2, 3]),
            map([("item", Raw::List(vec![text("1"), text("2"), text("3")]))])
        );
        assert_eq!(round_trip(&[1]), map([("item", text("1"))]));
        assert_eq!(round_trip(&Vec::<u8>::new()), text(""));
    }
}
