//! Path templates (`/albums/{album_id}`): parsed once, when an
//! [`Api`](crate::Api) is built, and read from then on by everything that
//! deals in paths: the server's router (which template a request path
//! matches, and which templates are the same route), the endpoint's input
//! (its parameters' values, percent-decoded) and the typed path builders
//! the derive writes (`GetAlbum::path(7)`, each value percent-encoded).
//!
//! The grammar itself lives in the `pale-path` crate, so that the derive
//! checks a template when the user's crate compiles by the very rules a
//! template is parsed by here (see [`PathTemplate::parse`]).

use std::fmt::{self, Write as _};

use compact_str::CompactString;
pub use pale_path::{Segment, TemplateError};

use crate::error::ApiError;

/// A checked path template: literal segments and `{name}` parameters, each
/// parameter one whole segment, each name once.
///
/// ```
/// use pale_core::PathTemplate;
///
/// let template = PathTemplate::parse("/albums/{album_id}/tracks/{number}").unwrap();
/// assert_eq!(template.params().collect::<Vec<_>>(), ["album_id", "number"]);
/// let values: Vec<_> = template.values("/albums/7/tracks/a%20b").collect();
/// assert_eq!(values, [("album_id", "7"), ("number", "a%20b")]);
/// assert!(PathTemplate::parse("/albums/a{album_id}").is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathTemplate {
    text: &'static str,
    segments: Box<[Segment<'static>]>,
}

impl PathTemplate {
    /// Parses `text` by the template rules (those of the derive): it starts
    /// with `/`; a parameter is a whole segment, `{name}`, named by an
    /// identifier; no name appears twice.
    pub fn parse(text: &'static str) -> Result<Self, TemplateError<'static>> {
        Ok(Self {
            text,
            segments: pale_path::parse(text)?.into_boxed_slice(),
        })
    }

    /// The template as written.
    pub fn as_str(&self) -> &'static str {
        self.text
    }

    /// The segments, in order.
    pub fn segments(&self) -> &[Segment<'static>] {
        &self.segments
    }

    /// The parameters' names, in order.
    pub fn params(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.segments.iter().filter_map(|segment| match segment {
            Segment::Param(name) => Some(*name),
            Segment::Literal(_) => None,
        })
    }

    /// Whether two templates match the same request paths: equal once the
    /// parameters' names are ignored (`/x/{id}` and `/x/{key}` are one
    /// route).
    pub fn same_shape(&self, other: &Self) -> bool {
        self.segments.len() == other.segments.len()
            && self
                .segments
                .iter()
                .zip(other.segments.iter())
                .all(|(a, b)| a.same_shape(*b))
    }

    /// The parameters' values in `path`, a request path this template
    /// matched (without the API's base path), still percent-encoded:
    /// each parameter is one whole segment, so the segments line up.
    pub fn values<'a, 'p: 'a>(
        &'a self,
        path: &'p str,
    ) -> impl Iterator<Item = (&'static str, &'p str)> + 'a {
        self.segments
            .iter()
            .zip(path.split('/').skip(1))
            .filter_map(|(segment, value)| match segment {
                Segment::Param(name) => Some((*name, value)),
                Segment::Literal(_) => None,
            })
    }
}

impl fmt::Display for PathTemplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text)
    }
}

/// Decodes one path segment: percent-decoded, and UTF-8, or a 400
/// (`malformed_path`).
pub fn decode_segment(segment: &str) -> Result<CompactString, ApiError> {
    // Borrows a segment without escapes; short ones then stay inline.
    let decoded = percent_encoding::percent_decode_str(segment).decode_utf8();
    decoded
        .map(|text| CompactString::from(text.as_ref()))
        .map_err(|_| {
            ApiError::bad_request("a path segment is not valid UTF-8 once percent-decoded")
                .with_code("malformed_path")
        })
}

/// A value a typed path builder takes for a parameter declared as a `T`:
/// a `T`, a `&T`, or a `&str` for a `String` parameter. Anything else (a
/// `u32` for an `i64` id, text for a number) is a compile error at the
/// call, not a link that 404s.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not the type of this path parameter, `{T}`",
    label = "expected a `{T}` (or a reference to one)",
    note = "the endpoint declares the parameter as a `{T}`: convert the value first"
)]
pub trait PathValue<T: ?Sized> {
    /// Appends the value as one percent-encoded segment.
    fn push_to(&self, path: &mut String);
}

impl<T: fmt::Display> PathValue<T> for T {
    fn push_to(&self, path: &mut String) {
        push_segment(path, self);
    }
}

impl<T: fmt::Display> PathValue<T> for &T {
    fn push_to(&self, path: &mut String) {
        push_segment(path, *self);
    }
}

impl PathValue<String> for &str {
    fn push_to(&self, path: &mut String) {
        push_segment(path, self);
    }
}

/// Appends `value` to a path as one percent-encoded segment: what the
/// typed path builders write for each parameter, and [`decode_segment`]
/// reads back.
pub fn push_segment(out: &mut String, value: &dyn fmt::Display) {
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    let mut text = String::new();
    let _ = write!(text, "{value}");
    let _ = write!(
        out,
        "{}",
        percent_encoding::utf8_percent_encode(&text, SEGMENT)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parameter names and values.
    type Values = &'static [(&'static str, &'static str)];

    #[test]
    fn values_line_up_with_the_parameters() {
        #[rustfmt::skip]
        let table: &[(&'static str, &str, Values)] = &[
            ("/", "/", &[]),
            ("/albums", "/albums", &[]),
            ("/albums/{id}", "/albums/7", &[("id", "7")]),
            ("/albums/{id}/tracks/{n}", "/albums/a%2Fb/tracks/3", &[("id", "a%2Fb"), ("n", "3")]),
            ("/{a}/{b}", "/x/", &[("a", "x"), ("b", "")]),
        ];
        for (template, path, expected) in table {
            let template = PathTemplate::parse(template).unwrap();
            let values: Vec<(&str, &str)> = template.values(path).collect();
            assert_eq!(&values, expected, "{template} {path}");
        }
    }

    #[test]
    fn shapes_ignore_parameter_names_only() {
        let parse = |t| PathTemplate::parse(t).unwrap();
        #[rustfmt::skip]
        let table = [
            ("/x/{id}", "/x/{key}", true),
            ("/x/{id}", "/x/id", false),
            ("/x/{id}", "/x/{id}/y", false),
            ("/x", "/x/", false),
            ("/", "/", true),
        ];
        for (a, b, same) in table {
            assert_eq!(parse(a).same_shape(&parse(b)), same, "{a} {b}");
            assert_eq!(parse(b).same_shape(&parse(a)), same, "{b} {a}");
        }
    }

    #[test]
    fn segments_decode_what_push_segment_encodes() {
        for value in ["7", "a b", "a/b", "ünï", "100%", "-._~", "", "?#[]"] {
            let mut out = String::new();
            push_segment(&mut out, &value);
            assert!(!out.contains('/'), "{out}");
            assert_eq!(decode_segment(&out).unwrap(), value);
        }
        let err = decode_segment("%ff").unwrap_err();
        assert_eq!((err.status().as_u16(), err.code()), (400, "malformed_path"));
    }
}
