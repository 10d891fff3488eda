//! Pale: a declarative REST framework. Declare endpoints, arguments and
//! resources; Pale casts and validates input, renders output for each
//! viewer in each format, answers errors as problem details, and describes
//! the API, all from the one declaration.
//!
//! (The full manual is being written; see each module.)

mod api;
pub mod argument;
mod context;
mod endpoint;
mod error;
pub mod format;
pub mod reply;
pub mod resource;
pub mod select;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use api::{Api, ApiBuilder, BuildError, Call, CallFuture, Route, cast};
pub use argument::{Argument, Arguments};
pub use context::{App, Context};
pub use endpoint::{Cors, Endpoint, EndpointMeta, Handler, Method};
pub use error::{ApiError, FieldError, Problem};
pub use reply::{Created, Fields, NoContent, OutputMeta, Plain, Redirect, Reply, Response};
pub use resource::{Audience, Page, Render, Resource};

#[cfg(feature = "derive")]
pub use pale_derive::{ArgumentEnum, Arguments, Endpoint, Resource};

/// One import for users: `use pale_core::prelude::*;`.
pub mod prelude {
    pub use crate::argument::{Date, Money, PathUrl, Scopes, Timestamp, WebUrl};
    pub use crate::{
        Api, ApiError, App, Argument, Arguments, Audience, Context, Created, Endpoint, Fields,
        Handler, NoContent, Page, Plain, Redirect, Render, Resource,
    };
}
