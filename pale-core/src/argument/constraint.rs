//! The constraints of `#[pale(range, len, pattern, one_of)]`.
//!
//! Each constraint is a trait implemented only for the types it makes sense
//! for, so `range` on a `String` is a compile error at the attribute, with a
//! note that says what to use instead; and each applies through `Option`,
//! checking the value only when one was given.

use super::{Errors, Pointer};

/// Numbers (and optional numbers) that `range = a..=b` can bound.
#[diagnostic::on_unimplemented(
    message = "`range` applies to numbers, not to `{Self}`",
    label = "`range` is not available for this field",
    note = "use `len = a..=b` to bound the length of text or lists"
)]
pub trait HasRange {
    /// The number type bounds are written in.
    type Number: PartialOrd + Copy + std::fmt::Display;

    /// The number to check, if there is one.
    fn number(&self) -> Option<Self::Number>;
}

/// Text and lists (and optional ones) whose length `len = a..=b` bounds.
#[diagnostic::on_unimplemented(
    message = "`len` applies to text and lists, not to `{Self}`",
    label = "`len` is not available for this field",
    note = "use `range = a..=b` to bound a number"
)]
pub trait HasLen {
    /// What the length counts, singular and plural, for messages:
    /// `("character", "characters")`.
    const UNIT: (&'static str, &'static str);

    /// The length to check (characters for text, items for lists).
    fn length(&self) -> Option<usize>;
}

/// Text (and optional text) that `pattern` and `one_of` check.
#[diagnostic::on_unimplemented(
    message = "`pattern` and `one_of` apply to text, not to `{Self}`",
    label = "this field is not text",
    note = "for a fixed set of values of another type, derive `ArgumentEnum` on an enum"
)]
pub trait HasText {
    /// The text to check, if there is one.
    fn text(&self) -> Option<&str>;
}

macro_rules! has_range {
    ($($ty:ty),*) => {$(
        impl HasRange for $ty {
            type Number = $ty;
            fn number(&self) -> Option<$ty> {
                Some(*self)
            }
        }
    )*};
}

has_range!(
    i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize, f32, f64
);

impl<T: HasRange> HasRange for Option<T> {
    type Number = T::Number;
    fn number(&self) -> Option<T::Number> {
        self.as_ref().and_then(HasRange::number)
    }
}

impl HasLen for String {
    const UNIT: (&'static str, &'static str) = ("character", "characters");
    fn length(&self) -> Option<usize> {
        Some(self.chars().count())
    }
}

impl<T> HasLen for Vec<T> {
    const UNIT: (&'static str, &'static str) = ("item", "items");
    fn length(&self) -> Option<usize> {
        Some(self.len())
    }
}

impl<T: HasLen> HasLen for Option<T> {
    const UNIT: (&'static str, &'static str) = T::UNIT;
    fn length(&self) -> Option<usize> {
        self.as_ref().and_then(HasLen::length)
    }
}

impl HasText for String {
    fn text(&self) -> Option<&str> {
        Some(self)
    }
}

impl<T: HasText> HasText for Option<T> {
    fn text(&self) -> Option<&str> {
        self.as_ref().and_then(HasText::text)
    }
}

/// Checks `min <= value <= max` (either bound may be absent).
pub fn check_range<T: HasRange>(
    value: &T,
    min: Option<T::Number>,
    max: Option<T::Number>,
    at: &Pointer<'_>,
    errors: &mut Errors,
) {
    let Some(n) = value.number() else { return };
    let below = min.is_some_and(|min| n < min);
    let above = max.is_some_and(|max| n > max);
    if (below || above)
        && let Some(message) = range_message(min, max)
    {
        errors.push(at, "out_of_range", message);
    }
}

/// What a value outside `min..=max` is told.
fn range_message<N: std::fmt::Display>(min: Option<N>, max: Option<N>) -> Option<String> {
    match (min, max) {
        (Some(min), Some(max)) => Some(format!("must be between {min} and {max}")),
        (Some(min), None) => Some(format!("must be at least {min}")),
        (None, Some(max)) => Some(format!("must be at most {max}")),
        (None, None) => None,
    }
}

/// A number too large (or small) for its type fails its cast with the
/// type's bounds ("between 0 and 4294967295" for a `u32`): where the field
/// declares a `range`, the message says the declared bounds instead, the
/// ones the client must meet.
pub fn restate_range<T: HasRange>(
    errors: &mut Errors,
    at: &Pointer<'_>,
    min: Option<T::Number>,
    max: Option<T::Number>,
) {
    if let Some(message) = range_message(min, max) {
        errors.restate(at, "out_of_range", &message);
    }
}

/// Checks `min <= length <= max`.
pub fn check_len<T: HasLen>(
    value: &T,
    min: usize,
    max: Option<usize>,
    at: &Pointer<'_>,
    errors: &mut Errors,
) {
    let Some(len) = value.length() else { return };
    let count = |n: usize| {
        let (one, many) = T::UNIT;
        format!("{n} {}", if n == 1 { one } else { many })
    };
    if len < min {
        let code = if len == 0 { "empty" } else { "too_short" };
        let message = if min == 1 {
            "must not be empty".to_owned()
        } else {
            format!("must have at least {}", count(min))
        };
        errors.push(at, code, message);
    } else if let Some(max) = max.filter(|&max| len > max) {
        errors.push(at, "too_long", format!("must have at most {}", count(max)));
    }
}

/// Checks that the whole text matches `regex` (compiled once per field).
pub fn check_pattern<T: HasText>(
    value: &T,
    regex: &regex_lite::Regex,
    pattern: &str,
    at: &Pointer<'_>,
    errors: &mut Errors,
) {
    let Some(text) = value.text() else { return };
    if !regex.is_match(text) {
        errors.push(at, "pattern", format!("must match the pattern {pattern}"));
    }
}

/// Checks that the text is one of `allowed`.
pub fn check_one_of<T: HasText>(
    value: &T,
    allowed: &[&str],
    at: &Pointer<'_>,
    errors: &mut Errors,
) {
    let Some(text) = value.text() else { return };
    if !allowed.contains(&text) {
        errors.push(
            at,
            "not_allowed",
            format!("must be one of: {}", allowed.join(", ")),
        );
    }
}
