//! `application/x-www-form-urlencoded`: query strings and form bodies.
//!
//! Repeated keys become lists (`?tag=a&tag=b`), `+` is a space, and
//! percent-encoding is decoded strictly: a value that does not decode to
//! UTF-8 is a 400, not silently replaced with U+FFFD.

use compact_str::CompactString;

use crate::argument::{Raw, RawMap};
use crate::error::ApiError;

/// Decodes a query string or form body.
///
/// ```
/// use pale_core::argument::Raw;
/// use pale_core::format::decode_form;
///
/// let map = decode_form(b"tag=a&tag=b&q=caf%C3%A9+au+lait").unwrap();
/// assert_eq!(map.get("q"), Some(&Raw::from("café au lait")));
/// assert_eq!(map.get("tag"), Some(&Raw::List(vec![Raw::from("a"), Raw::from("b")])));
/// assert!(decode_form(b"q=%FF").is_err());
/// ```
pub fn decode_form(input: &[u8]) -> Result<RawMap, ApiError> {
    let mut map = RawMap::with_capacity(memchr::memchr_iter(b'&', input).count() + 1);
    // One scratch buffer for the whole input: a key decodes into it and is
    // copied into the map (inline when short); a value is copied once
    // into its own `String`.
    let mut scratch = Vec::with_capacity(input.len());
    for pair in input.split(|&b| b == b'&') {
        if pair.is_empty() {
            continue;
        }
        let (key, value) = match memchr::memchr(b'=', pair) {
            Some(at) => (&pair[..at], &pair[at + 1..]),
            None => (pair, &b""[..]),
        };
        let key = CompactString::from(decode_component(key, &mut scratch)?);
        if key.is_empty() {
            continue;
        }
        let value = decode_component(value, &mut scratch)?.to_owned();
        map.append_compact(key, Raw::Text(value));
    }
    Ok(map)
}

/// Decodes one key or value in a single pass: `+` is a space, `%XX` is a
/// byte, a `%` not followed by two hex digits is kept literally (as
/// browsers and `percent-encoding` do), and the result must be UTF-8.
///
/// `percent-encoding` alone would need a second pass (and a copy) for the
/// `+`, and `form_urlencoded` replaces invalid UTF-8 with U+FFFD where we
/// answer 400; this loop decodes into the caller's scratch buffer, so a component
/// costs at most the copy that keeps it.
fn decode_component<'s>(bytes: &[u8], out: &'s mut Vec<u8>) -> Result<&'s str, ApiError> {
    out.clear();
    let mut rest = bytes;
    while let Some(at) = rest.iter().position(|&b| b == b'+' || b == b'%') {
        out.extend_from_slice(&rest[..at]);
        let escaped = &rest[at..];
        match escaped {
            [b'+', ..] => {
                out.push(b' ');
                rest = &escaped[1..];
            }
            [b'%', high, low, ..] if high.is_ascii_hexdigit() && low.is_ascii_hexdigit() => {
                out.push(hex_value(*high) << 4 | hex_value(*low));
                rest = &escaped[3..];
            }
            _ => {
                out.push(b'%');
                rest = &escaped[1..];
            }
        }
    }
    out.extend_from_slice(rest);
    std::str::from_utf8(out).map_err(|_| {
        ApiError::bad_request("a form or query value is not valid UTF-8 once percent-decoded")
            .with_code("malformed_query")
    })
}

/// The value of an ASCII hex digit (the caller has checked it is one).
fn hex_value(digit: u8) -> u8 {
    match digit {
        b'0'..=b'9' => digit - b'0',
        b'a'..=b'f' => digit - b'a' + 10,
        _ => digit - b'A' + 10,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An input and the pairs it decodes to.
    type Case<'a> = (&'a [u8], &'a [(&'a str, Raw)]);

    #[test]
    fn decodes_forms() {
        let cases: [Case<'_>; 5] = [
            (
                b"a=1&b=2",
                &[("a", Raw::Text("1".into())), ("b", Raw::Text("2".into()))],
            ),
            (b"a", &[("a", Raw::Text(String::new()))]),
            (b"a=&&=x", &[("a", Raw::Text(String::new()))]),
            (b"a%3Db=c%26d", &[("a=b", Raw::Text("c&d".into()))]),
            (
                b"n=1&n=2&n=3",
                &[("n", Raw::List(vec!["1".into(), "2".into(), "3".into()]))],
            ),
        ];
        for (input, expected) in cases {
            let map = decode_form(input).unwrap();
            let got: Vec<(&str, Raw)> = map.iter().map(|(k, v)| (k, v.clone())).collect();
            let want: Vec<(&str, Raw)> = expected.iter().map(|(k, v)| (*k, v.clone())).collect();
            assert_eq!(got, want, "{}", String::from_utf8_lossy(input));
        }
    }

    #[test]
    fn invalid_utf8_is_a_400() {
        for input in [&b"a=%C3"[..], b"%FF=1", b"a=\xff"] {
            assert_eq!(decode_form(input).unwrap_err().status().as_u16(), 400);
        }
    }

    #[test]
    fn a_lone_percent_is_kept_literally() {
        let map = decode_form(b"a=100%&b=%zz").unwrap();
        assert_eq!(map.get("a"), Some(&Raw::from("100%")));
        assert_eq!(map.get("b"), Some(&Raw::from("%zz")));
    }

    /// The one-pass decoder agrees with `+`-to-space followed by
    /// `percent-encoding`'s decoder on every input, valid or not.
    #[test]
    fn agrees_with_percent_encoding() {
        fn reference(bytes: &[u8]) -> Option<String> {
            let spaced: Vec<u8> = bytes
                .iter()
                .map(|&b| if b == b'+' { b' ' } else { b })
                .collect();
            percent_encoding::percent_decode(&spaced)
                .decode_utf8()
                .ok()
                .map(|text| text.into_owned())
        }
        let alphabet = [
            b'a', b'+', b'%', b'2', b'0', b'C', b'3', b'A', b'9', b'f', b'F', b'g', 0xC3, 0xA9,
            0xFF,
        ];
        // Every string of up to 4 symbols from an alphabet rich in escapes.
        let mut inputs: Vec<Vec<u8>> = vec![Vec::new()];
        for _ in 0..4 {
            let longer: Vec<Vec<u8>> = inputs
                .iter()
                .filter(|input| input.len() == inputs.last().map_or(0, Vec::len))
                .flat_map(|input| {
                    alphabet.iter().map(move |&b| {
                        let mut next = input.clone();
                        next.push(b);
                        next
                    })
                })
                .collect();
            inputs.extend(longer);
        }
        assert!(inputs.len() > 50_000);
        for input in &inputs {
            let mut scratch = Vec::new();
            let decoded = decode_component(input, &mut scratch)
                .ok()
                .map(str::to_owned);
            assert_eq!(decoded, reference(input), "{input:?}");
        }
    }
}
