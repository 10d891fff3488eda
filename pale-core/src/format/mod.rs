//! Formats: serialization decoupled from the data.
//!
//! A [`Format`] decodes request bodies into the format-neutral [`Raw`]
//! tree and encodes responses through serde. JSON and XML are built in
//! (and take a static, non-virtual path on every response); form-urlencoded
//! is built in as input only. Add your own — CBOR, MessagePack, YAML — by
//! implementing [`Format`] and registering it on the `Api`.

mod form;
mod json;
mod xml;

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

pub use form::decode_form;

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

/// A wire format, for formats users add.
///
/// ```
/// use pale_core::argument::Raw;
/// use pale_core::format::{DecodeLimits, EncodeError, Format};
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
