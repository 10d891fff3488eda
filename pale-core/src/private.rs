//! Support for the code the derives write. Not public API: names here may
//! change in any release.

use std::borrow::Cow;
use std::fmt::Write as _;

pub use crate::argument::constraint::{check_len, check_one_of, check_pattern, check_range};
pub use regex_lite::Regex;
pub use serde::ser::{Serialize, SerializeStruct, Serializer};
pub use std::sync::LazyLock;

use crate::argument::{Argument, Errors, Lookup, Pointer, Raw, Source};

/// The casting functions of one argument type: `<T as Argument>::cast`
/// and `<T as Argument>::absent`.
///
/// The derive names them with the same qualified path, at the same span, as
/// the `<T as Argument>::SCHEMA` of the field's `ArgumentMeta`. A field type
/// that is not an `Argument` then fails the same obligation the same way in
/// both places, and rustc shows the error once; a bound on [`field`] would
/// add a second error, differing only in its "required by" note.
pub type Cast<T> = (fn(&Raw, &Pointer<'_>, &mut Errors) -> Option<T>, fn() -> Option<T>);

/// Casts one argument field: looks it up, splits it, casts it, or falls
/// back to its default, `None` for an `Option`, or a `missing` error.
///
/// Blank input (null, or empty text such as `?name=`) counts as absent.
#[inline]
#[allow(clippy::too_many_arguments, reason = "one call per field, written by the derive")]
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
    let here = at.key(name);
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

/// Appends `value` to a path as one percent-encoded segment.
pub fn push_segment(out: &mut String, value: &dyn std::fmt::Display) {
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    let mut text = String::new();
    let _ = write!(text, "{value}");
    let _ = write!(out, "{}", percent_encoding::utf8_percent_encode(&text, SEGMENT));
}

/// Whether `meta` has a field called `name` (for compile-time checks).
pub const fn has_field(meta: &crate::resource::ResourceMeta, name: &str) -> bool {
    crate::resource::str_eq(name, "*") || meta.index_of(name).is_some()
}

/// Fails compilation when a `subfields` name is not a field of the nested
/// resource.
pub const fn assert_subfield(meta: &crate::resource::ResourceMeta, name: &str) {
    if !has_field(meta, name) {
        panic!("a name in `subfields(...)` is not a field of the nested resource");
    }
}

/// Fails compilation when a field type is not an `Argument`.
pub const fn assert_argument<T: Argument>() {}

/// Fails compilation when a nested field's type is not a resource.
pub const fn assert_nested<T: crate::resource::Nested>() {}

/// Fails compilation when a field type cannot be rendered.
pub fn assert_serialize<T: Serialize + ?Sized>() {}
