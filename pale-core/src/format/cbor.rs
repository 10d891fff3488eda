//! CBOR (RFC 8949) through `ciborium`, as a [`SerdeFormat`] (the `cbor`
//! feature).
//!
//! Responses are `application/cbor`. Problem documents are RFC 9457's
//! members in CBOR, labelled `application/problem+cbor`: the `+cbor`
//! structured syntax suffix is registered (RFC 8949 §9.5), the name
//! itself is not. It is not RFC 9290's `application/concise-problem-details+cbor`,
//! whose members are integer-keyed. Bodies decode into the same tree as
//! JSON: text map keys only, no byte strings and no tags (a generic
//! decoder may ignore tags, but an argument could then read a date where
//! the client sent an epoch); floats of every width read as numbers.

use super::{DecodeError, EncodeError, SerdeFormat};

/// CBOR bodies and responses; register with
/// [`ApiBuilder::format`](crate::ApiBuilder::format)`(Cbor)`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Cbor;

impl SerdeFormat for Cbor {
    fn media_type(&self) -> &'static str {
        "application/cbor"
    }

    fn problem_media_type(&self) -> &'static str {
        "application/problem+cbor"
    }

    fn encode<T: serde::Serialize + ?Sized>(
        &self,
        value: &T,
        out: &mut Vec<u8>,
    ) -> Result<(), EncodeError> {
        ciborium::into_writer(value, out).map_err(EncodeError::new)
    }

    fn decode<T: serde::de::DeserializeOwned>(&self, body: &[u8]) -> Result<T, DecodeError> {
        let mut rest = body;
        let value = ciborium::from_reader(&mut rest).map_err(describe)?;
        if !rest.is_empty() {
            return Err(DecodeError::new("bytes follow the value"));
        }
        Ok(value)
    }
}

/// Says what is wrong with the body in the client's terms.
fn describe(err: ciborium::de::Error<std::io::Error>) -> DecodeError {
    use ciborium::de::Error;
    match err {
        Error::Io(_) => DecodeError::new("the body ends inside a value"),
        Error::Syntax(at) => DecodeError::new(format_args!("invalid CBOR at byte {at}")),
        // The messages of `serde::de::Error::custom` and `invalid_type`:
        // the decoder's own words about the value.
        Error::Semantic(_, message) => DecodeError::new(message),
        Error::RecursionLimitExceeded => DecodeError::new("the document nests too deeply"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::{DecodeLimits, Format};

    fn cbor(value: &impl serde::Serialize) -> Vec<u8> {
        let mut out = Vec::new();
        SerdeFormat::encode(&Cbor, value, &mut out).unwrap();
        out
    }

    fn detail(body: &[u8], limits: &DecodeLimits) -> String {
        let err = Format::decode(&Cbor, body, limits).unwrap_err();
        assert_eq!(err.status().as_u16(), 400);
        assert_eq!(err.code(), "malformed_body");
        err.detail().unwrap().to_owned()
    }

    #[test]
    fn a_body_reads_as_the_same_tree_as_its_json() {
        let value = serde_json::json!({"a": [1, -2, 1.5, true, null, "x"], "b": {"c": 18446744073709551615u64}});
        let json = crate::format::Wire::Json
            .decode(value.to_string().as_bytes(), &DecodeLimits::default());
        let raw = Format::decode(&Cbor, &cbor(&value), &DecodeLimits::default()).unwrap();
        assert_eq!(Some(raw), json.ok());
    }

    #[test]
    fn malformed_deep_trailing_and_untyped_bodies_are_400s_in_plain_words() {
        let limits = DecodeLimits::default();
        let nested = |n: usize| {
            let mut v = serde_json::json!([]);
            for _ in 1..n {
                v = serde_json::json!([v]);
            }
            cbor(&v)
        };
        assert!(Format::decode(&Cbor, &nested(32), &limits).is_ok());
        let deep = detail(&nested(33), &limits);
        assert_eq!(
            deep,
            "malformed application/cbor body: the document nests too deeply"
        );
        let mut trailing = cbor(&1);
        trailing.push(0x01);
        assert!(detail(&trailing, &limits).ends_with("bytes follow the value"));
        // A map announcing 2 entries, holding one.
        assert!(detail(&[0xa2, 0x61, b'a', 0x01], &limits).ends_with("ends inside a value"));
        // A byte string, a tag (epoch time), an integer map key.
        for body in [&[0x41, 0x00][..], &[0xc1, 0x01], &[0xa1, 0x01, 0x02]] {
            assert!(detail(body, &limits).contains("invalid type"), "{body:?}");
        }
        // A text string claiming 4 GiB, eight bytes long: refused, not allocated.
        assert!(
            detail(&[0x7a, 0xff, 0xff, 0xff, 0xf0, b'a', b'b', b'c'], &limits)
                .ends_with("ends inside a value")
        );
        // NaN as a half float.
        assert!(detail(&[0xf9, 0x7e, 0x00], &limits).ends_with("not finite"));
        let duplicate = [0xa2, 0x61, b'a', 0x01, 0x61, b'a', 0x02];
        assert!(detail(&duplicate, &limits).ends_with("duplicate key"));
    }
}
