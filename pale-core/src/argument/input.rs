//! A request's input, kept by source until each argument asks for itself.
//!
//! Arguments are looked up by name in a documented order: the **path** wins,
//! then the **body**, then the **query**. A name that appears in more than
//! one of those sources is not silently resolved: it is a 422 (`duplicate`),
//! because a client sending `?price=1` and a body with `"price": 100` has a
//! bug we should show, not hide. An argument declared `from = query` (or
//! `path`, `body`, `header("…")`) reads only that source.

use super::{Errors, Pointer, Raw, RawMap};

/// Where an argument may come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Source {
    /// The path, the body or the query, in that order (the default).
    Any,
    /// A path parameter.
    Path,
    /// The query string.
    Query,
    /// The request body.
    Body,
    /// A request header, by its (case-insensitive) name.
    Header(&'static str),
    /// The whole request body, whatever its shape (a merge patch, a
    /// schema-less document).
    Document,
}

impl Source {
    /// The name of the source, as OpenAPI's `in` would say it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Any => "any",
            Self::Path => "path",
            Self::Query => "query",
            Self::Body => "body",
            Self::Header(_) => "header",
            Self::Document => "body",
        }
    }
}

/// Something arguments can be looked up in: a whole request's [`Input`],
/// or a [`RawMap`] for a nested argument struct.
pub trait Lookup {
    /// The value of argument `name` from `source`, if present.
    fn lookup(
        &self,
        name: &str,
        source: Source,
        at: &Pointer<'_>,
        errors: &mut Errors,
    ) -> Option<&Raw>;

    /// Reports every key not in `known` (for `deny_unknown`).
    fn deny_unknown(&self, known: &[&str], at: &Pointer<'_>, errors: &mut Errors);
}

impl Lookup for RawMap {
    fn lookup(&self, name: &str, _: Source, _: &Pointer<'_>, _: &mut Errors) -> Option<&Raw> {
        self.get(name)
    }

    fn deny_unknown(&self, known: &[&str], at: &Pointer<'_>, errors: &mut Errors) {
        for key in self.keys() {
            if !known.contains(&key) {
                errors.push(&at.key(key), "unknown", "unknown argument");
            }
        }
    }
}

/// The input of one request, by source.
#[derive(Clone, Debug, Default)]
pub struct Input {
    /// Path parameters, by name.
    pub path: RawMap,
    /// The query string.
    pub query: RawMap,
    /// The decoded body, if there was one.
    pub body: Option<Raw>,
    /// The headers that arguments read, by lower-case name.
    pub headers: RawMap,
}

impl Input {
    /// An empty input.
    pub fn new() -> Self {
        Self::default()
    }

    /// The body's members, making the body an empty map first if it is not
    /// one (for building input by hand, in tests and tools).
    pub fn body_map_mut(&mut self) -> &mut RawMap {
        if !matches!(self.body, Some(Raw::Map(_))) {
            self.body = Some(Raw::Map(RawMap::new()));
        }
        match &mut self.body {
            Some(Raw::Map(map)) => map,
            _ => unreachable!("made a map above"),
        }
    }

    /// The body's members, when the body is a map.
    pub fn body_map(&self) -> Option<&RawMap> {
        match &self.body {
            Some(Raw::Map(map)) => Some(map),
            _ => None,
        }
    }
}

impl Lookup for Input {
    fn lookup(
        &self,
        name: &str,
        source: Source,
        at: &Pointer<'_>,
        errors: &mut Errors,
    ) -> Option<&Raw> {
        match source {
            Source::Header(header) => return self.headers.get(&header.to_ascii_lowercase()),
            Source::Document => return self.body.as_ref(),
            _ => {}
        }
        // Most requests carry their arguments in one source: then there is
        // nothing to compare, and the lookup is one map's.
        let body = self.body_map().filter(|body| !body.is_empty());
        if self.path.is_empty() && body.is_none() {
            return match source {
                Source::Any | Source::Query => self.query.get(name),
                _ => None,
            };
        }
        let found = [
            (Source::Path, self.path.get(name)),
            (Source::Body, body.and_then(|body| body.get(name))),
            (Source::Query, self.query.get(name)),
        ];
        let given = found.iter().filter(|(_, v)| v.is_some()).count();
        if given > 1 {
            let sources: Vec<&str> = found
                .iter()
                .filter(|(_, v)| v.is_some())
                .map(|(s, _)| s.as_str())
                .collect();
            errors.push(
                &at.key(name),
                "duplicate",
                format!("given in more than one place ({})", sources.join(", ")),
            );
            return None;
        }
        found
            .into_iter()
            .find(|(s, v)| v.is_some() && (source == Source::Any || *s == source))
            .and_then(|(_, v)| v)
    }

    fn deny_unknown(&self, known: &[&str], at: &Pointer<'_>, errors: &mut Errors) {
        self.query.deny_unknown(known, at, errors);
        if let Some(body) = self.body_map() {
            body.deny_unknown(known, at, errors);
        }
    }
}
