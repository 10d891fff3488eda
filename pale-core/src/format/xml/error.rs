//! The encoder's error, shared by the value and map-key serializers.

use std::fmt;

use serde::ser;

/// Why encoding failed: a `Serialize` impl's own error, or a value XML
/// cannot express (bytes, non-string map keys).
#[derive(Debug)]
pub(super) struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "xml: {}", self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Self(msg.to_string())
    }
}

impl Error {
    pub(super) fn new(msg: &str) -> Self {
        Self(msg.to_owned())
    }
}
