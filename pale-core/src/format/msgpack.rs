//! MessagePack through `rmp-serde`, as a [`SerdeFormat`] (the `msgpack`
//! feature).
//!
//! Responses and problem documents are `application/vnd.msgpack`, the
//! IANA-registered name; `application/msgpack` and `application/x-msgpack`,
//! the names in older use, are read in `Content-Type` and `Accept` too
//! (a response is labelled with the one asked for). MessagePack has no
//! structured syntax suffix, so a problem document is told apart by its
//! status alone. Structs are written as maps with their field names, never
//! as arrays: the field names are what an audience's rendering is made
//! of. Bodies decode into the same tree as JSON: text map keys only, no
//! binary or extension values.

use super::{DecodeError, EncodeError, SerdeFormat};

/// MessagePack bodies and responses; register with
/// [`ApiBuilder::format`](crate::ApiBuilder::format)`(MessagePack)`.
#[derive(Clone, Copy, Debug, Default)]
pub struct MessagePack;

impl SerdeFormat for MessagePack {
    fn media_type(&self) -> &'static str {
        "application/vnd.msgpack"
    }

    fn problem_media_type(&self) -> &'static str {
        "application/vnd.msgpack"
    }

    fn aliases(&self) -> &'static [&'static str] {
        &["application/msgpack", "application/x-msgpack"]
    }

    fn encode<T: serde::Serialize + ?Sized>(
        &self,
        value: &T,
        out: &mut Vec<u8>,
    ) -> Result<(), EncodeError> {
        rmp_serde::encode::write_named(out, value).map_err(EncodeError::new)
    }

    fn decode<T: serde::de::DeserializeOwned>(&self, body: &[u8]) -> Result<T, DecodeError> {
        let mut rest = body;
        // The reading deserializer copies a string as its bytes arrive, so
        // a length prefix larger than the body allocates nothing.
        let mut de = rmp_serde::Deserializer::new(&mut rest);
        let value = T::deserialize(&mut de).map_err(describe)?;
        drop(de);
        if !rest.is_empty() {
            return Err(DecodeError::new("bytes follow the value"));
        }
        Ok(value)
    }
}

/// Says what is wrong with the body in the client's terms.
fn describe(err: rmp_serde::decode::Error) -> DecodeError {
    use rmp_serde::decode::Error;
    match err {
        Error::InvalidMarkerRead(_) | Error::InvalidDataRead(_) | Error::LengthMismatch(_) => {
            DecodeError::new("the body ends inside a value")
        }
        Error::TypeMismatch(_) | Error::OutOfRange => {
            DecodeError::new("a value has an unexpected type")
        }
        // The messages of `serde::de::Error::custom` and `invalid_type`:
        // the decoder's own words about the value.
        Error::Uncategorized(message) | Error::Syntax(message) => DecodeError::new(message),
        Error::Utf8Error(_) => DecodeError::new("a string is not UTF-8"),
        Error::DepthLimitExceeded => DecodeError::new("the document nests too deeply"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::{DecodeLimits, Format};

    fn msgpack(value: &impl serde::Serialize) -> Vec<u8> {
        let mut out = Vec::new();
        SerdeFormat::encode(&MessagePack, value, &mut out).unwrap();
        out
    }

    fn detail(body: &[u8], limits: &DecodeLimits) -> String {
        let err = Format::decode(&MessagePack, body, limits).unwrap_err();
        assert_eq!(err.status().as_u16(), 400);
        assert_eq!(err.code(), "malformed_body");
        err.detail().unwrap().to_owned()
    }

    #[test]
    fn structs_are_maps_with_their_field_names() {
        #[derive(serde::Serialize)]
        struct Song {
            title: &'static str,
        }
        assert_eq!(
            msgpack(&Song { title: "x" }),
            [0x81, 0xa5, b't', b'i', b't', b'l', b'e', 0xa1, b'x']
        );
    }

    #[test]
    fn a_body_reads_as_the_same_tree_as_its_json() {
        let value = serde_json::json!({"a": [1, -2, 1.5, true, null, "x"], "b": {"c": 18446744073709551615u64}});
        let json = crate::format::Wire::Json
            .decode(value.to_string().as_bytes(), &DecodeLimits::default());
        let raw = Format::decode(&MessagePack, &msgpack(&value), &DecodeLimits::default()).unwrap();
        assert_eq!(Some(raw), json.ok());
    }

    #[test]
    fn malformed_deep_trailing_and_untyped_bodies_are_400s_in_plain_words() {
        let limits = DecodeLimits::default();
        let nested = |n: usize| [vec![0x91; n - 1], vec![0x90]].concat();
        assert!(Format::decode(&MessagePack, &nested(32), &limits).is_ok());
        let deep = detail(&nested(33), &limits);
        assert_eq!(
            deep,
            "malformed application/vnd.msgpack body: the document nests too deeply"
        );
        assert!(detail(&[0x01, 0x01], &limits).ends_with("bytes follow the value"));
        assert!(detail(&[0x82, 0xa1, b'a', 0x01], &limits).ends_with("ends inside a value"));
        // A str32 claiming 4 GiB, eight bytes long: refused, not allocated.
        assert!(
            detail(&[0xdb, 0xff, 0xff, 0xff, 0xf0, b'a', b'b', b'c'], &limits)
                .ends_with("ends inside a value")
        );
        // Binary, an extension value, an integer map key, invalid UTF-8.
        for body in [
            &[0xc4, 0x01, 0x00][..],
            &[0xd4, 0x01, 0x00],
            &[0x81, 0x01, 0x02],
        ] {
            assert!(detail(body, &limits).contains("invalid type"), "{body:?}");
        }
        assert!(detail(&[0xa1, 0xff], &limits).ends_with("not UTF-8"));
        // NaN as a float 64; a reserved marker.
        assert!(detail(&[0xcb, 0x7f, 0xf8, 0, 0, 0, 0, 0, 0], &limits).ends_with("not finite"));
        assert!(detail(&[0xc1], &limits).ends_with("unexpected type"));
    }
}
