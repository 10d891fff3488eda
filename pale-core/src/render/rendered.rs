//! A value, a context and a plan, serialized together.
//!
//! [`Rendered`] implements `Serialize`, so JSON, XML and any serde format
//! render resources the same way, with no tree in between.

use serde::ser::{Serialize, SerializeStruct, Serializer};

use super::{Nested, Render};
use crate::audience::Audience;
use crate::context::{App, Context};
use crate::select::PlanRef;

/// A value rendered for a context with a plan; implements `Serialize`.
pub struct Rendered<'a, T: ?Sized, A: App> {
    value: &'a T,
    ctx: &'a Context<A>,
    plan: PlanRef<'a>,
}

impl<'a, T: ?Sized, A: App> Rendered<'a, T, A> {
    /// Pairs a value with a context and a plan.
    #[inline]
    pub fn new(value: &'a T, ctx: &'a Context<A>, plan: PlanRef<'a>) -> Self {
        Self { value, ctx, plan }
    }
}

impl<T, A> Serialize for Rendered<'_, T, A>
where
    T: Nested,
    T::Item: Render<A>,
    A: App,
{
    #[inline]
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.render(self.ctx, self.plan, serializer)
    }
}

/// Serializes one object: its viewer is computed once, then the selected
/// fields it may see are emitted in declaration order.
#[inline]
pub fn render_one<T: Render<A>, A: App, S: Serializer>(
    value: &T,
    ctx: &Context<A>,
    plan: PlanRef<'_>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let viewer = viewer_of(value, ctx, plan.parent());
    let emit = plan.fields().and(value.visible(viewer, ctx));
    let mut out = serializer.serialize_struct(T::META.name, emit.len())?;
    value.render_fields(emit, plan.under(viewer), ctx, &mut out)?;
    out.end()
}

/// The viewer of `value`: its own function's answer, or for a resource
/// without one, its parent's viewer (at the top level, the caller's
/// [`Context::audience`]).
#[inline]
pub fn viewer_of<T: Render<A>, A: App>(
    value: &T,
    ctx: &Context<A>,
    parent: Option<Audience>,
) -> Audience {
    if T::INHERITS_VIEWER {
        parent.unwrap_or_else(|| ctx.audience())
    } else {
        value.viewer(ctx)
    }
}
