//! Formats: serialization decoupled from the data.
//!
//! A [`Format`] decodes request bodies into the format-neutral [`Raw`]
//! tree and encodes responses through serde. JSON and XML are built in
//! (and take a static, non-virtual path on every response); form-urlencoded
//! is built in as input only. CBOR (`Cbor`, feature `cbor`) and
//! MessagePack (`MessagePack`, feature `msgpack`) ship as optional
//! formats an API registers with
//! [`ApiBuilder::format`](crate::ApiBuilder::format). Add your own from any
//! serde serializer and deserializer by implementing [`SerdeFormat`] (two
//! functions; it is how CBOR and MessagePack are written), or [`Format`]
//! itself for a format that is not serde's.
//!
//! Every format renders the same fields for the same caller and
//! selection: audiences and `fields=` are applied before the value
//! reaches the serializer, so a format cannot reveal more than JSON does.

#[cfg(feature = "cbor")]
mod cbor;
mod form;
mod json;
#[cfg(feature = "msgpack")]
mod msgpack;
mod raw_de;
mod serde_format;
mod xml;

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

#[cfg(feature = "cbor")]
pub use cbor::Cbor;
/// The type-erased `Serialize` of [`Format::encode`], for formats that
/// implement [`Format`] rather than [`SerdeFormat`].
pub use erased_serde;
pub use form::decode_form;
#[cfg(feature = "msgpack")]
pub use msgpack::MessagePack;
pub use raw_de::RawSeed;
pub use serde_format::{DecodeError, SerdeFormat};

use crate::argument::Raw;
use crate::error::ApiError;

/// Bounds on what a decoder accepts.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct DecodeLimits {
    /// The deepest nesting of lists and maps (default 32).
    pub max_depth: usize,
}

impl Default for DecodeLimits {
    fn default() -> Self {
        Self { max_depth: 32 }
    }
}

impl DecodeLimits {
    /// Limits with `max_depth`.
    pub fn with_max_depth(max_depth: usize) -> Self {
        Self { max_depth }
    }
}

/// Why a response could not be encoded. Never shown to clients: it is a
/// bug in the server (a `Serialize` impl that failed), answered as 500.
#[derive(Debug)]
pub struct EncodeError(String);

impl EncodeError {
    /// An encode error with a message for the log.
    pub fn new(message: impl fmt::Display) -> Self {
        Self(message.to_string())
    }
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EncodeError {}

impl From<EncodeError> for ApiError {
    fn from(err: EncodeError) -> Self {
        Self::internal(format!("encoding the response failed: {err}"))
    }
}

/// A wire format, for formats users add: the object-safe trait an `Api`
/// keeps its formats behind. A format made of a serde serializer and
/// deserializer is simpler to write as a [`SerdeFormat`] (every one is a
/// `Format`); implement `Format` itself for one that is not serde's.
///
/// ```
/// use pale_core::argument::Raw;
/// use pale_core::format::{DecodeLimits, EncodeError, Format, erased_serde};
/// use pale_core::ApiError;
///
/// /// Plain text: `Debug`-free, one line per value.
/// struct Text;
///
/// impl Format for Text {
///     fn media_type(&self) -> &'static str { "text/plain" }
///     fn problem_media_type(&self) -> &'static str { "text/plain" }
///     fn encode(&self, _root: &str, value: &dyn erased_serde::Serialize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
///         // Delegate to JSON for the example.
///         serde_json::to_writer(out, value).map_err(EncodeError::new)
///     }
/// }
/// ```
pub trait Format: Send + Sync + 'static {
    /// The media type this format produces and reads (`application/cbor`).
    fn media_type(&self) -> &'static str;

    /// The media type of its problem documents.
    fn problem_media_type(&self) -> &'static str;

    /// Other names of the format, read in `Content-Type` and `Accept`
    /// (a response is labelled with the one the client asked for).
    fn aliases(&self) -> &'static [&'static str] {
        &[]
    }

    /// Decodes a request body; the default reads nothing (output only).
    fn decode(&self, body: &[u8], limits: &DecodeLimits) -> Result<Raw, ApiError> {
        let _ = (body, limits);
        Err(ApiError::unsupported_media_type(&[]))
    }

    /// Whether [`decode`](Format::decode) is implemented.
    fn can_decode(&self) -> bool {
        false
    }

    /// Encodes a response; `root` names the outermost element for formats
    /// that need one.
    fn encode(
        &self,
        root: &str,
        value: &dyn erased_serde::Serialize,
        out: &mut Vec<u8>,
    ) -> Result<(), EncodeError>;
}

/// A format an API speaks: a built-in one (dispatched statically) or one
/// added by the user.
#[derive(Clone)]
pub enum Wire {
    /// `application/json`.
    Json,
    /// `application/xml`.
    Xml,
    /// A user format.
    Custom(Arc<dyn Format>),
}

impl fmt::Debug for Wire {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.media_type())
    }
}

impl Wire {
    /// The media type of responses.
    pub fn media_type(&self) -> &'static str {
        match self {
            Self::Json => "application/json",
            Self::Xml => "application/xml",
            Self::Custom(format) => format.media_type(),
        }
    }

    /// The media type of problem documents.
    pub fn problem_media_type(&self) -> &'static str {
        match self {
            Self::Json => "application/problem+json",
            Self::Xml => "application/problem+xml",
            Self::Custom(format) => format.problem_media_type(),
        }
    }

    /// The format's other names (`text/xml` for XML), read in
    /// `Content-Type` and `Accept`.
    pub fn aliases(&self) -> &'static [&'static str] {
        match self {
            Self::Json => &[],
            Self::Xml => &["text/xml"],
            Self::Custom(format) => format.aliases(),
        }
    }

    /// Whether this format reads request bodies.
    pub fn can_decode(&self) -> bool {
        match self {
            Self::Json | Self::Xml => true,
            Self::Custom(format) => format.can_decode(),
        }
    }

    /// Encodes `value` into `out`.
    pub fn encode<T: Serialize + ?Sized>(
        &self,
        root: &str,
        value: &T,
        out: &mut Vec<u8>,
    ) -> Result<(), EncodeError> {
        match self {
            Self::Json => json::encode(value, out),
            Self::Xml => xml::encode(root, value, out),
            Self::Custom(format) => format.encode(root, &value, out),
        }
    }

    /// Decodes a request body.
    pub fn decode(&self, body: &[u8], limits: &DecodeLimits) -> Result<Raw, ApiError> {
        match self {
            Self::Json => json::decode(body, limits),
            Self::Xml => xml::decode(body, limits),
            Self::Custom(format) => format.decode(body, limits),
        }
    }
}
