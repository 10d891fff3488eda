//! Support for the code the derives write. Not public API: names here may
//! change in any release.

use std::borrow::Cow;

pub use crate::argument::constraint::{
    check_len, check_one_of, check_pattern, check_range, restate_range,
};
pub use crate::path::{PathValue, push_segment};
pub use regex_lite::Regex;
pub use serde::ser::{Serialize, SerializeStruct, Serializer};
pub use std::sync::LazyLock;

use crate::argument::{Argument, Errors, Lookup, Pointer, Raw, Source};
use crate::audience::Audience;
use crate::context::{App, Context};
use crate::render::{Nested, Render};
use crate::resource::{Resource, ResourceMeta};

/// The casting functions of one argument type: `<T as Argument>::cast`
/// and `<T as Argument>::absent`.
///
/// The derive names them with the same qualified path, at the same span, as
/// the `<T as Argument>::SCHEMA` of the field's `ArgumentMeta`. A field type
/// that is not an `Argument` then fails the same obligation the same way in
/// both places, and rustc shows the error once; a bound on [`field`] would
/// add a second error, differing only in its "required by" note.
pub type Cast<T> = (
    fn(&Raw, &Pointer<'_>, &mut Errors) -> Option<T>,
    fn() -> Option<T>,
);

/// The cast functions of an argument type, as [`field`] takes them.
pub fn argument<T: Argument>() -> Cast<T> {
    (T::cast, T::absent)
}

/// Casts one argument field: looks it up, splits it, casts it, or falls
/// back to its default, `None` for an `Option`, or a `missing` error.
///
/// Blank input (null, or empty text such as `?name=`) counts as absent.
/// Errors point at `at/name`, or at `at` itself for a `from = document`
/// argument.
#[inline]
#[allow(
    clippy::too_many_arguments,
    reason = "one call per field, written by the derive"
)]
pub fn field<T, L: Lookup + ?Sized>(
    input: &L,
    name: &'static str,
    source: Source,
    at: &Pointer<'_>,
    errors: &mut Errors,
    default: Option<fn() -> T>,
    separator: Option<&str>,
    (cast, absent): Cast<T>,
) -> Option<T> {
    let before = errors.len();
    let found = input.lookup(name, source, at, errors);
    if errors.len() > before {
        return None;
    }
    // A document argument is the whole body, so its errors point at the
    // body's root, not at a member named after the Rust field.
    let here = match source {
        Source::Document => *at,
        _ => at.key(name),
    };
    match found {
        Some(raw) if !raw.is_blank() => {
            let raw: Cow<'_, Raw> = match separator {
                Some(separator) => crate::argument::split_separated(raw, separator),
                None => Cow::Borrowed(raw),
            };
            cast(&raw, &here, errors)
        }
        _ => {
            if let Some(default) = default {
                return Some(default());
            }
            let absent = absent();
            if absent.is_none() {
                errors.push(&here, "missing", "this argument is required");
            }
            absent
        }
    }
}

/// What a `default = "text"` is converted with: `From<&'static str>`, under
/// a name whose error says how else to write a default.
#[diagnostic::on_unimplemented(
    message = "a `default` written as text cannot make a `{Self}`",
    label = "`{Self}` is not made from text",
    note = "write the default as an expression of the field's type, like `default = 20` or `default = Sort::Newest`"
)]
pub trait FromText: Sized {
    /// The value `text` stands for.
    fn from_text(text: &'static str) -> Self;
}

impl<T: From<&'static str>> FromText for T {
    fn from_text(text: &'static str) -> Self {
        Self::from(text)
    }
}

/// Casts a nested argument struct from a raw value.
pub fn nested<T: crate::argument::Arguments>(
    raw: &Raw,
    at: &Pointer<'_>,
    errors: &mut Errors,
) -> Option<T> {
    match raw {
        Raw::Map(map) => T::cast_from(map, at, errors),
        other => {
            errors.invalid_type(at, "an object", other);
            None
        }
    }
}

/// Whether `meta` has a field called `name` (for compile-time checks).
pub const fn has_field(meta: &crate::resource::ResourceMeta, name: &str) -> bool {
    crate::resource::str_eq(name, "*") || meta.index_of(name).is_some()
}

/// Fails compilation when a field type is not an `Argument`.
pub const fn assert_argument<T: Argument>() {}

/// A nested field's resource table, and whether it is a list.
///
/// The derive calls it, with the field's type, both where it builds the
/// field table and where it renders the field, at the same span: a type
/// that cannot be nested then fails the one `NestedIn` bound, and rustc
/// reports it once rather than once per use.
pub const fn nested_meta<T: NestedIn<A> + ?Sized, A: App>() -> (&'static ResourceMeta, bool) {
    (<T::Item as Resource>::META, T::MANY)
}

/// A field type that renders as a nested resource for the app `A`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be nested: it is not a resource, or one that renders for this app",
    label = "not a resource (nor a `Vec`, `Option` or `Arc` of one) that renders here",
    note = "derive `Resource` for the type, or remove `subfields(...)` / `nested` to render the field as a plain value; a resource with `#[pale(context = App)]` renders only for that app"
)]
pub trait NestedIn<A: App>: Nested {}

impl<A: App, T: Nested + ?Sized> NestedIn<A> for T where T::Item: Render<A> {}

/// Calls a resource's `viewer = path` function.
///
/// The derive passes the user's function here instead of calling it, so
/// that a wrong signature is reported against the `FnOnce` bound, on the
/// path, with the arguments expected; a call would be reported with a
/// suggestion to add arguments inside the attribute. Likewise [`visible`]
/// and [`getter`].
#[inline]
pub fn viewer<'a, R, A: App>(
    function: impl FnOnce(&'a R, &'a Context<A>) -> Audience,
    resource: &'a R,
    ctx: &'a Context<A>,
) -> Audience {
    function(resource, ctx)
}

/// Calls a field's `visible = path` predicate.
#[inline]
pub fn visible<'a, R, A: App>(
    function: impl FnOnce(&'a R, &'a Context<A>) -> bool,
    resource: &'a R,
    ctx: &'a Context<A>,
) -> bool {
    function(resource, ctx)
}

/// Calls a field's `getter = path` function; the value may borrow from
/// the resource.
#[inline]
pub fn getter<'a, R, T>(function: impl FnOnce(&'a R) -> T, resource: &'a R) -> T {
    function(resource)
}

/// A resource field's value, as `serialize_field` takes it; the bound says
/// what to do when the field's type is not `Serialize`.
#[inline]
pub fn plain<T: PlainField + ?Sized>(value: &T) -> &T {
    value
}

/// A type a resource renders as it is: any `Serialize` type, under a name
/// whose error says what else the field could be.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be rendered: it does not implement `serde::Serialize`",
    label = "this field cannot be rendered",
    note = "derive or implement `serde::Serialize` for it; if it is a resource, render it with `#[pale(nested)]`; or leave the field out with `#[pale(skip)]`"
)]
pub trait PlainField: Serialize {}

impl<T: Serialize + ?Sized> PlainField for T {}

/// Autoref specialization for a field's output schema: the derive writes
/// `(&&&SchemaProbe::<T>::new()).schema()` in a closure; method lookup picks
/// [`ViaDescribe`] when `T: Describe`, else [`ViaArgument`] when
/// `T: Argument`, and falls back to [`ViaNothing`].
pub struct SchemaProbe<T: ?Sized>(std::marker::PhantomData<T>);

impl<T: ?Sized> Default for SchemaProbe<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: ?Sized> SchemaProbe<T> {
    /// A probe for `T`.
    pub const fn new() -> Self {
        Self(std::marker::PhantomData)
    }
}

/// The schema a type declares for output ([`Describe`](crate::resource::Describe)).
pub trait ViaDescribe {
    /// `T`'s schema.
    fn schema(&self) -> Option<&'static crate::argument::Schema>;
}

impl<T: crate::resource::Describe + ?Sized> ViaDescribe for &&SchemaProbe<T> {
    fn schema(&self) -> Option<&'static crate::argument::Schema> {
        Some(const { &T::SCHEMA })
    }
}

/// Autoref specialization for a getter's return type: the derive writes
/// `(&&&GetterProbe::<TheResource, _>::new(getter)).schema()`. The bounds on the
/// getter are the impls' own, so a getter of the wrong shape picks
/// [`ViaNothing`] here and is reported once, where it is called.
pub struct GetterProbe<'a, R, G>(std::marker::PhantomData<&'a R>, G);

impl<'a, R, G> GetterProbe<'a, R, G> {
    /// A probe for what `getter` returns.
    pub const fn new(getter: G) -> Self {
        Self(std::marker::PhantomData, getter)
    }
}

impl<'a, R: 'a, T: crate::resource::Describe, G: FnOnce(&'a R) -> T> ViaDescribe
    for &&GetterProbe<'a, R, G>
{
    fn schema(&self) -> Option<&'static crate::argument::Schema> {
        Some(const { &T::SCHEMA })
    }
}

impl<'a, R: 'a, T: Argument, G: FnOnce(&'a R) -> T> ViaArgument for &GetterProbe<'a, R, G> {
    fn schema(&self) -> Option<&'static crate::argument::Schema> {
        Some(const { &T::SCHEMA })
    }
}

impl<R, G> ViaNothing for GetterProbe<'_, R, G> {}

/// The schema of an argument type.
pub trait ViaArgument {
    /// `T`'s schema.
    fn schema(&self) -> Option<&'static crate::argument::Schema>;
}

impl<T: Argument> ViaArgument for &SchemaProbe<T> {
    fn schema(&self) -> Option<&'static crate::argument::Schema> {
        Some(const { &T::SCHEMA })
    }
}

/// No schema known.
pub trait ViaNothing {
    /// Nothing.
    fn schema(&self) -> Option<&'static crate::argument::Schema> {
        None
    }
}

impl<T: ?Sized> ViaNothing for SchemaProbe<T> {}

/// The number of arguments in `parts`: the length of an `ARGUMENTS`
/// table with flattened fields spliced in.
pub const fn arguments_len(parts: &[&[crate::argument::ArgumentMeta]]) -> usize {
    let (mut i, mut len) = (0, 0);
    while i < parts.len() {
        len += parts[i].len();
        i += 1;
    }
    len
}

/// `parts`, one after the other: an `ARGUMENTS` table with flattened
/// fields spliced in, built at compile time. `N` is [`arguments_len`].
pub const fn concat_arguments<const N: usize>(
    parts: &[&[crate::argument::ArgumentMeta]],
) -> [crate::argument::ArgumentMeta; N] {
    use crate::argument::{ArgumentMeta, Schema};
    let mut out = [ArgumentMeta::new("", &Schema::TEXT); N];
    let (mut i, mut at) = (0, 0);
    while i < parts.len() {
        let mut j = 0;
        while j < parts[i].len() {
            out[at] = parts[i][j];
            at += 1;
            j += 1;
        }
        i += 1;
    }
    assert!(
        at == N,
        "the argument table's length is the sum of its parts"
    );
    out
}

/// Fails the build when two arguments answer to one name: a flattened
/// field's type may declare a name its container declares too, and one of
/// them could never be given.
pub const fn assert_unique_arguments(all: &[crate::argument::ArgumentMeta]) {
    let mut i = 0;
    while i < all.len() {
        let mut j = i + 1;
        while j < all.len() {
            if crate::resource::str_eq(all[i].name, all[j].name) {
                panic!(
                    "two arguments answer to one name: a flattened field declares a name its struct declares too (check `rename`)"
                );
            }
            j += 1;
        }
        i += 1;
    }
}

/// The resource an endpoint's `Create<T>` body writes, for its
/// `EndpointMeta::writes`: the derive recognises a document field by its
/// type's name, `Create<…>`, and this says whether it is Pale's.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not Pale's create body",
    label = "a `from = document` field of a type named `Create` is read as `pale::write::Create<T>`",
    note = "use `pale::write::Create<YourResource>`, or rename your own type"
)]
pub trait CreateBody {
    /// The resource's table.
    const WRITES: &'static ResourceMeta;
}

impl<T: Resource> CreateBody for crate::write::Create<T> {
    const WRITES: &'static ResourceMeta = T::META;
}
