//! An endpoint that answers nothing.

use pale::prelude::*;

use crate::TimeApp;

/// Do nothing, and say so with a 204.
#[derive(Endpoint)]
#[pale(POST "/blank", name = "resource_blank", cors = "*")]
pub struct Blank {}

impl Handler<TimeApp> for Blank {
    type Output = NoContent;

    async fn handle(self, _: &Context<TimeApp>) -> Result<NoContent, ApiError> {
        Ok(NoContent)
    }
}
