//! What the XML encoder's output decodes to: the model the `decode_xml`
//! target checks the encoder and decoder against.
//!
//! XML has no lists, nulls, numbers or booleans (the conventions are in
//! `pale_core::format`'s XML module docs): encoding a tree and decoding
//! the result gives the tree [`normalize`] makes of it.

use pale_core::argument::{Raw, RawMap};

/// The tree `decode(encode(raw))` is expected to be.
pub fn normalize(raw: &Raw) -> Raw {
    match raw {
        Raw::Null => text(""),
        Raw::Bool(b) => text(if *b { "true" } else { "false" }),
        Raw::Text(t) => text(&allowed(t)),
        Raw::Number(n) => text(&number(n)),
        Raw::List(items) => match items.as_slice() {
            [] => text(""),
            [one] => map_of("item", normalize(one)),
            many => map_of("item", Raw::List(many.iter().map(normalize).collect())),
        },
        Raw::Map(map) if map.is_empty() => text(""),
        Raw::Map(map) => {
            let mut out = RawMap::new();
            // Keys are attribute values when they are not safe names, and
            // lose forbidden characters the same way; two keys that become
            // one are a repeated element, which reads back as a list.
            for (key, value) in map.iter() {
                out.append(allowed(key), normalize(value));
            }
            Raw::Map(out)
        }
    }
}

fn text(t: &str) -> Raw {
    Raw::Text(t.into())
}

fn map_of(key: &str, value: Raw) -> Raw {
    let mut map = RawMap::new();
    map.insert(key, value);
    Raw::Map(map)
}

/// A number as `Raw`'s `Serialize` writes it, through the XML encoder.
fn number(n: &str) -> String {
    if let Ok(i) = n.parse::<i64>() {
        i.to_string()
    } else if let Ok(u) = n.parse::<u64>() {
        u.to_string()
    } else {
        match n.parse::<f64>() {
            Ok(f) if f.is_finite() => ryu::Buffer::new().format_finite(f).to_owned(),
            _ => allowed(n),
        }
    }
}

/// Text with the characters XML 1.0 forbids replaced by U+FFFD, as the
/// encoder writes it.
pub fn allowed(t: &str) -> String {
    t.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            '\u{0}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}' => '\u{FFFD}',
            c => c,
        })
        .collect()
}
