//! JSON in and out, through `serde_json`.
//!
//! Decoding builds the [`Raw`] tree directly from `serde_json`'s visitor
//! calls (no `serde_json::Value` in between) with the [`RawSeed`] every
//! serde format shares, counting depth as it goes and rejecting duplicate
//! keys, which different parsers resolve differently.

use serde::Serialize;
use serde::de::DeserializeSeed;

use super::{DecodeLimits, EncodeError, RawSeed};
use crate::argument::Raw;
use crate::error::ApiError;

pub(super) fn encode<T: Serialize + ?Sized>(
    value: &T,
    out: &mut Vec<u8>,
) -> Result<(), EncodeError> {
    serde_json::to_writer(out, value).map_err(EncodeError::new)
}

pub(super) fn decode(body: &[u8], limits: &DecodeLimits) -> Result<Raw, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let raw = RawSeed::new(limits)
        .deserialize(&mut de)
        .and_then(|raw| de.end().map(|()| raw))
        .map_err(|e| {
            ApiError::bad_request(format!("malformed JSON: {e}")).with_code("malformed_body")
        })?;
    Ok(raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Raw, ApiError> {
        decode(text.as_bytes(), &DecodeLimits::default())
    }

    #[test]
    fn decodes_every_kind_of_value() {
        let raw = parse(r#"{"a": [1, -2, 1.5, true, null, "x"]}"#).unwrap();
        let Raw::Map(map) = raw else {
            panic!("not a map")
        };
        assert_eq!(
            map.get("a"),
            Some(&Raw::List(vec![
                Raw::Number("1".into()),
                Raw::Number("-2".into()),
                Raw::Number("1.5".into()),
                Raw::Bool(true),
                Raw::Null,
                Raw::Text("x".into()),
            ]))
        );
    }

    #[test]
    fn rejects_malformed_deep_and_duplicate_input_with_400() {
        for (input, needle) in [
            ("{\"a\": ", "line 1"),
            ("{\"a\":1,\"a\":2}", "duplicate key"),
            (&"[".repeat(40), "too deeply"),
            ("[1] x", "trailing"),
        ] {
            let err = parse(input).unwrap_err();
            assert_eq!(err.status().as_u16(), 400, "{input}");
            assert!(
                err.detail().unwrap().contains(needle),
                "{input}: {:?}",
                err.detail()
            );
        }
    }

    /// Found by the `decode_json` fuzz target (fuzz/README.md): a float
    /// is read to the nearest double of the literal the client wrote, so
    /// decoding what the encoder wrote gives the same number back.
    #[test]
    fn floats_are_read_exactly_and_round_trip() {
        for literal in [
            "8.8888888888888e+38",
            "8.8888888888888e38",
            "0.1",
            "2.2250738585072014e-308",
        ] {
            let raw = parse(literal).unwrap();
            let Raw::Number(text) = &raw else {
                panic!("{literal}: {raw:?}")
            };
            let exact: f64 = literal.parse().unwrap();
            assert_eq!(
                text.parse::<f64>().unwrap(),
                exact,
                "{literal} read as {text}"
            );
            let mut out = Vec::new();
            encode(&raw, &mut out).unwrap();
            assert_eq!(
                decode(&out, &DecodeLimits::default()).unwrap(),
                raw,
                "{literal}"
            );
        }
    }

    #[test]
    fn depth_limit_is_exact() {
        let ok = "[".repeat(32) + &"]".repeat(32);
        let deep = "[".repeat(33) + &"]".repeat(33);
        assert!(parse(&ok).is_ok());
        assert!(parse(&deep).is_err());
    }
}
