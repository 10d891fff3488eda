//! [`NoContent`]: 204, no body.

use http::StatusCode;

use super::{OutputMeta, Reply, Response};
use crate::context::{App, Context};
use crate::error::ApiError;
use crate::format::Wire;

/// 204 No Content: no body, no content type.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoContent;

impl<A: App> Reply<A> for NoContent {
    const OUTPUT: OutputMeta = OutputMeta::of(204, None);

    fn into_response(
        self,
        _: &Context<A>,
        _: Option<&'static str>,
        _: &Wire,
    ) -> Result<Response, ApiError> {
        let mut response = http::Response::new(Vec::new());
        *response.status_mut() = StatusCode::NO_CONTENT;
        Ok(response)
    }
}
