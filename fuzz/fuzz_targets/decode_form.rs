//! The form and query decoder (`pale_core::format::decode_form`).
//!
//! Properties, for any bytes:
//! - it never panics; every error is a 400 `malformed_query`, and comes
//!   exactly when a component is not UTF-8 once decoded (but for the
//!   value of a pair with an empty key, which is dropped undecoded);
//! - it agrees with the `form_urlencoded` crate (the WHATWG parser) on
//!   every input that crate decodes without replacement characters, but
//!   for pairs with an empty key, which it drops, and repeated keys, which
//!   it gathers into one list in order;
//! - what it decodes, encoded again by `form_urlencoded`'s serializer,
//!   decodes to the same map.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pale_core::argument::{Raw, RawMap};
use pale_core::format::decode_form;

fuzz_target!(|data: &[u8]| {
    let decoded = decode_form(data);
    let reference = reference(data);
    match (&decoded, reference) {
        (Ok(map), Some(expected)) => assert_eq!(*map, expected),
        (Err(e), None) => {
            assert_eq!(e.status().as_u16(), 400);
            assert_eq!(e.code(), "malformed_query");
        }
        (Ok(map), None) => panic!("accepted what is not UTF-8: {map:?}"),
        (Err(e), Some(expected)) => panic!("refused {expected:?}: {e}"),
    }
    let Ok(map) = decoded else { return };
    let mut encoder = form_urlencoded::Serializer::new(String::new());
    for (key, value) in map.iter() {
        match value {
            Raw::Text(text) => {
                encoder.append_pair(key, text);
            }
            Raw::List(items) => {
                for item in items {
                    let Raw::Text(text) = item else {
                        panic!("a form list holds text only: {item:?}")
                    };
                    encoder.append_pair(key, text);
                }
            }
            other => panic!("a form value is text or a list: {other:?}"),
        }
    }
    let encoded = encoder.finish();
    assert_eq!(decode_form(encoded.as_bytes()).unwrap(), map, "{encoded}");
});

/// The map `form_urlencoded` makes of `data`, or `None` when a component
/// is not UTF-8 once decoded (it would have replaced it with U+FFFD).
fn reference(data: &[u8]) -> Option<RawMap> {
    let mut map = RawMap::new();
    for piece in data.split(|&b| b == b'&').filter(|p| !p.is_empty()) {
        let (key, value) = match piece.iter().position(|&b| b == b'=') {
            Some(at) => (&piece[..at], &piece[at + 1..]),
            None => (piece, &piece[piece.len()..]),
        };
        // A pair with an empty key is dropped whole: its value is never
        // decoded, so it cannot make the input malformed.
        let key = strict(key)?;
        if key.is_empty() {
            continue;
        }
        let value = strict(value)?;
        map.append(key, Raw::Text(value.into()));
    }
    Some(map)
}

/// One component decoded by `form_urlencoded`, unless it was not UTF-8.
fn strict(component: &[u8]) -> Option<String> {
    let spaced: Vec<u8> = component
        .iter()
        .map(|&b| if b == b'+' { b' ' } else { b })
        .collect();
    let decoded: Vec<u8> = percent_encoding::percent_decode(&spaced).collect();
    let text = String::from_utf8(decoded).ok()?;
    // The reference parser itself, on the same component, as a pair.
    let mut piece = b"k=".to_vec();
    piece.extend_from_slice(component);
    let (_, value) = form_urlencoded::parse(&piece).next()?;
    assert_eq!(value, text, "form_urlencoded disagrees on {component:?}");
    Some(text)
}
