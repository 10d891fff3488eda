//! Rendering: a resource serialized for one caller, with one plan, through
//! any `serde::Serializer`.
//!
//! The derive writes a [`Render`] impl that serializes the fields through
//! any `serde::Serializer`, with no intermediate tree. For each object the
//! viewer function runs once; the fields emitted are the selected ones (the
//! [`PlanRef`]) that this viewer may see ([`FieldSet`] masks), so a hidden
//! field is absent in JSON, XML and any other format alike. [`Nested`]
//! carries the same rules into fields that hold resources.
//!
//! Rendering speaks serde so that every format, including one a user
//! adds, follows the same rules (ARCHITECTURE.md, decision 1). It lives
//! apart from `resource` (the static field table) because it needs the
//! request [`Context`], and the context sits above the table and the
//! selection it carries.

mod page;
mod rendered;

pub use page::{Page, PageBody};
pub use rendered::{Rendered, render_one, viewer_of};

use serde::Serializer;
use serde::ser::SerializeStruct;

use crate::audience::Audience;
use crate::context::{App, Context};
use crate::resource::{FieldSet, Resource};
use crate::select::PlanRef;

/// Rendering a resource for a viewer in an app's context. Derived: with
/// `#[pale(context = App)]` for that app only, without it for every app.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not render for the app `{A}`",
    label = "`{Self}` renders for another app",
    note = "a resource with `#[pale(context = App)]` renders only for that app: give the resources nested in it the same `context`, or none"
)]
pub trait Render<A: App>: Resource {
    /// Whether this resource has no viewer function of its own, and so is
    /// seen (and written) as the object it is nested in is: an album's
    /// owner is the owner of its links too.
    const INHERITS_VIEWER: bool = false;

    /// The audience of the current viewer for this object (once per object).
    fn viewer(&self, ctx: &Context<A>) -> Audience;

    /// The fields this object shows to `viewer`; the derive overrides it
    /// for fields with a `visible = predicate`.
    #[inline]
    fn visible(&self, viewer: Audience, ctx: &Context<A>) -> FieldSet {
        let _ = ctx;
        Self::META.visible_to(viewer)
    }

    /// The entity tag of this object's current state, if it has one
    /// (`#[pale(etag = path)]`): sent as `ETag`, checked against `If-Match`.
    fn etag(&self) -> Option<String> {
        None
    }

    /// When this object last changed, if it says (`#[pale(modified =
    /// path)]`): sent as `Last-Modified`, compared with
    /// `If-Modified-Since`.
    fn modified(&self) -> Option<std::time::SystemTime> {
        None
    }

    /// Serializes the fields in `emit`, in declaration order.
    fn render_fields<M: SerializeStruct>(
        &self,
        emit: FieldSet,
        plan: PlanRef<'_>,
        ctx: &Context<A>,
        out: &mut M,
    ) -> Result<(), M::Error>;
}

/// A field value holding resources: one, a list, or an optional one.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a resource, so it cannot be nested",
    label = "not a resource, nor a `Vec`, `Option` or `Arc` of one",
    note = "derive `Resource` for the type inside, or remove `subfields(...)` / `nested` to render the field as a plain value"
)]
pub trait Nested {
    /// The resource inside.
    type Item: Resource;
    /// Whether this is a list.
    const MANY: bool;

    /// The entity tag of a single object (lists have none).
    fn etag<A: App>(&self) -> Option<String>
    where
        Self::Item: Render<A>,
    {
        None
    }

    /// When a single object last changed (lists have no such time).
    fn modified<A: App>(&self) -> Option<std::time::SystemTime>
    where
        Self::Item: Render<A>,
    {
        None
    }

    /// Serializes the value for `ctx` with `plan`.
    fn render<A: App, S: Serializer>(
        &self,
        ctx: &Context<A>,
        plan: PlanRef<'_>,
        serializer: S,
    ) -> Result<S::Ok, S::Error>
    where
        Self::Item: Render<A>;
}

impl<T: Resource> Nested for T {
    type Item = T;
    const MANY: bool = false;

    fn etag<A: App>(&self) -> Option<String>
    where
        T: Render<A>,
    {
        Render::etag(self)
    }

    fn modified<A: App>(&self) -> Option<std::time::SystemTime>
    where
        T: Render<A>,
    {
        Render::modified(self)
    }

    fn render<A: App, S: Serializer>(
        &self,
        ctx: &Context<A>,
        plan: PlanRef<'_>,
        serializer: S,
    ) -> Result<S::Ok, S::Error>
    where
        T: Render<A>,
    {
        render_one(self, ctx, plan, serializer)
    }
}

impl<T: Resource> Nested for Vec<T> {
    type Item = T;
    const MANY: bool = true;

    fn render<A: App, S: Serializer>(
        &self,
        ctx: &Context<A>,
        plan: PlanRef<'_>,
        serializer: S,
    ) -> Result<S::Ok, S::Error>
    where
        T: Render<A>,
    {
        serializer.collect_seq(self.iter().map(|item| Rendered::new(item, ctx, plan)))
    }
}

impl<T: Resource> Nested for Option<T> {
    type Item = T;
    const MANY: bool = false;

    fn render<A: App, S: Serializer>(
        &self,
        ctx: &Context<A>,
        plan: PlanRef<'_>,
        serializer: S,
    ) -> Result<S::Ok, S::Error>
    where
        T: Render<A>,
    {
        match self {
            Some(item) => serializer.serialize_some(&Rendered::new(item, ctx, plan)),
            None => serializer.serialize_none(),
        }
    }
}

impl<T: Resource> Nested for std::sync::Arc<T> {
    type Item = T;
    const MANY: bool = false;

    fn etag<A: App>(&self) -> Option<String>
    where
        T: Render<A>,
    {
        Render::etag(&**self)
    }

    fn modified<A: App>(&self) -> Option<std::time::SystemTime>
    where
        T: Render<A>,
    {
        Render::modified(&**self)
    }

    fn render<A: App, S: Serializer>(
        &self,
        ctx: &Context<A>,
        plan: PlanRef<'_>,
        serializer: S,
    ) -> Result<S::Ok, S::Error>
    where
        T: Render<A>,
    {
        render_one(&**self, ctx, plan, serializer)
    }
}
