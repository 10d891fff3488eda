//! The grammar of a Pale path template (`/albums/{album_id}/tracks`), in
//! one place for the two crates that read templates: `pale-derive`, which
//! rejects a bad template when the user's crate compiles, and `pale-core`,
//! whose `PathTemplate` parses each one once when an `Api` is built and
//! routes, decodes and builds paths with it. Written once, the two cannot
//! disagree about what a template is.
//!
//! It is a crate of its own because a proc-macro crate cannot depend on
//! the crate that re-exports it (`pale-core` depends on `pale-derive`),
//! and a source file included by both with `#[path]` would lie outside one
//! of them, so that crate could not be packaged. Depend on `pale-core`:
//! this crate is an implementation detail.
//!
//! # The rules
//!
//! - A template starts with `/`; segments are the text between slashes.
//! - A segment is literal text, or a parameter: `{name}`, the whole
//!   segment (`/a{id}` and `/{id}.json` are errors), so a parameter's value
//!   is one whole path segment, percent-decoded.
//! - A parameter's name is an identifier (it names a field of the
//!   endpoint): a letter or `_`, then letters, digits and `_`; not `_`
//!   alone, not a Rust keyword.
//! - Each name appears once.
//!
//! ```
//! use pale_path::{Segment, TemplateError, parse};
//!
//! assert_eq!(
//!     parse("/albums/{album_id}"),
//!     Ok(vec![Segment::Literal("albums"), Segment::Param("album_id")])
//! );
//! assert_eq!(
//!     parse("/albums/a{id}"),
//!     Err(TemplateError::PartialSegment { segment: "a{id}" })
//! );
//! ```

use std::fmt;

/// One segment of a template: the text between two slashes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Segment<'t> {
    /// Literal text, matched as it is (it may be empty: `/` and `/albums/`
    /// end in an empty segment).
    Literal(&'t str),
    /// `{name}`: one whole path segment, given to the argument `name`.
    Param(&'t str),
}

impl<'t> Segment<'t> {
    /// Reads one segment (without its slashes).
    pub fn parse(text: &'t str) -> Result<Self, TemplateError<'t>> {
        if !text.contains(['{', '}']) {
            return Ok(Self::Literal(text));
        }
        let Some(name) = text.strip_prefix('{').and_then(|s| s.strip_suffix('}')) else {
            return Err(TemplateError::PartialSegment { segment: text });
        };
        if is_param_name(name) {
            Ok(Self::Param(name))
        } else {
            Err(TemplateError::InvalidName { name })
        }
    }

    /// Whether two segments match the same request segments: equal
    /// literals, or two parameters whatever their names.
    pub fn same_shape(self, other: Self) -> bool {
        match (self, other) {
            (Self::Literal(a), Self::Literal(b)) => a == b,
            (Self::Param(_), Self::Param(_)) => true,
            _ => false,
        }
    }
}

/// Why a template is not one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TemplateError<'t> {
    /// The template does not start with `/`.
    NoLeadingSlash,
    /// A segment holds a brace but is not one whole `{name}`.
    PartialSegment {
        /// The segment.
        segment: &'t str,
    },
    /// A `{name}` whose name is not an identifier.
    InvalidName {
        /// The text between the braces.
        name: &'t str,
    },
    /// A name given to two parameters.
    DuplicateName {
        /// The name.
        name: &'t str,
    },
}

impl TemplateError<'_> {
    /// What is wrong, in a phrase that needs no quoting of the template.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::NoLeadingSlash => "it must start with `/`",
            Self::PartialSegment { .. } => "a `{param}` must be a whole segment",
            Self::InvalidName { .. } => "a parameter's name must be an identifier",
            Self::DuplicateName { .. } => "a parameter's name must appear once",
        }
    }
}

impl fmt::Display for TemplateError<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoLeadingSlash => f.write_str(self.reason()),
            Self::PartialSegment { segment } => write!(f, "{}, not `{segment}`", self.reason()),
            Self::InvalidName { name } | Self::DuplicateName { name } => {
                write!(f, "{}: `{{{name}}}`", self.reason())
            }
        }
    }
}

impl std::error::Error for TemplateError<'_> {}

/// The segments of `template`, each read by [`Segment::parse`], without
/// the checks that span segments (the leading `/`, duplicate names): for
/// reading a template already checked, or reporting every bad segment.
pub fn segments(template: &str) -> impl Iterator<Item = Result<Segment<'_>, TemplateError<'_>>> {
    template.split('/').skip(1).map(Segment::parse)
}

/// Parses `template` by every rule: the first error, or its segments.
pub fn parse(template: &str) -> Result<Vec<Segment<'_>>, TemplateError<'_>> {
    if !template.starts_with('/') {
        return Err(TemplateError::NoLeadingSlash);
    }
    let mut parsed: Vec<Segment<'_>> = Vec::new();
    for segment in segments(template) {
        let segment = segment?;
        if let Segment::Param(name) = segment
            && parsed.contains(&segment)
        {
            return Err(TemplateError::DuplicateName { name });
        }
        parsed.push(segment);
    }
    Ok(parsed)
}

/// Whether `name` may name a parameter: an identifier, as a field's name
/// is.
pub fn is_param_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
        && !KEYWORDS.contains(&name)
}

/// Words that are not identifiers: `_` and Rust's keywords, strict and
/// reserved (those `syn` refuses as an identifier).
const KEYWORDS: &[&str] = &[
    "_", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue",
    "crate", "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if",
    "impl", "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub",
    "ref", "return", "Self", "self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

#[cfg(test)]
mod tests {
    use super::*;
    use Segment::{Literal as L, Param as P};

    #[test]
    fn templates_by_rule() {
        #[rustfmt::skip]
        let table: &[(&str, Result<Vec<Segment<'_>>, TemplateError<'_>>)] = &[
            ("/", Ok(vec![L("")])),
            ("/albums", Ok(vec![L("albums")])),
            ("/albums/", Ok(vec![L("albums"), L("")])),
            ("/albums/{album_id}", Ok(vec![L("albums"), P("album_id")])),
            ("/a/{x}/b/{y2}", Ok(vec![L("a"), P("x"), L("b"), P("y2")])),
            ("/{_private}", Ok(vec![P("_private")])),
            ("/größe/{größe}", Ok(vec![L("größe"), P("größe")])),
            ("/v1.json", Ok(vec![L("v1.json")])),
            ("", Err(TemplateError::NoLeadingSlash)),
            ("albums/{id}", Err(TemplateError::NoLeadingSlash)),
            ("/albums/a{id}", Err(TemplateError::PartialSegment { segment: "a{id}" })),
            ("/{id}.json", Err(TemplateError::PartialSegment { segment: "{id}.json" })),
            ("/a}", Err(TemplateError::PartialSegment { segment: "a}" })),
            ("/{id", Err(TemplateError::PartialSegment { segment: "{id" })),
            ("/{}", Err(TemplateError::InvalidName { name: "" })),
            ("/{_}", Err(TemplateError::InvalidName { name: "_" })),
            ("/{1st}", Err(TemplateError::InvalidName { name: "1st" })),
            ("/{album-id}", Err(TemplateError::InvalidName { name: "album-id" })),
            ("/{a b}", Err(TemplateError::InvalidName { name: "a b" })),
            ("/{type}", Err(TemplateError::InvalidName { name: "type" })),
            ("/{*rest}", Err(TemplateError::InvalidName { name: "*rest" })),
            ("/{{id}}", Err(TemplateError::InvalidName { name: "{id}" })),
            ("/{a}b}", Err(TemplateError::InvalidName { name: "a}b" })),
            ("/{id}/x/{id}", Err(TemplateError::DuplicateName { name: "id" })),
        ];
        for (template, expected) in table {
            assert_eq!(&parse(template), expected, "{template:?}");
        }
    }

    #[test]
    fn the_first_error_wins_and_segments_reports_each() {
        assert_eq!(
            parse("x/{a b}"),
            Err(TemplateError::NoLeadingSlash),
            "the slash is checked first"
        );
        let each: Vec<_> = segments("/{a b}/ok/c{d}").collect();
        assert_eq!(
            each,
            [
                Err(TemplateError::InvalidName { name: "a b" }),
                Ok(L("ok")),
                Err(TemplateError::PartialSegment { segment: "c{d}" }),
            ]
        );
    }

    #[test]
    fn shapes_ignore_parameter_names() {
        assert!(P("a").same_shape(P("b")));
        assert!(L("x").same_shape(L("x")));
        assert!(!L("x").same_shape(L("y")));
        assert!(!L("{a}").same_shape(P("a")));
    }

    #[test]
    fn messages_name_the_offending_text() {
        let cases = [
            (TemplateError::NoLeadingSlash, "it must start with `/`"),
            (
                TemplateError::PartialSegment { segment: "a{id}" },
                "a `{param}` must be a whole segment, not `a{id}`",
            ),
            (
                TemplateError::InvalidName { name: "1st" },
                "a parameter's name must be an identifier: `{1st}`",
            ),
            (
                TemplateError::DuplicateName { name: "id" },
                "a parameter's name must appear once: `{id}`",
            ),
        ];
        for (error, message) in cases {
            assert_eq!(error.to_string(), message);
        }
    }

    proptest::proptest! {
        /// Any template built from valid pieces parses back into them, and
        /// parsing never panics, whatever the text.
        #[test]
        fn built_templates_parse_back(
            pieces in proptest::collection::vec(
                ("[a-z][a-z0-9_]{0,6}", proptest::bool::ANY), 0..6),
            noise in ".{0,24}",
        ) {
            let _ = parse(&noise);
            let mut template = String::new();
            let mut expected = Vec::new();
            for (i, (word, is_param)) in pieces.iter().enumerate() {
                // Numbered, so that no two names are equal; not a keyword.
                let name = format!("{word}{i}");
                template.push('/');
                if *is_param {
                    template.push_str(&format!("{{{name}}}"));
                } else {
                    template.push_str(&name);
                }
                expected.push((name, *is_param));
            }
            if template.is_empty() {
                template.push('/');
            }
            let parsed = parse(&template).expect("built from valid pieces");
            let got: Vec<(String, bool)> = parsed
                .iter()
                .filter(|s| **s != L(""))
                .map(|s| match s {
                    L(text) => ((*text).to_owned(), false),
                    P(name) => ((*name).to_owned(), true),
                })
                .collect();
            proptest::prop_assert_eq!(got, expected);
        }
    }
}
