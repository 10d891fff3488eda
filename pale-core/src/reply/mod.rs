//! What a handler returns, and how it becomes a response.
//!
//! A handler's output is a resource (or a list, an `Option`, a
//! [`Page`](crate::Page)),
//! rendered for the caller with the client's `fields=` or the defaults; or
//! one of the kinds here: [`Fields`] (a resource with the handler's own
//! default selection), [`Created`] (201 + `Location`), [`NoContent`] (204),
//! [`Redirect`], or [`Plain`] (any `Serialize` value, not a resource).
//! The server adds `Cache-Control`, CORS and request-id headers. A
//! resource that declares its version gets an `ETag` naming the exact
//! representation, and a `GET` that already holds it a `304`
//! ([`representation_tag`]).
//!
//! Every kind that has a body goes through one path (`body.rs`): the
//! rendering plan is chosen once — the client's `fields=` resolved for this
//! caller, or the kind's own default — then the value is rendered through
//! serde and encoded in the negotiated format, inside the endpoint's
//! envelope. The envelope comes in as data (`Option<&'static str>`), so a
//! reply knows nothing else of the endpoint that returned it.

mod body;
mod conditional;
pub(crate) use conditional::resource_tag_of;
mod created;
mod fields;
mod no_content;
mod page;
mod plain;
mod redirect;
mod resource;
mod with_headers;

pub use body::{encode, render_body};
pub use conditional::representation_tag;
pub use created::Created;
pub use fields::Fields;
pub use no_content::NoContent;
pub use plain::Plain;
pub use redirect::Redirect;
pub use with_headers::WithHeaders;

use crate::context::{App, Context};
use crate::error::ApiError;
use crate::format::Wire;
use crate::resource::ResourceMeta;

/// A response with its body encoded.
pub type Response = http::Response<Vec<u8>>;

/// What a successful response holds, for the docs.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct OutputMeta {
    /// The success status.
    pub status: u16,
    /// The resource rendered, if any.
    pub resource: Option<&'static ResourceMeta>,
    /// Whether it is a list of that resource.
    pub many: bool,
    /// Whether it is a [`Page`](crate::Page) of it.
    pub page: bool,
}

impl OutputMeta {
    const fn of(status: u16, resource: Option<&'static ResourceMeta>) -> Self {
        Self {
            status,
            resource,
            many: false,
            page: false,
        }
    }
}

/// A handler's output. Implemented for resources and the kinds in this
/// module; implement it for your own kinds of response.
#[diagnostic::on_unimplemented(
    message = "a handler for `{A}` cannot return `{Self}`",
    label = "not a reply for `{A}`",
    note = "return a resource (a type deriving `Resource`), or a `Vec`, `Option` or `Page` of resources; `Plain::new(\"root\", value)` sends any `Serialize` value as it is; `NoContent`, `Created` and `Redirect` are the other replies",
    note = "a resource declared with `#[pale(context = App)]` renders only for that app"
)]
pub trait Reply<A: App>: Send {
    /// What the response holds, for the docs.
    const OUTPUT: OutputMeta;

    /// Encodes the response for `ctx` in `wire`, wrapped in `envelope` (the
    /// endpoint's [`EndpointMeta::envelope`](crate::EndpointMeta::envelope))
    /// when there is one.
    fn into_response(
        self,
        ctx: &Context<A>,
        envelope: Option<&'static str>,
        wire: &Wire,
    ) -> Result<Response, ApiError>;
}
