//! Formats the unit tests share (compiled for tests only).

use pale_core::format::{EncodeError, Format, erased_serde};

/// A format named as MessagePack is, with two aliases, whose problem
/// documents share its media type; it encodes nothing.
pub(crate) struct Packed;

impl Format for Packed {
    fn media_type(&self) -> &'static str {
        "application/vnd.msgpack"
    }
    fn problem_media_type(&self) -> &'static str {
        "application/vnd.msgpack"
    }
    fn aliases(&self) -> &'static [&'static str] {
        &["application/msgpack", "application/x-msgpack"]
    }
    fn can_decode(&self) -> bool {
        true
    }
    fn encode(
        &self,
        _: &str,
        _: &dyn erased_serde::Serialize,
        _: &mut Vec<u8>,
    ) -> Result<(), EncodeError> {
        Ok(())
    }
}
