//! What an argument is, as data: the docs generator's input.
//!
//! Everything here is `const`, written by the derives at compile time, so
//! the documentation is produced from the very tables the server enforces.

use super::Source;

/// The shape of an argument's value, for documentation.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum Schema {
    /// Text, with an optional format name (`uri`, `date-time`, `date`, …).
    String {
        /// A JSON Schema `format`, if any.
        format: Option<&'static str>,
        /// A regular expression every accepted value matches (`^…$`), when
        /// the type has a shape a client should know before sending it:
        /// `YYYY-MM`, an identifier's characters. It may admit values the
        /// type still refuses (a wrong check digit), never the reverse.
        pattern: Option<&'static str>,
    },
    /// An integer of a fixed width.
    Integer {
        /// `int32`, `uint64`, …
        format: &'static str,
        /// The least value of the type.
        min: i128,
        /// The greatest value of the type (saturated for `u128`).
        max: i128,
    },
    /// A finite floating-point number.
    Number {
        /// `float` or `double`.
        format: &'static str,
    },
    /// A boolean.
    Boolean,
    /// One of fixed strings.
    Enum(&'static [&'static str]),
    /// A list of values.
    Array(&'static Self),
    /// A nested argument struct.
    Object(&'static [ArgumentMeta]),
}

impl Schema {
    /// A text schema without a format.
    pub const TEXT: Self = Self::String {
        format: None,
        pattern: None,
    };

    /// An integer schema.
    pub const fn integer(format: &'static str, min: i128, max: i128) -> Self {
        Self::Integer { format, min, max }
    }
}

/// One argument, described.
#[derive(Clone, Copy, Debug)]
// Not `#[non_exhaustive]`: the derives build it with struct update syntax
// from `new`, so fields can still be added without breaking them.
pub struct ArgumentMeta {
    /// The name clients use.
    pub name: &'static str,
    /// The doc comment.
    pub description: &'static str,
    /// Where it is read from.
    pub source: Source,
    /// Whether it must be given.
    pub required: bool,
    /// The default, as written in the declaration.
    pub default: Option<&'static str>,
    /// The default as clients write it, computed when the declaration is
    /// an expression rather than a literal (see [`Argument::to_text`]).
    ///
    /// [`Argument::to_text`]: crate::Argument::to_text
    pub default_text: Option<fn() -> Option<String>>,
    /// The value's shape.
    pub schema: &'static Schema,
    /// The least allowed value (`range`).
    pub minimum: Option<f64>,
    /// The greatest allowed value (`range`).
    pub maximum: Option<f64>,
    /// The least length (`len`).
    pub min_length: Option<usize>,
    /// The greatest length (`len`).
    pub max_length: Option<usize>,
    /// A regular expression the whole text must match (`pattern`).
    pub pattern: Option<&'static str>,
    /// The allowed values (`one_of`).
    pub one_of: &'static [&'static str],
    /// The separator a single text value is split on (`separator`).
    pub separator: Option<&'static str>,
}

impl ArgumentMeta {
    /// A required argument with no constraints; the derive fills in the rest
    /// with struct update syntax.
    pub const fn new(name: &'static str, schema: &'static Schema) -> Self {
        Self {
            name,
            description: "",
            source: Source::Any,
            required: true,
            default: None,
            default_text: None,
            schema,
            minimum: None,
            maximum: None,
            min_length: None,
            max_length: None,
            pattern: None,
            one_of: &[],
            separator: None,
        }
    }
}
