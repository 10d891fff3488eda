//! `application/x-www-form-urlencoded`: query strings and form bodies.
//!
//! Repeated keys become lists (`?tag=a&tag=b`), `+` is a space, and
//! percent-encoding is decoded strictly: a value that does not decode to
//! UTF-8 is a 400, not silently replaced with U+FFFD.

use percent_encoding::percent_decode;

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
    let mut map = RawMap::new();
    for pair in input.split(|&b| b == b'&') {
        if pair.is_empty() {
            continue;
        }
        let (key, value) = match pair.iter().position(|&b| b == b'=') {
            Some(at) => (&pair[..at], &pair[at + 1..]),
            None => (pair, &b""[..]),
        };
        let key = decode_component(key)?;
        if key.is_empty() {
            continue;
        }
        map.append(key, Raw::Text(decode_component(value)?));
    }
    Ok(map)
}

fn decode_component(bytes: &[u8]) -> Result<String, ApiError> {
    // One allocation per component in the common case: the `+` rewrite
    // copies only when there is a `+`, and the decoded text is borrowed
    // until it is made owned once.
    let spaced;
    let bytes = if bytes.contains(&b'+') {
        spaced = bytes
            .iter()
            .map(|&b| if b == b'+' { b' ' } else { b })
            .collect::<Vec<u8>>();
        &spaced[..]
    } else {
        bytes
    };
    match percent_decode(bytes).decode_utf8() {
        Ok(text) => Ok(text.into_owned()),
        Err(_) => Err(ApiError::bad_request(
            "a form or query value is not valid UTF-8 once percent-decoded",
        )
        .with_code("malformed_query")),
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
}
