//! Writes through the same field declarations as reads (ARCHITECTURE.md,
//! decisions 3 and 11).
//!
//! The Python Pale's PATCH was mass assignment: any key, any type, `null`
//! stored instead of deleting, hidden attributes writable. Here a
//! resource's fields say who may write each of them (`write = Owner`),
//! whether only at creation (`create_only`), and whether they are never
//! rendered (`write_only`); everything else is read-only. A body is checked
//! against those rules and cast with the fields' own argument types and
//! constraints **before anything changes**, on a copy that replaces the
//! original only when every key was accepted:
//!
//! | the body has… | answer |
//! |---|---|
//! | a key that is not a field | 422 `unknown`, naming it |
//! | a read-only field the viewer can see | 422 `read_only`, naming it |
//! | a `create_only` field, in a patch | 422 `read_only`, naming it |
//! | a field the viewer can see but not write | 403, naming it |
//! | a field the viewer cannot even see | 403, naming nothing it may not see |
//! | `null` for a field that is not optional | 422 `not_nullable` |
//! | a value of the wrong type or out of bounds | 422 with a pointer |
//! | (on create) no value for a required field | 422 `missing` |
//!
//! Merge patches follow RFC 7396: `null` clears an optional field, a nested
//! resource is patched field by field (with its own viewer), lists replace.
//!
//! Empty text is one rule in a create and a patch alike: in a JSON or XML
//! body `""` is a value, cast and checked like any other (`"title": ""`
//! is 422 `empty`, "must not be empty", for a `len = 1..` field), except
//! that an optional field reads it as `null` (absent in a create, cleared
//! in a patch). In a form body an empty value is no value: the server
//! drops `title=` before anything reads it, so a create answers `missing`
//! for a required field, as a query string's `?title=` would.
//!
//! A create endpoint takes its body as [`Create<T>`](Create), which writes
//! it with [`WriteMode::Create`] onto a starting value the handler builds.

mod create;

pub use create::Create;

use crate::argument::{Argument, Errors, Pointer, Raw};
use crate::audience::Audience;
use crate::context::{App, Context};
use crate::error::ApiError;
use crate::render::{Render, viewer_of};
use crate::resource::Resource;

/// Whether a body creates an object or patches one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteMode {
    /// A new object: required fields must be given; `create_only` fields
    /// may be.
    Create,
    /// A merge patch of an existing object.
    Patch,
}

/// A resource whose declared fields can be written. Derived by
/// `#[derive(Resource)]` when any field has a `write` rule.
pub trait Writable<A: App>: Render<A> + Clone {
    /// Casts `value` and stores it in field `index` (already checked to be
    /// writable by the viewer).
    fn write_field(
        &mut self,
        index: usize,
        value: &Raw,
        at: &Pointer<'_>,
        state: &mut WriteState,
        ctx: &Context<A>,
    );
}

/// What a write found so far. Passed through nested writes.
#[derive(Debug)]
pub struct WriteState {
    mode: WriteMode,
    parent: Option<Audience>,
    errors: Errors,
    forbidden: Vec<String>,
    forbidden_hidden: bool,
}

impl WriteState {
    fn new(mode: WriteMode) -> Self {
        Self {
            mode,
            parent: None,
            errors: Errors::new(),
            forbidden: Vec::new(),
            forbidden_hidden: false,
        }
    }

    /// The mode of this write.
    pub fn mode(&self) -> WriteMode {
        self.mode
    }

    /// The errors found so far.
    pub fn errors(&mut self) -> &mut Errors {
        &mut self.errors
    }

    fn finish(self) -> Result<(), ApiError> {
        if !self.forbidden.is_empty() || self.forbidden_hidden {
            let detail = if self.forbidden.is_empty() {
                "you may not write some of the fields given".to_owned()
            } else {
                format!("you may not write: {}", self.forbidden.join(", "))
            };
            return Err(ApiError::forbidden().with_detail(detail));
        }
        if !self.errors.is_empty() {
            return Err(ApiError::unprocessable(self.errors.into_vec()));
        }
        Ok(())
    }
}

/// Applies `body` to `target` for the caller in `ctx`: all or nothing.
///
/// On success `target` holds the written values; on any rejection it is
/// untouched and the error says why (403 before 422).
pub fn apply<A: App, T: Writable<A>>(
    target: &mut T,
    body: &Raw,
    ctx: &Context<A>,
    mode: WriteMode,
) -> Result<(), ApiError> {
    let mut draft = target.clone();
    write_whole(&mut draft, body, ctx, mode)?;
    *target = draft;
    Ok(())
}

/// Writes all of `body` into `draft` in `mode`, and says whether every
/// member was taken (on an error, `draft` is half written: callers write
/// into a copy, or into a value they own and drop).
pub(crate) fn write_whole<A: App, T: Writable<A>>(
    draft: &mut T,
    body: &Raw,
    ctx: &Context<A>,
    mode: WriteMode,
) -> Result<(), ApiError> {
    let mut state = WriteState::new(mode);
    write_object(draft, body, &Pointer::root(), &mut state, ctx);
    state.finish()
}

/// Writes the members of `body` into `target` (used for nested resources
/// too: each decides its own viewer).
pub fn write_object<A: App, T: Writable<A>>(
    target: &mut T,
    body: &Raw,
    at: &Pointer<'_>,
    state: &mut WriteState,
    ctx: &Context<A>,
) {
    let Raw::Map(map) = body else {
        state.errors.invalid_type(at, "an object", body);
        return;
    };
    let viewer = viewer_of(target, ctx, state.parent);
    let visible = target.visible(viewer, ctx);
    let meta = T::META;
    let outer = state.parent.replace(viewer);
    for (key, value) in map.iter() {
        let here = at.key(key);
        let Some(index) = meta.index_of(key) else {
            state
                .errors
                .push(&here, "unknown", "not a field of this resource");
            continue;
        };
        let rule = meta.fields[index].write;
        let knows_it = visible.contains(index) || (rule.write_only && rule.allows(viewer));
        if !knows_it {
            state.forbidden_hidden = true;
        } else if rule.audience.is_none() {
            state
                .errors
                .push(&here, "read_only", "this field is read-only");
        } else if !rule.allows(viewer) {
            state.forbidden.push(key.to_owned());
        } else if rule.create_only && state.mode == WriteMode::Patch {
            state.errors.push(
                &here,
                "read_only",
                "this field can only be set when creating",
            );
        } else {
            target.write_field(index, value, &here, state, ctx);
        }
    }
    state.parent = outer;
    if state.mode == WriteMode::Create {
        for field in meta.fields {
            if field.write.required && field.write.allows(viewer) && !map.contains_key(field.name) {
                state
                    .errors
                    .push(&at.key(field.name), "missing", "this field is required");
            }
        }
    }
}

/// Casts a value for a field of type `T`: `null` clears an optional field
/// and is rejected for any other.
pub fn cast_value<T: Argument>(value: &Raw, at: &Pointer<'_>, state: &mut WriteState) -> Option<T> {
    if *value == Raw::Null && T::absent().is_none() {
        state
            .errors
            .push(at, "not_nullable", "this field cannot be null");
        return None;
    }
    T::cast(value, at, &mut state.errors)
}

/// Writes into a nested resource field by field (or sets it when it was
/// absent); lists and other values replace.
pub fn write_nested<A: App, T: Writable<A> + Resource>(
    target: &mut T,
    value: &Raw,
    at: &Pointer<'_>,
    state: &mut WriteState,
    ctx: &Context<A>,
) {
    write_object(target, value, at, state, ctx);
}

/// Checks the request's `If-Match` header against an object's current
/// entity tag; see [`check_if_match_value`], which does the comparing,
/// for an endpoint that declares the header as an argument.
pub fn check_if_match<A: App>(
    ctx: &Context<A>,
    current: &str,
    required: bool,
) -> Result<(), ApiError> {
    let header = ctx
        .request()
        .and_then(|r| r.headers.get(http::header::IF_MATCH))
        .and_then(|v| v.to_str().ok());
    check_if_match_value(header, current, required)
}

/// Checks an `If-Match` value (`None`: the request had none) against an
/// object's current entity tag.
///
/// `required` makes a missing `If-Match` a 428 (clients must not write
/// blind); a tag that does not match is a 412. `*` matches any existing
/// object. Tags compare strongly (RFC 9110 §13.1.1), as versions of the
/// resource: the tag of any representation of it (an `ETag` as a `GET`
/// sends it, `"v3.<hash>"`, whatever the view, format or selection) names
/// the version it was read at (`"v3"`), and so does the resource's own
/// tag.
///
/// ```
/// use pale_core::write::check_if_match_value;
///
/// assert!(check_if_match_value(Some("\"v2\", \"v3\""), "\"v3\"", true).is_ok());
/// assert_eq!(check_if_match_value(Some("\"v2\""), "\"v3\"", true).unwrap_err().status(), 412);
/// assert_eq!(check_if_match_value(None, "\"v3\"", true).unwrap_err().status(), 428);
/// assert!(check_if_match_value(None, "\"v3\"", false).is_ok());
/// let read = pale_core::reply::representation_tag("\"v3\"", b"{\"title\":\"x\"}");
/// assert!(check_if_match_value(Some(&read), "\"v3\"", true).is_ok());
/// assert_eq!(check_if_match_value(Some(&read), "\"v4\"", true).unwrap_err().status(), 412);
/// ```
pub fn check_if_match_value(
    if_match: Option<&str>,
    current: &str,
    required: bool,
) -> Result<(), ApiError> {
    let Some(header) = if_match else {
        return if required {
            Err(ApiError::precondition_required())
        } else {
            Ok(())
        };
    };
    let matches = header.split(',').map(str::trim).any(|tag| {
        tag == "*"
            || tag == current
            || crate::reply::resource_tag_of(tag).is_some_and(|resource| resource == current)
    });
    if matches {
        Ok(())
    } else {
        Err(ApiError::precondition_failed())
    }
}
