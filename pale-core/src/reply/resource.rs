//! Resources as replies: one, a list, an `Option`, or a [`Page`] of them,
//! rendered for the caller with the resource's default fields unless the
//! client chose others.

use http::StatusCode;
use serde::Serialize;

use super::body::{choose_plan, encode, render_body, respond};
use super::conditional;
use super::{OutputMeta, Reply, Response};
use crate::context::{App, Context};
use crate::error::ApiError;
use crate::format::Wire;
use crate::render::{Nested, Page, Render};
use crate::resource::Resource;
use crate::select::{Plan, PlanRef};

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
        conditional::finish(&mut response, self.etag::<A>(), ctx);
        Ok(response)
    }
}

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
        let mut resolved = None;
        let plan = choose_plan(ctx, T::META, PlanRef::of(T::META.defaults), &mut resolved)?;
        let page = RenderedPage {
            page: &self,
            ctx,
            plan,
        };
        let body = encode(wire, envelope, "page", &page)?;
        Ok(respond(StatusCode::OK, wire, body))
    }
}

/// A page paired with its context and plan, so it can go through `encode`.
struct RenderedPage<'a, T, A: App> {
    page: &'a Page<T>,
    ctx: &'a Context<A>,
    plan: PlanRef<'a>,
}

impl<T: Render<A>, A: App> Serialize for RenderedPage<'_, T, A> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.page.render(self.ctx, self.plan, serializer)
    }
}
