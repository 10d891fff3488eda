//! The `fields=` grammar: parsing only, no resources involved.

use std::fmt;

use super::{MAX_DEPTH, MAX_LEN, MAX_NAME};

/// A parsed `fields=` expression.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    items: Vec<Item>,
}

/// One item of a selection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    /// `*`: every visible field.
    All,
    /// A field by name, with an optional sub-selection.
    Field {
        /// The field's name.
        name: String,
        /// What to select inside it, if given.
        sub: Option<Selection>,
    },
}

impl Selection {
    /// Parses a `fields=` expression.
    ///
    /// ```
    /// use pale_core::select::Selection;
    ///
    /// let sel = Selection::parse("title, tracks(number,title)").unwrap();
    /// assert_eq!(sel.to_string(), "title,tracks(number,title)");
    /// assert!(Selection::parse("tracks(").is_err());
    /// assert!(Selection::parse("").unwrap().is_empty());
    /// ```
    pub fn parse(text: &str) -> Result<Self, SelectionError> {
        if text.len() > MAX_LEN {
            return Err(SelectionError::new(0, "the selection is too long"));
        }
        let mut parser = Parser {
            bytes: text.as_bytes(),
            at: 0,
        };
        let selection = parser.selection(0)?;
        parser.skip_spaces();
        if parser.at < parser.bytes.len() {
            return Err(parser.error("unexpected character"));
        }
        Ok(selection)
    }

    /// The items, in the order written.
    pub fn items(&self) -> &[Item] {
        &self.items
    }

    /// Whether nothing is selected.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

impl fmt::Display for Selection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, item) in self.items.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            match item {
                Item::All => f.write_str("*")?,
                Item::Field { name, sub } => {
                    f.write_str(name)?;
                    if let Some(sub) = sub {
                        write!(f, "({sub})")?;
                    }
                }
            }
        }
        Ok(())
    }
}

/// Why a `fields=` expression does not parse.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SelectionError {
    /// The byte offset of the problem.
    pub offset: usize,
    /// What is wrong.
    pub message: &'static str,
}

impl SelectionError {
    fn new(offset: usize, message: &'static str) -> Self {
        Self { offset, message }
    }
}

impl fmt::Display for SelectionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at offset {}", self.message, self.offset)
    }
}

impl std::error::Error for SelectionError {}

struct Parser<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn error(&self, message: &'static str) -> SelectionError {
        SelectionError::new(self.at, message)
    }

    fn skip_spaces(&mut self) {
        while self.bytes.get(self.at).is_some_and(u8::is_ascii_whitespace) {
            self.at += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_spaces();
        self.bytes.get(self.at).copied()
    }

    fn selection(&mut self, depth: usize) -> Result<Selection, SelectionError> {
        if depth > MAX_DEPTH {
            return Err(self.error("the selection nests too deeply"));
        }
        let mut items = Vec::new();
        if matches!(self.peek(), None | Some(b')')) {
            return Ok(Selection { items });
        }
        loop {
            items.push(self.item(depth)?);
            match self.peek() {
                Some(b',') => self.at += 1,
                _ => return Ok(Selection { items }),
            }
        }
    }

    fn item(&mut self, depth: usize) -> Result<Item, SelectionError> {
        if self.peek() == Some(b'*') {
            self.at += 1;
            return Ok(Item::All);
        }
        let start = self.at;
        while self
            .bytes
            .get(self.at)
            .is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        {
            self.at += 1;
        }
        if self.at == start {
            return Err(self.error("expected a field name"));
        }
        if self.at - start > MAX_NAME {
            return Err(SelectionError::new(start, "a field name is too long"));
        }
        // Only ASCII bytes were consumed, so this slice is valid UTF-8.
        let name = String::from_utf8_lossy(&self.bytes[start..self.at]).into_owned();
        let sub = if self.peek() == Some(b'(') {
            self.at += 1;
            let sub = self.selection(depth + 1)?;
            if self.peek() != Some(b')') {
                return Err(self.error("expected `)`"));
            }
            self.at += 1;
            Some(sub)
        } else {
            None
        };
        Ok(Item::Field { name, sub })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_forms() {
        let cases = [
            ("title", "title"),
            ("title,artist(name)", "title,artist(name)"),
            (" tracks ( number , title ) ", "tracks(number,title)"),
            ("*", "*"),
            ("tracks(*)", "tracks(*)"),
            ("a(b(c(d)))", "a(b(c(d)))"),
            ("", ""),
            ("tracks()", "tracks()"),
        ];
        for (input, shown) in cases {
            assert_eq!(
                Selection::parse(input).unwrap().to_string(),
                shown,
                "{input:?}"
            );
        }
    }

    #[test]
    fn rejects_malformed_input_with_an_offset() {
        let cases = [
            ("tracks(", 7, "expected `)`"),
            ("a,,b", 2, "expected a field name"),
            ("a)", 1, "unexpected character"),
            ("a b", 2, "unexpected character"),
            ("é", 0, "expected a field name"),
            ("a,", 2, "expected a field name"),
        ];
        for (input, offset, message) in cases {
            let err = Selection::parse(input).unwrap_err();
            assert_eq!((err.offset, err.message), (offset, message), "{input:?}");
        }
    }

    #[test]
    fn bounds_depth_length_and_names() {
        let deep = "a(".repeat(MAX_DEPTH + 2) + &")".repeat(MAX_DEPTH + 2);
        assert_eq!(
            Selection::parse(&deep).unwrap_err().message,
            "the selection nests too deeply"
        );
        assert!(Selection::parse(&"a,".repeat(MAX_LEN)).is_err());
        assert!(Selection::parse(&"n".repeat(MAX_NAME + 1)).is_err());
        assert!(Selection::parse(&"n".repeat(MAX_NAME)).is_ok());
    }
}
