//! [`Created`]: 201 with the new resource and its `Location`.

use http::header::LOCATION;
use http::{HeaderValue, StatusCode};

use super::body::{render_body, respond};
use super::conditional;
use super::{OutputMeta, Reply, Response};
use crate::context::{App, Context};
use crate::error::ApiError;
use crate::format::Wire;
use crate::render::{Nested, Render};
use crate::resource::Resource;
use crate::select::Plan;

/// 201 Created: the new resource, and where it lives (`Location`).
pub struct Created<T> {
    location: String,
    value: T,
}

impl<T> Created<T> {
    /// `value`, created at `path` (a route path such as
    /// `GetAlbum::path(id)`; the API's base path is prefixed).
    pub fn at(path: String, value: T) -> Self {
        Self {
            location: path,
            value,
        }
    }
}

impl<A: App, T> Reply<A> for Created<T>
where
    T: Nested + Send,
    T::Item: Render<A>,
{
    const OUTPUT: OutputMeta = OutputMeta {
        status: 201,
        ..<T as Reply<A>>::OUTPUT
    };

    fn into_response(
        self,
        ctx: &Context<A>,
        envelope: Option<&'static str>,
        wire: &Wire,
    ) -> Result<Response, ApiError> {
        let base = Plan::defaults(T::Item::META);
        let body = render_body(&self.value, ctx, &base, envelope, wire)?;
        let mut response = respond(StatusCode::CREATED, wire, body);
        let validators = conditional::Validators {
            tag: self.value.etag::<A>(),
            modified: self.value.modified::<A>(),
        };
        conditional::finish(&mut response, validators, ctx);
        let location = HeaderValue::try_from(ctx.link(&self.location))
            .map_err(|_| ApiError::internal("a Location header was not a valid header value"))?;
        response.headers_mut().insert(LOCATION, location);
        Ok(response)
    }
}
