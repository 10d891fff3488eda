//! Pale: declare REST endpoints and resources; Pale casts and validates the
//! input, renders the output for each viewer in each format, answers errors
//! as problem details, and describes the API — all from one declaration.
//!
//! This crate holds the traits and the machinery, and re-exports the derive
//! macros. Serve an [`Api`] over HTTP with `pale-server`.
//!
//! # Example
//!
//! ```
//! use std::sync::Arc;
//! use pale_core::prelude::*;
//! use pale_core::argument::{Input, Raw};
//!
//! /// The app: its state, and how it knows who calls.
//! struct Shop;
//! struct Customer { id: u32 }
//! impl App for Shop { type User = Customer; }
//!
//! /// A release on the store.
//! #[derive(Resource)]
//! #[pale(context = Shop, viewer = Album::viewer, default_fields(id, title))]
//! struct Album {
//!     /// Stable identifier.
//!     id: u32,
//!     /// Title as shown on stores.
//!     title: String,
//!     /// Units sold. Only the owner sees this.
//!     #[pale(audience = Owner)]
//!     units_sold: u64,
//!     #[pale(skip)]
//!     owner_id: u32,
//! }
//!
//! impl Album {
//!     fn viewer(&self, ctx: &Context<Shop>) -> Audience {
//!         match ctx.user() {
//!             Some(c) if c.id == self.owner_id => Audience::Owner,
//!             _ => ctx.audience(),
//!         }
//!     }
//! }
//!
//! /// Fetch one album.
//! #[derive(Endpoint)]
//! #[pale(GET "/albums/{album_id}", name = "album", envelope = "album")]
//! struct GetAlbum {
//!     /// The album.
//!     album_id: u32,
//! }
//!
//! impl Handler<Shop> for GetAlbum {
//!     type Output = Album;
//!     async fn handle(self, _ctx: &Context<Shop>) -> Result<Album, ApiError> {
//!         match self.album_id {
//!             7 => Ok(Album { id: 7, title: "Covers".into(), units_sold: 12, owner_id: 1 }),
//!             _ => Err(ApiError::not_found("album")),
//!         }
//!     }
//! }
//!
//! let api = Api::builder(Shop).mount::<GetAlbum>().build().unwrap();
//! let route = api.route("album").unwrap();
//!
//! // What a server does for `GET /albums/7` from the album's owner:
//! let mut input = Input::new();
//! input.path.insert("album_id", Raw::from("7"));
//! let ctx = Arc::new(Context::new(api.app().clone()).with_user(Some(Customer { id: 1 })));
//! # let block_on = |f: pale_core::CallFuture| {
//! #     let waker = std::task::Waker::noop();
//! #     let mut f = f;
//! #     match f.as_mut().poll(&mut std::task::Context::from_waker(&waker)) {
//! #         std::task::Poll::Ready(r) => r,
//! #         std::task::Poll::Pending => unreachable!(),
//! #     }
//! # };
//! let response = block_on(route.call(ctx, input, pale_core::format::Wire::Json)).unwrap();
//! assert_eq!(response.body(), br#"{"album":{"id":7,"title":"Covers"}}"#);
//! ```
//!
//! # Arguments
//!
//! Input from the path, the query, the body (JSON, XML or a form) and
//! headers is decoded into one format-neutral tree ([`argument::Raw`]), then
//! each field of an endpoint or [`Arguments`](macro@Arguments) struct casts
//! itself from it: `"42"` is an integer in a query string exactly as `42` is
//! in JSON. Casting is strict (`"1.5"` is not an integer, `NaN` not a
//! float, two values for one scalar an error) and collects every problem,
//! each with a JSON pointer (`/tracks/2/title`), a code (`missing`,
//! `invalid_type`, `out_of_range`, `too_long`, …) and a message that never
//! echoes the input. Constraints (`range`, `len`, `pattern`, `one_of`) are
//! attributes, checked when your crate compiles and enforced and documented
//! from one place. See [`Argument`](trait@Argument) for the built-in types.
//!
//! # Resources and audiences
//!
//! A [`Resource`](macro@Resource) declares the fields that go out, each with
//! the least [`Audience`] that may see it (`Public < User < Owner <
//! Admin`). A viewer function decides, once per object, who the caller is
//! for that object; hidden fields are absent in every format and under
//! every selection, and cannot be selected. The field table is `const`;
//! rendering speaks serde (a [`render::Rendered`] is `Serialize`), so any
//! serde format renders resources with the same rules.
//!
//! # Field selection
//!
//! Clients choose fields with `fields=title,artist(name),tracks(*)` (see
//! [`select`]): `*` is every visible field, parentheses select inside a
//! nested resource, and without `fields=` a resource's `default_fields` and
//! each nested field's `subfields` apply. An empty selection means empty.
//! Unknown (or hidden) names are a 400 listing the valid ones. The parsed
//! selection is on the [`Context`] so a handler can skip loading what
//! nobody asked for.
//!
//! # Formats
//!
//! JSON and XML are built in, in and out; forms and query strings in
//! ([`format::decode_form`]); CBOR and MessagePack ship behind the `cbor`
//! and `msgpack` features, registered with [`ApiBuilder::format`]. Add a
//! format from any serde serializer and deserializer by implementing
//! [`format::SerdeFormat`] (or [`format::Format`], for one that is not
//! serde's) and registering it the same way.
//!
//! # Errors
//!
//! Every failure is an [`ApiError`]: a status, a machine code, a title and
//! detail, field errors, extra headers. Clients get RFC 9457 problem details
//! ([`Problem`]) in their format; what must stay internal (panic messages,
//! SQL) goes in [`ApiError::log_message`], which is never serialized.
//!
//! # Endpoints and the API
//!
//! An [`Endpoint`](macro@Endpoint) is a struct: its fields are its
//! arguments, its attribute its method, path and route name, its
//! [`Handler`] impl its logic, its output a resource, a list, a [`Page`], or
//! one of [`Fields`], [`Created`], [`NoContent`], [`Redirect`], [`Plain`].
//! The derive writes a typed path builder (`GetAlbum::path(7)`) so links
//! cannot drift from routes. An [`Api`] owns the app and the routes; there
//! is no global state, and building it reports conflicting routes as an
//! error value.
//!
//! # Feature flags
//!
//! - `derive` (default): re-export the derive macros.

mod api;
pub mod argument;
mod audience;
pub mod auth;
mod context;
pub mod describe;
mod endpoint;
mod error;
pub mod format;
mod handler;
pub mod page;
pub mod patch;
pub mod path;
pub mod rate;
pub mod render;
pub mod reply;
mod request;
pub mod resource;
pub mod select;
pub mod write;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

// Lets the derives' `::pale_core::…` paths resolve in this crate's unit
// tests.
#[cfg(all(test, feature = "derive"))]
extern crate self as pale_core;

pub use api::{Api, ApiBuilder, BuildError, Call, CallFuture, Mount, OpenApiVersion, Route, cast};
pub use argument::{Argument, Arguments};
pub use audience::Audience;
pub use context::{App, Context};
pub use endpoint::{Cors, Endpoint, EndpointMeta, Method};
pub use error::{ApiError, FieldError, Problem};
pub use handler::{Handler, SignedInHandler};
pub use path::PathTemplate;
pub use render::{Page, Render};
pub use reply::{
    Created, Fields, NoContent, OutputMeta, Plain, Redirect, Reply, Response, WithHeaders,
};
pub use resource::Resource;

#[cfg(feature = "derive")]
#[doc = include_str!("manual/arguments.md")]
pub use pale_derive::Arguments;

#[cfg(feature = "derive")]
#[doc = include_str!("manual/resource.md")]
pub use pale_derive::Resource;

#[cfg(feature = "derive")]
#[doc = include_str!("manual/endpoint.md")]
pub use pale_derive::Endpoint;

#[cfg(feature = "derive")]
#[doc = include_str!("manual/argument_enum.md")]
pub use pale_derive::ArgumentEnum;

/// One import for users: `use pale_core::prelude::*;`.
pub mod prelude {
    pub use crate::argument::{Date, Money, PathUrl, Scopes, Timestamp, WebUrl};
    pub use crate::page::PageRequest;
    pub use crate::write::Create;
    pub use crate::{
        Api, ApiError, App, Argument, Arguments, Audience, Context, Created, Endpoint, Fields,
        Handler, NoContent, Page, Plain, Redirect, Render, Resource, SignedInHandler, WithHeaders,
    };
}
