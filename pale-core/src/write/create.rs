//! `Create<T>`: a create body typed by the resource it creates, so that
//! the fields a client may send, their constraints and who may send them
//! are the resource's own declarations, with no copy on the endpoint
//! (docs/writes.md, "Creating").
//!
//! Declared as the endpoint's whole body (`#[pale(from = document)] pub
//! album: Create<Album>`), it does three things from one type:
//!
//! - the derive records `Album` as what the endpoint writes, so the
//!   OpenAPI request body is the resource's create schema (`AlbumCreate`)
//!   for each document's audience, or its creator's (below);
//! - the body is cast as an object (anything else is a 422 at the root);
//! - [`Create::apply_to`] writes it onto a starting value the handler
//!   builds (ids, owner, status), with [`WriteMode::Create`]: required
//!   fields must be given, `create_only` fields may be, and the rules of
//!   [the module](super) hold, all or nothing.
//!
//! **The creator.** Who creates an object often becomes its owner, and
//! may write at creation what only an owner may write. The resource says
//! so (`#[pale(creator = Owner)]`), and the handler makes it true: its
//! starting value names the caller as the owner (so the resource's viewer
//! function answers `Owner` for the caller) before `apply_to`. The
//! declaration is what the documents show (the create schema of the
//! `User` document lists the `write = Owner` fields); `apply_to` checks
//! that the starting value agrees, and a handler that forgot answers a
//! 500 whose log message says so, on the first test that creates one.

use std::fmt;
use std::marker::PhantomData;

use super::{Writable, WriteMode, write_whole};
use crate::argument::{Argument, Errors, Pointer, Raw, Schema};
use crate::context::{App, Context};
use crate::error::ApiError;
use crate::render::viewer_of;

/// The body of a create endpoint: the fields of a `T` the caller may set
/// when creating one. See [`write`](crate::write), "Creating" in the guide
/// (docs/writes.md), and below.
///
/// ```
/// use std::sync::Arc;
/// use pale_core::format::{DecodeLimits, Wire};
/// use pale_core::prelude::*;
/// use pale_core::write::Create;
///
/// /// A note.
/// #[derive(Resource, Clone, Debug, PartialEq)]
/// pub struct Note {
///     /// Server-assigned.
///     pub id: u32,
///     /// Required on create.
///     #[pale(write = User, len = 1..=80)]
///     pub title: String,
/// }
///
/// let ctx = Context::new(Arc::new(())).with_user(Some(()));
/// let body = |json: &str| Wire::Json.decode(json.as_bytes(), &DecodeLimits::default()).unwrap();
/// let start = || Note { id: 7, title: String::new() };
///
/// let note = Create::<Note>::new(body(r#"{"title": "Hi"}"#)).apply_to(start(), &ctx);
/// assert_eq!(note.unwrap(), Note { id: 7, title: "Hi".into() });
///
/// let refused = Create::<Note>::new(body("{}")).apply_to(start(), &ctx).unwrap_err();
/// assert_eq!((refused.status().as_u16(), &*refused.errors()[0].code), (422, "missing"));
/// ```
pub struct Create<T> {
    body: Raw,
    resource: PhantomData<fn() -> T>,
}

impl<T> Create<T> {
    /// A create body from a raw tree (what the endpoint's cast does; for
    /// tests and tools).
    pub fn new(body: Raw) -> Self {
        Self {
            body,
            resource: PhantomData,
        }
    }

    /// The body as the client sent it.
    pub fn body(&self) -> &Raw {
        &self.body
    }

    /// Writes the body onto `draft`, the new object as the handler starts
    /// it (ids, owner, defaults), for the caller in `ctx`: all or nothing,
    /// 403 before 422, as [`apply`](super::apply) with
    /// [`WriteMode::Create`].
    ///
    /// When `T` declares a creator (`#[pale(creator = Owner)]`), `draft`
    /// must make the caller that audience over it; if it does not, the
    /// answer is a 500 that logs why (a bug in the handler, not the
    /// client's).
    pub fn apply_to<A: App>(&self, mut draft: T, ctx: &Context<A>) -> Result<T, ApiError>
    where
        T: Writable<A>,
    {
        if let Some(creator) = T::META.creator {
            let viewer = viewer_of(&draft, ctx, None);
            if !creator.at_most(viewer) {
                return Err(ApiError::internal(format!(
                    "`{}` declares `creator = {creator:?}`, but the starting value given \
                     to `Create::apply_to` makes the caller `{viewer:?}`: set its owner first",
                    T::META.name,
                )));
            }
        }
        write_whole(&mut draft, &self.body, ctx, WriteMode::Create)?;
        Ok(draft)
    }
}

impl<T> Argument for Create<T> {
    const SCHEMA: Schema = Schema::Object(&[]);

    /// Any object; the fields are checked when applied, where the caller
    /// and the starting value are known.
    fn cast(raw: &Raw, at: &Pointer<'_>, errors: &mut Errors) -> Option<Self> {
        if let Raw::Map(_) = raw {
            Some(Self::new(raw.clone()))
        } else {
            errors.invalid_type(at, "an object", raw);
            None
        }
    }
}

impl<T> Clone for Create<T> {
    fn clone(&self) -> Self {
        Self::new(self.body.clone())
    }
}

impl<T> fmt::Debug for Create<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Create").field(&self.body).finish()
    }
}
