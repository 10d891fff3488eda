//! A format from a serde `Serializer`/`Deserializer` pair, and nothing of
//! Pale's insides.
//!
//! [`Format`] is the object-safe trait the `Api` keeps its formats behind;
//! its `encode` takes an `erased_serde` value and its `decode` returns the
//! [`Raw`] tree. A user's format should need neither: [`SerdeFormat`]
//! asks for two generic functions, the ones every serde format crate
//! already has (`to_writer`, `from_slice`), and a blanket impl turns it
//! into a [`Format`]. The decode side asks for any `DeserializeOwned`
//! type, and Pale asks it for a [`Raw`], whose `Deserialize` impl keeps
//! the API's [`DecodeLimits`] (so the limits hold whatever the format
//! crate's own recursion limit is). The built-in CBOR and MessagePack
//! formats are written this way.

use std::fmt;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{DecodeLimits, EncodeError, Format, raw_de};
use crate::argument::Raw;
use crate::error::ApiError;

/// Why a request body could not be decoded. Its message is the detail of
/// the 400 problem the client receives, so it must say what is wrong with
/// the body and nothing about the server: prefer your own words to a
/// parser's `Debug` output.
#[derive(Debug)]
pub struct DecodeError(String);

impl DecodeError {
    /// A decode error whose message the client will read.
    pub fn new(message: impl fmt::Display) -> Self {
        Self(message.to_string())
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DecodeError {}

/// A wire format made of a serde serializer and deserializer: implement
/// it, and register the value with
/// [`ApiBuilder::format`](crate::ApiBuilder::format) like any [`Format`]
/// (a blanket impl makes every `SerdeFormat` one). Responses and problem
/// documents are encoded with [`encode`](SerdeFormat::encode), request
/// bodies with that `Content-Type` decoded with
/// [`decode`](SerdeFormat::decode); audiences, `fields=`, arguments and
/// their errors work as they do in JSON, and the OpenAPI document lists
/// the media type.
///
/// Here a user's format, with `serde_json` standing in for the crate of
/// your choice:
///
/// ```
/// use pale_core::format::{DecodeError, EncodeError, SerdeFormat};
/// use serde::Serialize;
/// use serde::de::DeserializeOwned;
///
/// /// JSON under another name, as a stand-in for YAML, BSON, …
/// struct Mine;
///
/// impl SerdeFormat for Mine {
///     fn media_type(&self) -> &'static str { "application/x-mine" }
///     fn problem_media_type(&self) -> &'static str { "application/problem+x-mine" }
///
///     fn encode<T: Serialize + ?Sized>(&self, value: &T, out: &mut Vec<u8>) -> Result<(), EncodeError> {
///         serde_json::to_writer(out, value).map_err(EncodeError::new)
///     }
///
///     fn decode<T: DeserializeOwned>(&self, body: &[u8]) -> Result<T, DecodeError> {
///         serde_json::from_slice(body).map_err(|e| DecodeError::new(format!("line {} column {}", e.line(), e.column())))
///     }
/// }
///
/// // Registered like any format, after JSON and XML:
/// let api = pale_core::Api::builder(()).format(Mine).build().unwrap();
/// let types: Vec<&str> = api.formats().iter().map(|f| f.media_type()).collect();
/// assert_eq!(types, ["application/json", "application/xml", "application/x-mine"]);
///
/// // Bodies decode into the same tree JSON's do, within the API's limits:
/// use pale_core::format::{DecodeLimits, Format};
/// let raw = Format::decode(&Mine, br#"{"title": "Blue"}"#, &DecodeLimits::default()).unwrap();
/// assert_eq!(raw, Format::decode(&Mine, br#"{"title":"Blue"}"#, &DecodeLimits::default()).unwrap());
/// let deep = Format::decode(&Mine, b"[[[]]]", &DecodeLimits::with_max_depth(2)).unwrap_err();
/// assert_eq!(deep.status().as_u16(), 400);
/// ```
pub trait SerdeFormat: Send + Sync + 'static {
    /// The media type of responses, and of request bodies
    /// (`application/cbor`).
    fn media_type(&self) -> &'static str;

    /// The media type of problem documents (RFC 9457's members, encoded
    /// by [`encode`](SerdeFormat::encode)).
    fn problem_media_type(&self) -> &'static str;

    /// Other names of the format, read in `Content-Type` and `Accept`
    /// (a response is labelled with the one the client asked for); none
    /// by default.
    fn aliases(&self) -> &'static [&'static str] {
        &[]
    }

    /// Encodes `value` into `out`. Fields arrive as a map (or a struct)
    /// with their names: the format must keep them (a format that writes
    /// structs as arrays loses the audience's field set).
    fn encode<T: Serialize + ?Sized>(
        &self,
        value: &T,
        out: &mut Vec<u8>,
    ) -> Result<(), EncodeError>;

    /// Decodes the whole `body` as one `T`; trailing bytes are an error.
    /// Pale asks for a [`Raw`], which bounds its own nesting.
    fn decode<T: DeserializeOwned>(&self, body: &[u8]) -> Result<T, DecodeError>;
}

impl<F: SerdeFormat> Format for F {
    fn media_type(&self) -> &'static str {
        SerdeFormat::media_type(self)
    }

    fn problem_media_type(&self) -> &'static str {
        SerdeFormat::problem_media_type(self)
    }

    fn aliases(&self) -> &'static [&'static str] {
        SerdeFormat::aliases(self)
    }

    fn decode(&self, body: &[u8], limits: &DecodeLimits) -> Result<Raw, ApiError> {
        raw_de::with_limits(limits, || SerdeFormat::decode::<Raw>(self, body)).map_err(|e| {
            ApiError::bad_request(format!(
                "malformed {} body: {e}",
                SerdeFormat::media_type(self)
            ))
            .with_code("malformed_body")
        })
    }

    fn can_decode(&self) -> bool {
        true
    }

    fn encode(
        &self,
        _root: &str,
        value: &dyn erased_serde::Serialize,
        out: &mut Vec<u8>,
    ) -> Result<(), EncodeError> {
        SerdeFormat::encode(self, value, out)
    }
}
