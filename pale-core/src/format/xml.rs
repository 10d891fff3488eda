//! XML in and out. (Being written: see the helper's task.)

use serde::Serialize;

use super::{DecodeLimits, EncodeError};
use crate::argument::Raw;
use crate::error::ApiError;

pub(super) fn encode<T: Serialize + ?Sized>(
    root: &str,
    value: &T,
    out: &mut Vec<u8>,
) -> Result<(), EncodeError> {
    let _ = (root, value, out);
    Err(EncodeError::new("xml: not yet written"))
}

pub(super) fn decode(body: &[u8], limits: &DecodeLimits) -> Result<Raw, ApiError> {
    let _ = (body, limits);
    Err(ApiError::bad_request("xml: not yet written"))
}
