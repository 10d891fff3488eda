//! `application/x-www-form-urlencoded`: query strings and form bodies.
//!
//! Repeated keys become lists (`?tag=a&tag=b`), `+` is a space, and
//! percent-encoding is decoded strictly: a value that does not decode to
//! UTF-8 is a 400, not silently replaced with U+FFFD.
//!
//! Every request with a query string comes through here, so the decoder
//! is built for the common case: one UTF-8 check of the whole input, one
//! byte loop to split it ([`pairs`]), components without escapes taken
//! as they are, short keys and values kept inline, and no search of the
//! map for a key it has certainly not seen. `bench/README.md` has the
//! counts.

mod pairs;

use compact_str::CompactString;

use self::pairs::{Component, Pairs};
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
    // '&', '=', '+' and '%' are ASCII, so when the whole input is UTF-8
    // every piece of it is too: one check here spares one per component.
    let source = Source {
        bytes: input,
        text: std::str::from_utf8(input).ok(),
    };
    // About a pair per eight bytes (`with_capacity` caps it): a guess,
    // but counting the `&`s first would cost more than a wrong one.
    let mut map = RawMap::with_capacity(input.len() / 8 + 1);
    // Components with an escape decode into this one buffer (allocated
    // when the first such component comes) and are copied from it.
    let mut scratch = Vec::new();
    let mut seen = SeenKeys::default();
    for pair in Pairs::new(input) {
        let key = source.text(&pair.key, &mut scratch)?;
        if key.is_empty() {
            continue;
        }
        let value = source.text(&pair.value, &mut scratch)?;
        if seen.first_time(&key) {
            map.push_new(key, Raw::Text(value));
        } else {
            map.append_compact(key, Raw::Text(value));
        }
    }
    Ok(map)
}

/// Which keys a decoder may have added already, so that a key certainly
/// new is pushed without searching the map for it (a query's keys are
/// nearly always distinct, and the search was a fifth of the decoding).
///
/// A 64-bit filter over a fingerprint of each key: a key whose bit is
/// clear has not been seen; one whose bit is set may have been, and goes
/// through the map's search.
#[derive(Default)]
struct SeenKeys(u64);

impl SeenKeys {
    /// Marks `key`, and says whether it is certainly new.
    fn first_time(&mut self, key: &str) -> bool {
        let bytes = key.as_bytes();
        let first = bytes.first().copied().unwrap_or_default();
        let last = bytes.last().copied().unwrap_or_default();
        let fingerprint = bytes.len() * 7 + usize::from(first) * 3 + usize::from(last);
        let bit = 1u64 << (fingerprint % 64);
        let new = self.0 & bit == 0;
        self.0 |= bit;
        new
    }
}

/// The input being decoded, with its text when it is all UTF-8.
struct Source<'i> {
    bytes: &'i [u8],
    text: Option<&'i str>,
}

impl<'i> Source<'i> {
    /// The decoded component, kept (inline when short), or the 400.
    fn text(&self, component: &Component, out: &mut Vec<u8>) -> Result<CompactString, ApiError> {
        self.decode(component, out)
            .map(CompactString::from)
            .ok_or_else(not_utf8)
    }

    /// Decodes one component: `+` is a space, `%XX` is a byte, a `%` not
    /// followed by two hex digits is kept literally (as browsers and
    /// `percent-encoding` do), and the result must be UTF-8 (`None` if
    /// not). A component without escapes is returned as it is, without a
    /// copy.
    ///
    /// `percent-encoding` alone would need a second pass (and a copy) for
    /// the `+`, and `form_urlencoded` replaces invalid UTF-8 with U+FFFD
    /// where we answer 400; this loop decodes into the caller's scratch
    /// buffer, so a component costs at most the copy that keeps it.
    fn decode<'s>(&self, component: &Component, out: &'s mut Vec<u8>) -> Option<&'s str>
    where
        'i: 's,
    {
        let range = component.range.clone();
        if !component.escaped {
            return match self.text {
                // Cut on ASCII delimiters, so always on a char boundary.
                Some(text) => text.get(range),
                None => std::str::from_utf8(&self.bytes[range]).ok(),
            };
        }
        out.clear();
        let mut rest = &self.bytes[range];
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
        std::str::from_utf8(out).ok()
    }
}

/// The 400 for a component that is not UTF-8 once percent-decoded.
fn not_utf8() -> ApiError {
    ApiError::bad_request("a form or query value is not valid UTF-8 once percent-decoded")
        .with_code("malformed_query")
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
        let cases: [Case<'_>; 7] = [
            (
                b"a=1&b=2",
                &[("a", Raw::Text("1".into())), ("b", Raw::Text("2".into()))],
            ),
            (b"a", &[("a", Raw::Text(CompactString::default()))]),
            (b"a=&&=x", &[("a", Raw::Text(CompactString::default()))]),
            (b"a%3Db=c%26d", &[("a=b", Raw::Text("c&d".into()))]),
            // Same fingerprint for the seen-keys filter, different keys.
            (
                b"axb=1&ayb=2&axb=3",
                &[
                    ("axb", Raw::List(vec!["1".into(), "3".into()])),
                    ("ayb", Raw::Text("2".into())),
                ],
            ),
            (
                b"%61=1&a=2",
                &[("a", Raw::List(vec!["1".into(), "2".into()]))],
            ),
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

    /// Found by the `decode_form` fuzz target (fuzz/README.md): a pair
    /// with an empty key is dropped before its value is decoded, so a
    /// value that is not UTF-8 there is no error; the same value under a
    /// key is.
    #[test]
    fn a_pair_with_an_empty_key_is_dropped_undecoded() {
        let map = decode_form(b"=%FF&a=1&=\xff").unwrap();
        assert_eq!(map.keys().collect::<Vec<_>>(), ["a"]);
        assert_eq!(decode_form(b"k=%FF").unwrap_err().code(), "malformed_query");
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
            let source = Source {
                bytes: input,
                text: std::str::from_utf8(input).ok(),
            };
            let mut scratch = Vec::new();
            let decoded = source
                .decode(
                    &Component {
                        range: 0..input.len(),
                        escaped: true,
                    },
                    &mut scratch,
                )
                .map(str::to_owned);
            assert_eq!(decoded, reference(input), "{input:?}");
        }
    }
}
