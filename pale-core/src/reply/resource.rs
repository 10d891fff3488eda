//! Resources as replies: one, a list or an `Option` of them, rendered for
//! the caller with the resource's default fields unless the client chose
//! others. A [`Page`](crate::Page) of them is `page.rs`'s.

use http::StatusCode;

use super::body::{render_body, respond};
use super::conditional;
use super::{OutputMeta, Reply, Response};
use crate::context::{App, Context};
use crate::error::ApiError;
use crate::format::Wire;
use crate::render::{Nested, Render};
use crate::resource::Resource;
use crate::select::Plan;

impl<A: App, T> Reply<A> for T
where
    T: Nested + Send,
    T::Item: Render<A>,
{
    const OUTPUT: OutputMeta = OutputMeta {
        many: T::MANY,
        ..OutputMeta::of(200, Some(<T::Item as Resource>::META))
    };

    fn into_response(
        self,
        ctx: &Context<A>,
        envelope: Option<&'static str>,
        wire: &Wire,
    ) -> Result<Response, ApiError> {
        let base = Plan::defaults(T::Item::META);
        let body = render_body(&self, ctx, &base, envelope, wire)?;
        let mut response = respond(StatusCode::OK, wire, body);
        let validators = conditional::Validators {
            tag: self.etag::<A>(),
            modified: self.modified::<A>(),
        };
        conditional::finish(&mut response, validators, ctx);
        Ok(response)
    }
}
