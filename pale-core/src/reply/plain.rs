//! [`Plain`]: any `Serialize` value, outside the resource rules.

use http::StatusCode;
use serde::Serialize;

use super::body::{encode, respond};
use super::{OutputMeta, Reply, Response};
use crate::context::{App, Context};
use crate::error::ApiError;
use crate::format::Wire;

/// Any `Serialize` value, sent as it is: no field selection, no audiences.
/// For documents with no fixed shape; prefer a resource when there is one.
#[derive(Clone, Debug)]
pub struct Plain<T> {
    root: &'static str,
    value: T,
}

impl<T> Plain<T> {
    /// `value`, with `root` as its XML root element.
    pub fn new(root: &'static str, value: T) -> Self {
        Self { root, value }
    }
}

impl<A: App, T: Serialize + Send> Reply<A> for Plain<T> {
    const OUTPUT: OutputMeta = OutputMeta::of(200, None);

    fn into_response(
        self,
        ctx: &Context<A>,
        envelope: Option<&'static str>,
        wire: &Wire,
    ) -> Result<Response, ApiError> {
        // A plain value has no declared fields to choose from: say so
        // rather than silently ignore the client's `fields=`.
        if ctx.selection().is_some() {
            return Err(
                ApiError::bad_request("this endpoint's output has no fields to select")
                    .with_code("invalid_selection"),
            );
        }
        let body = encode(wire, envelope, self.root, &self.value)?;
        Ok(respond(StatusCode::OK, wire, body))
    }
}
