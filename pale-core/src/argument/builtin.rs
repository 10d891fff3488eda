//! The argument types every API needs: text, booleans, numbers, optional
//! values and lists.

use std::borrow::Cow;
use std::num::IntErrorKind;

use super::{Argument, Errors, Pointer, Raw, Schema};

impl Argument for String {
    const SCHEMA: Schema = Schema::TEXT;

    fn cast(raw: &Raw, at: &Pointer<'_>, errors: &mut Errors) -> Option<Self> {
        match raw {
            Raw::Text(text) => Some(text.as_str().to_owned()),
            other => {
                errors.invalid_type(at, "text", other);
                None
            }
        }
    }
}

impl Argument for bool {
    const SCHEMA: Schema = Schema::Boolean;

    /// `true/false/1/0/yes/no/on/off`, in any case.
    fn cast(raw: &Raw, at: &Pointer<'_>, errors: &mut Errors) -> Option<Self> {
        let parsed = match raw {
            Raw::Bool(b) => return Some(*b),
            Raw::Text(t) | Raw::Number(t) => parse_bool(t),
            // A list (`?flag=1&flag=0`) or a map: say so, rather than
            // list the spellings of a boolean the client did send.
            other => {
                errors.invalid_type(at, "a boolean", other);
                return None;
            }
        };
        if parsed.is_none() {
            errors.push(
                at,
                "invalid_type",
                "expected a boolean (true, false, 1, 0, yes, no, on, off)",
            );
        }
        parsed
    }
}

fn parse_bool(text: &str) -> Option<bool> {
    const TRUE: [&str; 4] = ["true", "1", "yes", "on"];
    const FALSE: [&str; 4] = ["false", "0", "no", "off"];
    if TRUE.iter().any(|t| t.eq_ignore_ascii_case(text)) {
        Some(true)
    } else if FALSE.iter().any(|f| f.eq_ignore_ascii_case(text)) {
        Some(false)
    } else {
        None
    }
}

macro_rules! integer_argument {
    ($($ty:ty => $format:literal),* $(,)?) => {$(
        impl Argument for $ty {
            const SCHEMA: Schema = Schema::integer(
                $format,
                <$ty>::MIN as i128,
                if (<$ty>::MAX as u128) > i128::MAX as u128 { i128::MAX } else { <$ty>::MAX as i128 },
            );

            /// Strict: the whole text must be an integer in range
            /// (`"1.5"`, `"1e3"` and `" 7"` are not).
            fn cast(raw: &Raw, at: &Pointer<'_>, errors: &mut Errors) -> Option<Self> {
                let Some(text) = integer_text(raw) else {
                    errors.invalid_type(at, "an integer", raw);
                    return None;
                };
                match text.parse::<$ty>() {
                    Ok(n) => Some(n),
                    // Unsigned parsing rejects every `-`, even `-0`.
                    Err(_) if negative_digits(text) == Some(true) => Some(0),
                    Err(e) => {
                        let kind = match negative_digits(text) {
                            Some(false) => &IntErrorKind::NegOverflow,
                            _ => e.kind(),
                        };
                        report_integer_error(kind, <$ty>::MIN, <$ty>::MAX, at, errors);
                        None
                    }
                }
            }
        }
    )*};
}

integer_argument! {
    i8 => "int8", i16 => "int16", i32 => "int32", i64 => "int64", i128 => "int128", isize => "int64",
    u8 => "uint8", u16 => "uint16", u32 => "uint32", u64 => "uint64", u128 => "uint128", usize => "uint64",
}

fn integer_text(raw: &Raw) -> Option<&str> {
    match raw {
        Raw::Text(t) | Raw::Number(t) => Some(t),
        _ => None,
    }
}

/// For `-` followed by digits only: whether the number is zero. Unsigned
/// parsing calls such text an invalid digit; it is a number below the range.
fn negative_digits(text: &str) -> Option<bool> {
    let digits = text.strip_prefix('-')?;
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.bytes().all(|b| b == b'0'))
}

fn report_integer_error(
    kind: &IntErrorKind,
    min: impl std::fmt::Display,
    max: impl std::fmt::Display,
    at: &Pointer<'_>,
    errors: &mut Errors,
) {
    match kind {
        IntErrorKind::PosOverflow | IntErrorKind::NegOverflow => errors.push(
            at,
            "out_of_range",
            format!("must be between {min} and {max}"),
        ),
        _ => errors.push(at, "invalid_type", "expected an integer"),
    }
}

macro_rules! float_argument {
    ($($ty:ty => $format:literal),*) => {$(
        impl Argument for $ty {
            const SCHEMA: Schema = Schema::Number { format: $format };

            /// Finite numbers only: `NaN` and infinities are rejected, and
            /// so is a number too large for the type.
            fn cast(raw: &Raw, at: &Pointer<'_>, errors: &mut Errors) -> Option<Self> {
                let Some(text) = integer_text(raw) else {
                    errors.invalid_type(at, "a number", raw);
                    return None;
                };
                let looks_numeric = text
                    .bytes()
                    .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E'));
                match text.parse::<$ty>() {
                    Ok(n) if n.is_finite() => Some(n),
                    Ok(_) if looks_numeric => {
                        errors.push(
                            at,
                            "out_of_range",
                            format!("must be between {:e} and {:e}", <$ty>::MIN, <$ty>::MAX),
                        );
                        None
                    }
                    _ => {
                        errors.push(at, "invalid_type", "expected a finite number");
                        None
                    }
                }
            }
        }
    )*};
}

float_argument!(f32 => "float", f64 => "double");

impl<T: Argument> Argument for Option<T> {
    const SCHEMA: Schema = T::SCHEMA;

    /// Null and empty text read as `None`.
    fn cast(raw: &Raw, at: &Pointer<'_>, errors: &mut Errors) -> Option<Self> {
        if raw.is_blank() {
            return Some(None);
        }
        T::cast(raw, at, errors).map(Some)
    }

    fn absent() -> Option<Self> {
        Some(None)
    }

    fn to_text(&self) -> Option<String> {
        self.as_ref().and_then(T::to_text)
    }
}

impl<T: Argument> Argument for Box<T> {
    const SCHEMA: Schema = T::SCHEMA;

    fn cast(raw: &Raw, at: &Pointer<'_>, errors: &mut Errors) -> Option<Self> {
        T::cast(raw, at, errors).map(Self::new)
    }
}

impl<T: Argument> Argument for Vec<T> {
    const SCHEMA: Schema = Schema::Array(&T::SCHEMA);

    /// A list casts item by item; a single value is a list of one (one
    /// `?tag=a`); a map with one key holding the items is the XML container
    /// form (`<tags><tag>a</tag><tag>b</tag></tags>`).
    fn cast(raw: &Raw, at: &Pointer<'_>, errors: &mut Errors) -> Option<Self> {
        match raw {
            Raw::List(items) => cast_items(items, at, errors),
            Raw::Map(map) if map.len() == 1 => match map.values().next() {
                Some(Raw::List(items)) => cast_items(items, at, errors),
                Some(one) => cast_items(std::slice::from_ref(one), at, errors),
                None => Some(Self::new()),
            },
            Raw::Map(_) => {
                errors.invalid_type(at, "a list", raw);
                None
            }
            // Null, and the empty text of an empty XML container
            // (`<tags></tags>`), are the empty list.
            Raw::Null => Some(Self::new()),
            Raw::Text(text) if text.is_empty() => Some(Self::new()),
            one => cast_items(std::slice::from_ref(one), at, errors),
        }
    }
}

fn cast_items<T: Argument>(items: &[Raw], at: &Pointer<'_>, errors: &mut Errors) -> Option<Vec<T>> {
    let mut out = Vec::with_capacity(items.len());
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        match T::cast(item, &at.index(i), errors) {
            Some(v) => out.push(v),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

/// Splits text values on `separator` into a list of trimmed, non-empty
/// items (`#[pale(separator = ",")]`): `?tags=a,b&tags=c` is `[a, b, c]`.
/// Other values pass through unchanged.
pub(crate) fn split_separated<'r>(raw: &'r Raw, separator: &str) -> Cow<'r, Raw> {
    fn split_into(text: &str, separator: &str, out: &mut Vec<Raw>) {
        out.extend(
            text.split(separator)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Raw::Text(s.into())),
        );
    }
    match raw {
        Raw::Text(text) => {
            let mut items = Vec::new();
            split_into(text, separator, &mut items);
            Cow::Owned(Raw::List(items))
        }
        Raw::List(list) if list.iter().any(|item| matches!(item, Raw::Text(_))) => {
            let mut items = Vec::new();
            for item in list {
                match item {
                    Raw::Text(text) => split_into(text, separator, &mut items),
                    other => items.push(other.clone()),
                }
            }
            Cow::Owned(Raw::List(items))
        }
        other => Cow::Borrowed(other),
    }
}
