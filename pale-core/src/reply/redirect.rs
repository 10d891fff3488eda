//! [`Redirect`]: 303, 307 or 308 to a path on this API.

use http::header::LOCATION;
use http::{HeaderValue, StatusCode};

use super::{OutputMeta, Reply, Response};
use crate::context::{App, Context};
use crate::error::ApiError;
use crate::format::Wire;

/// A redirect (303 See Other by default) to a path on this API or an
/// absolute URL.
#[derive(Clone, Debug)]
pub struct Redirect {
    status: StatusCode,
    location: String,
}

impl Redirect {
    /// 303 See Other to a route path (the base path is prefixed).
    pub fn see_other(path: String) -> Self {
        Self {
            status: StatusCode::SEE_OTHER,
            location: path,
        }
    }

    /// 307 Temporary Redirect to a route path (method and body kept).
    pub fn temporary(path: String) -> Self {
        Self {
            status: StatusCode::TEMPORARY_REDIRECT,
            location: path,
        }
    }

    /// 308 Permanent Redirect to a route path.
    pub fn permanent(path: String) -> Self {
        Self {
            status: StatusCode::PERMANENT_REDIRECT,
            location: path,
        }
    }
}

impl<A: App> Reply<A> for Redirect {
    const OUTPUT: OutputMeta = OutputMeta::of(303, None);

    fn into_response(
        self,
        ctx: &Context<A>,
        _: Option<&'static str>,
        _: &Wire,
    ) -> Result<Response, ApiError> {
        let mut response = http::Response::new(Vec::new());
        *response.status_mut() = self.status;
        let location = HeaderValue::try_from(ctx.link(&self.location))
            .map_err(|_| ApiError::internal("a redirect target was not a valid header value"))?;
        response.headers_mut().insert(LOCATION, location);
        Ok(response)
    }
}
