//! A [`Page`] as a reply: the members the client selected, and the page's
//! links both in the body and in a `Link` header (RFC 8288).
//!
//! The links are built from the request being served (its path under the
//! API's base path, its query with `page` or `after` changed), once per
//! response and not per item.

use http::header::LINK;
use http::{HeaderValue, StatusCode};

use super::body::{encode, respond};
use super::{OutputMeta, Reply, Response};
use crate::context::{App, Context};
use crate::error::ApiError;
use crate::format::Wire;
use crate::page::Links;
use crate::render::{Page, PageBody, Render};
use crate::resource::Resource;
use crate::select::PagePlan;

impl<A: App, T> Reply<A> for Page<T>
where
    T: Resource + Render<A> + Send,
{
    const OUTPUT: OutputMeta = OutputMeta {
        many: true,
        page: true,
        ..OutputMeta::of(200, Some(T::META))
    };

    fn into_response(
        self,
        ctx: &Context<A>,
        envelope: Option<&'static str>,
        wire: &Wire,
    ) -> Result<Response, ApiError> {
        let plan = PagePlan::resolve(ctx.selection(), T::META, ctx.ceiling())?;
        let links = Links::of(ctx, self.position())
            .map(|links| links.by_key(self.cursor.as_ref(), self.next.as_ref()));
        let body = PageBody::new(&self, ctx, &plan, links.as_ref());
        let mut response = respond(StatusCode::OK, wire, encode(wire, envelope, "page", &body)?);
        if let Some(links) = &links {
            let header = HeaderValue::try_from(links.header())
                .map_err(|_| ApiError::internal("a Link header was not a valid header value"))?;
            response.headers_mut().insert(LINK, header);
        }
        Ok(response)
    }
}
