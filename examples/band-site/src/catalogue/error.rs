//! Errors that name the file, the line and column, and the field.

use std::fmt;
use std::ops::Range;

/// A catalogue that failed to read: where and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogueError {
    /// The file, as the user named it.
    pub file: String,
    /// 1-based line, 0 when unknown.
    pub line: usize,
    /// 1-based column, 0 when unknown.
    pub column: usize,
    /// The field, as a path (`albums[2].tracks[3].duration`), when known.
    pub field: Option<String>,
    /// What is wrong, and what is expected.
    pub message: String,
}

impl fmt::Display for CatalogueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.column)?;
        }
        if let Some(field) = &self.field {
            write!(f, ": `{field}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for CatalogueError {}

/// Turns byte spans into errors that name their line and column.
pub(super) struct Source<'a> {
    pub(super) file: &'a str,
    pub(super) text: &'a str,
}

impl Source<'_> {
    pub(super) fn error(
        &self,
        span: Range<usize>,
        field: Option<String>,
        message: String,
    ) -> CatalogueError {
        let before = &self.text[..span.start.min(self.text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        CatalogueError {
            file: self.file.to_owned(),
            line,
            column,
            field,
            message,
        }
    }

    /// A serde error: toml knows the place; the field is the key written
    /// on that line, when there is one.
    pub(super) fn parse_error(&self, error: &toml::de::Error) -> CatalogueError {
        let message = error.message().trim().to_owned();
        let Some(span) = error.span() else {
            return CatalogueError {
                file: self.file.to_owned(),
                line: 0,
                column: 0,
                field: None,
                message,
            };
        };
        let mut out = self.error(span, None, message);
        let line = self.text.lines().nth(out.line - 1).unwrap_or_default();
        // The key nearest before the error on its line (inline tables have
        // several), else the line's own key or table header.
        let prefix: String = line.chars().take(out.column - 1).collect();
        let nearest = prefix.rsplit_once('=').and_then(|(before, _)| {
            let key: String = before
                .trim_end()
                .chars()
                .rev()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
                .collect();
            (!key.is_empty()).then(|| key.chars().rev().collect::<String>())
        });
        out.field = nearest.or_else(|| match line.split_once('=') {
            Some((key, _)) if !key.trim().is_empty() && !key.contains('[') => {
                Some(key.trim().trim_matches('"').to_owned())
            }
            _ => line
                .trim()
                .strip_prefix('[')
                .map(|t| t.trim_matches(|c| c == '[' || c == ']').trim().to_owned()),
        });
        out
    }
}
