//! Path parameters, echoed.

use pale::prelude::*;
use serde::Serialize;

use crate::TimeApp;

/// Echo the two path parameters.
#[derive(Endpoint)]
#[pale(GET "/arg_test/{arg_a}/{arg_b}", name = "arg_test")]
pub struct ArgTest {
    /// The first segment.
    pub arg_a: String,
    /// The second segment.
    pub arg_b: String,
}

/// What `arg_test` answers.
#[derive(Debug, Serialize)]
pub struct ArgEcho {
    /// The first segment, percent-decoded.
    pub arg_a: String,
    /// The second segment, percent-decoded.
    pub arg_b: String,
}

impl Handler<TimeApp> for ArgTest {
    type Output = Plain<ArgEcho>;

    async fn handle(self, _: &Context<TimeApp>) -> Result<Self::Output, ApiError> {
        Ok(Plain::new(
            "arg_test",
            ArgEcho {
                arg_a: self.arg_a,
                arg_b: self.arg_b,
            },
        ))
    }
}
