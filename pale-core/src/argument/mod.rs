//! Typed arguments: request input that casts and validates itself.
//!
//! Every source of input (path, query, form, JSON, XML, headers) is first
//! decoded into the format-neutral [`Raw`] tree; an [`Argument`] type then
//! casts one raw value into a typed value. A struct deriving
//! [`Arguments`](trait@Arguments) casts each of its fields, applies the
//! constraints declared in `#[pale(...)]`, and collects **every** error, each
//! with a pointer to where it was found, before answering 422.
//!
//! Casting is strict where the Python Pale was lax (`"1.5"` is not an
//! integer, `NaN` is not a float, two values for a scalar are an error, not
//! a crash) and lenient where input has no types (`"42"` is an integer in a
//! query string or XML exactly as `42` is in JSON).

mod builtin;
pub(crate) mod constraint;
mod document;
mod input;
mod pointer;
mod raw;
mod schema;
mod special;

/// The string type of [`Raw::Text`] and [`Raw::Number`], re-exported so
/// that code building input by hand can name it.
pub use compact_str::CompactString;
pub use constraint::{HasLen, HasRange, HasText};
pub use input::{Input, Lookup, Source};
pub use pointer::{Errors, Pointer};
pub use raw::{Raw, RawMap};
pub use schema::{ArgumentMeta, Schema};
pub use special::{Date, Money, PathUrl, Scopes, Timestamp, WebUrl};

pub(crate) use builtin::split_separated;

use crate::error::ApiError;

/// A type that can be cast from one raw input value.
///
/// Implement it for your own value types (identifiers, codes) to use them as
/// argument fields. `cast` reports problems into `errors` at `at` and returns
/// `None` when the value is unusable; it must never panic, whatever the input.
///
/// ```
/// use pale_core::argument::{Argument, Errors, Pointer, Raw, Schema};
///
/// /// An even number.
/// struct Even(u32);
///
/// impl Argument for Even {
///     const SCHEMA: Schema = Schema::integer("uint32", 0, u32::MAX as i128);
///     fn cast(raw: &Raw, at: &Pointer<'_>, errors: &mut Errors) -> Option<Self> {
///         let n = u32::cast(raw, at, errors)?;
///         if n % 2 == 0 {
///             Some(Even(n))
///         } else {
///             errors.push(at, "invalid_value", "must be even");
///             None
///         }
///     }
/// }
///
/// let mut errors = Errors::new();
/// assert!(Even::cast(&Raw::from("3"), &Pointer::root(), &mut errors).is_none());
/// assert_eq!(errors.into_vec()[0].message, "must be even");
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be used as an argument",
    label = "this type does not implement `pale_core::Argument`",
    note = "implement `Argument` for it, or derive `Arguments` (a nested struct) or `ArgumentEnum` (a string-backed enum)"
)]
pub trait Argument: Sized {
    /// How this type is described in the generated documentation.
    const SCHEMA: Schema;

    /// Casts a present value.
    fn cast(raw: &Raw, at: &Pointer<'_>, errors: &mut Errors) -> Option<Self>;

    /// The value to use when the argument is absent, or `None` when absence
    /// is an error. Only `Option<T>` has one.
    fn absent() -> Option<Self> {
        None
    }

    /// This value as a client would write it, for the documentation of a
    /// default declared as an expression (`default = Sort::Title`);
    /// `None`, the default, when the type has no text form to show.
    /// `#[derive(ArgumentEnum)]` implements it with the variant's name.
    fn to_text(&self) -> Option<String> {
        None
    }
}

/// A set of arguments: an endpoint's, or a nested argument struct's.
///
/// Derived with `#[derive(Arguments)]` (or `#[derive(Endpoint)]`); see the
/// crate documentation for every attribute.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a set of arguments, so it cannot be flattened",
    label = "not an `Arguments` struct",
    note = "`#[pale(flatten)]` takes a struct deriving `Arguments`, such as `PageRequest`; for one value, remove `flatten`"
)]
pub trait Arguments: Sized {
    /// The arguments, in declaration order, for docs and tools.
    const ARGUMENTS: &'static [ArgumentMeta];

    /// Casts every argument from `input`, collecting all errors.
    fn cast_from<L: Lookup + ?Sized>(
        input: &L,
        at: &Pointer<'_>,
        errors: &mut Errors,
    ) -> Option<Self>;

    /// Casts from a whole request's input; every problem becomes one field
    /// error of a 422 answer.
    fn from_input(input: &Input) -> Result<Self, ApiError> {
        cast_all(input)
    }

    /// Casts from one map (a decoded body, for instance).
    fn from_map(map: &RawMap) -> Result<Self, ApiError> {
        cast_all(map)
    }
}

fn cast_all<T: Arguments, L: Lookup + ?Sized>(input: &L) -> Result<T, ApiError> {
    let mut errors = Errors::new();
    let value = T::cast_from(input, &Pointer::root(), &mut errors);
    match value {
        Some(value) if errors.is_empty() => Ok(value),
        _ => Err(ApiError::unprocessable(errors.into_vec())),
    }
}
