//! [`Fields`]: a resource with the handler's own default selection.

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

/// A resource rendered with the handler's own default selection; the
/// client's `fields=` still wins when given.
///
/// ```
/// # use pale_core::prelude::*;
/// # #[derive(Resource)]
/// # #[pale(default_fields(year))]
/// # struct Time { year: i32, month: u8 }
/// let all = Fields::all(Time { year: 2024, month: 5 });
/// let more = Fields::defaults_and(Time { year: 2024, month: 5 }, &["month"]);
/// # let _ = (all, more);
/// ```
pub struct Fields<T> {
    value: T,
    plan: Plan,
}

impl<T: Nested> Fields<T> {
    /// Every field (that the viewer may see).
    pub fn all(value: T) -> Self {
        Self {
            value,
            plan: Plan::all(T::Item::META),
        }
    }

    /// The default fields and the named ones.
    pub fn defaults_and(value: T, names: &[&str]) -> Self {
        Self {
            value,
            plan: Plan::defaults_and(T::Item::META, names),
        }
    }

    /// An explicit plan.
    pub fn with_plan(value: T, plan: Plan) -> Self {
        Self { value, plan }
    }
}

impl<A: App, T> Reply<A> for Fields<T>
where
    T: Nested + Send,
    T::Item: Render<A>,
{
    const OUTPUT: OutputMeta = <T as Reply<A>>::OUTPUT;

    fn into_response(
        self,
        ctx: &Context<A>,
        envelope: Option<&'static str>,
        wire: &Wire,
    ) -> Result<Response, ApiError> {
        let body = render_body(&self.value, ctx, &self.plan, envelope, wire)?;
        let mut response = respond(StatusCode::OK, wire, body);
        let validators = conditional::Validators {
            tag: self.value.etag::<A>(),
            modified: self.value.modified::<A>(),
        };
        conditional::finish(&mut response, validators, ctx);
        Ok(response)
    }
}
