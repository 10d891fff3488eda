//! The one road from a value to a response body: choose the plan, render,
//! encode inside the envelope.
//!
//! The plan is chosen in exactly one place ([`choose_plan`]), so every
//! reply kind treats `fields=` alike: resolved once per response for the
//! caller's ceiling, or the kind's default when the client sent none.

use http::header::{CONTENT_TYPE, VARY};
use http::{HeaderValue, StatusCode};
use serde::Serialize;

use super::Response;
use crate::context::{App, Context};
use crate::error::ApiError;
use crate::format::Wire;
use crate::render::{Nested, Render, Rendered};
use crate::resource::{Resource, ResourceMeta};
use crate::select::{Plan, PlanRef};

/// The plan a response renders `meta` with: the client's `fields=`
/// resolved for this caller (kept in `resolved`), or `base` when it sent
/// none.
pub(super) fn choose_plan<'a, A: App>(
    ctx: &Context<A>,
    meta: &'static ResourceMeta,
    base: PlanRef<'a>,
    resolved: &'a mut Option<Plan>,
) -> Result<PlanRef<'a>, ApiError> {
    match ctx.selection() {
        Some(selection) => Ok(resolved
            .insert(Plan::resolve(selection, meta, ctx.ceiling())?)
            .as_ref()),
        None => Ok(base),
    }
}

/// Renders `value` with the client's selection (or `base`), wrapped in
/// `envelope` when there is one.
pub fn render_body<A: App, T>(
    value: &T,
    ctx: &Context<A>,
    base: &Plan,
    envelope: Option<&'static str>,
    wire: &Wire,
) -> Result<Vec<u8>, ApiError>
where
    T: Nested,
    T::Item: Render<A>,
{
    let mut resolved = None;
    let plan = choose_plan(ctx, T::Item::META, base.as_ref(), &mut resolved)?;
    let rendered = Rendered::new(value, ctx, plan);
    let root = if T::MANY { "list" } else { T::Item::META.name };
    encode(wire, envelope, root, &rendered)
}

/// Encodes `value`, in `envelope` if there is one: `{"key": value}` in
/// JSON, `<key>…</key>` as the root element in XML.
pub fn encode<T: Serialize + ?Sized>(
    wire: &Wire,
    envelope: Option<&'static str>,
    root: &str,
    value: &T,
) -> Result<Vec<u8>, ApiError> {
    let mut out = Vec::with_capacity(2048);
    match (envelope, wire) {
        (Some(key), Wire::Xml) => wire.encode(key, value, &mut out)?,
        (Some(key), _) => wire.encode(key, &Envelope { key, value }, &mut out)?,
        (None, _) => wire.encode(root, value, &mut out)?,
    }
    Ok(out)
}

struct Envelope<'a, T: ?Sized> {
    key: &'static str,
    value: &'a T,
}

impl<T: Serialize + ?Sized> Serialize for Envelope<'_, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = serializer.serialize_struct("envelope", 1)?;
        out.serialize_field(self.key, self.value)?;
        out.end()
    }
}

/// A rendered resource as a response: its format's `Content-Type`, and
/// `Vary: Accept, Authorization`, since the bytes depend on the format
/// negotiated and on who is asking (the fields of the caller's audience),
/// so a cache must not hand one client's copy to another.
pub(super) fn respond(status: StatusCode, wire: &Wire, body: Vec<u8>) -> Response {
    let mut response = http::Response::new(body);
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(wire.media_type()));
    headers.insert(VARY, HeaderValue::from_static("Accept, Authorization"));
    response
}
