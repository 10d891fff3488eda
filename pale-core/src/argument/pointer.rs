//! Where an argument error was found, and the list errors are collected in.
//!
//! A [`Pointer`] is a chain of borrowed segments on the stack: walking into
//! `/tracks/2/title` costs nothing until an error is actually reported,
//! which is the only time the pointer is written out as a string.

use std::borrow::Cow;
use std::fmt::{self, Write as _};

use crate::error::FieldError;

/// A location in the argument tree, rendered as a JSON pointer.
#[derive(Clone, Copy, Debug)]
pub struct Pointer<'a> {
    parent: Option<&'a Self>,
    segment: Segment<'a>,
}

#[derive(Clone, Copy, Debug)]
enum Segment<'a> {
    Root,
    Key(&'a str),
    Index(usize),
}

impl<'a> Pointer<'a> {
    /// The root of the arguments (`""`).
    pub const fn root() -> Self {
        Pointer {
            parent: None,
            segment: Segment::Root,
        }
    }

    /// The member `key` below this location.
    pub fn key(&'a self, key: &'a str) -> Self {
        Pointer {
            parent: Some(self),
            segment: Segment::Key(key),
        }
    }

    /// The list item `index` below this location.
    pub fn index(&'a self, index: usize) -> Self {
        Pointer {
            parent: Some(self),
            segment: Segment::Index(index),
        }
    }

    fn write_to(&self, out: &mut String) {
        if let Some(parent) = self.parent {
            parent.write_to(out);
        }
        match self.segment {
            Segment::Root => {}
            Segment::Key(key) => {
                out.push('/');
                // RFC 6901 escaping: `~` first, then `/`.
                for c in key.chars() {
                    match c {
                        '~' => out.push_str("~0"),
                        '/' => out.push_str("~1"),
                        c => out.push(c),
                    }
                }
            }
            Segment::Index(index) => {
                let _ = write!(out, "/{index}");
            }
        }
    }
}

impl fmt::Display for Pointer<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        self.write_to(&mut out);
        f.write_str(&out)
    }
}

/// The errors found while casting, in the order they were found.
#[derive(Debug, Default)]
pub struct Errors {
    list: Vec<FieldError>,
}

impl Errors {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a problem at `at`.
    pub fn push(
        &mut self,
        at: &Pointer<'_>,
        code: impl Into<Cow<'static, str>>,
        message: impl Into<String>,
    ) {
        self.list
            .push(FieldError::new(at.to_string(), code, message));
    }

    /// Records that a value of the wrong kind was given.
    pub fn invalid_type(&mut self, at: &Pointer<'_>, expected: &str, found: &super::Raw) {
        self.push(
            at,
            "invalid_type",
            format!("expected {expected}, found {}", found.kind()),
        );
    }

    /// Gives every error recorded at `at` with `code` this `message`
    /// instead (a cast's generic words replaced by the field's own).
    pub fn restate(&mut self, at: &Pointer<'_>, code: &str, message: &str) {
        let pointer = at.to_string();
        for error in &mut self.list {
            if error.pointer == pointer && error.code == code {
                error.message = message.to_owned();
            }
        }
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The number of errors recorded.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// The recorded errors.
    pub fn into_vec(self) -> Vec<FieldError> {
        self.list
    }
}
