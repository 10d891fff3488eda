//! [`Describe`]: the documented shape of a value a resource renders when
//! its type is not an [`Argument`](crate::Argument).
//!
//! A field's output schema comes from its type. Most rendered types are
//! also argument types (integers, text, dates, identifiers), whose
//! `Argument::SCHEMA` already says what they look like on the wire. A type
//! that is only ever rendered — a state the server computes, such as an
//! album's `status` — has no such schema, and its field would be
//! documented as "anything", which a client generator types as `Any`.
//! Implementing `Describe` gives it one: the derive's schema probe looks
//! for `Describe` first, then `Argument`, so a type may also override its
//! argument schema for output.

use crate::argument::Schema;

/// The wire shape of a rendered type, for the documentation.
///
/// ```
/// use pale_core::argument::Schema;
/// use pale_core::resource::Describe;
///
/// /// Where an album is on its way to the store.
/// #[derive(serde::Serialize)]
/// #[serde(rename_all = "snake_case")]
/// enum Status { Draft, Live }
///
/// impl Describe for Status {
///     const SCHEMA: Schema = Schema::Enum(&["draft", "live"]);
/// }
/// ```
pub trait Describe {
    /// How a value of this type is written (serialized) on the wire.
    const SCHEMA: Schema;
}

impl<T: Describe> Describe for Option<T> {
    /// The value's schema; that the field may be `null` is said by the
    /// field (`FieldMeta::nullable`).
    const SCHEMA: Schema = T::SCHEMA;
}

impl<T: Describe + ?Sized> Describe for &T {
    const SCHEMA: Schema = T::SCHEMA;
}

impl<T: Describe> Describe for Box<T> {
    const SCHEMA: Schema = T::SCHEMA;
}

impl<T: Describe> Describe for Vec<T> {
    const SCHEMA: Schema = Schema::Array(&T::SCHEMA);
}

impl<T: Describe> Describe for [T] {
    const SCHEMA: Schema = Schema::Array(&T::SCHEMA);
}
