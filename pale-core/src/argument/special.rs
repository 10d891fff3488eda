//! Argument types for values with a grammar of their own: URLs, times,
//! money and OAuth scopes.
//!
//! Each parses strictly, renders canonically (they implement `Serialize`
//! and `Display`), and reports a bounded message that never echoes input.

use std::fmt;

use serde::{Serialize, Serializer};
use time::format_description::well_known::Rfc3339;

use super::{Argument, Errors, Pointer, Raw, Schema};

fn text<'r>(
    raw: &'r Raw,
    expected: &str,
    at: &Pointer<'_>,
    errors: &mut Errors,
) -> Option<&'r str> {
    match raw {
        Raw::Text(t) => Some(t),
        other => {
            errors.invalid_type(at, expected, other);
            None
        }
    }
}

/// An absolute `http` or `https` URL (the scheme allow-list): `javascript:`,
/// `data:`, `file:` and relative references are rejected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebUrl(url::Url);

impl WebUrl {
    /// The schemes accepted.
    pub const SCHEMES: &'static [&'static str] = &["http", "https"];

    /// The parsed URL.
    pub fn as_url(&self) -> &url::Url {
        &self.0
    }

    /// Parses and checks a URL.
    pub fn parse(text: &str) -> Result<Self, &'static str> {
        // The URL parser would silently strip tabs, newlines and outer
        // spaces and encode inner ones: the value kept would not be the one
        // given.
        if text.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return Err("a URL must not contain spaces or control characters");
        }
        let url = url::Url::parse(text).map_err(|_| "expected an absolute URL")?;
        if !Self::SCHEMES.contains(&url.scheme()) {
            return Err("the URL scheme must be http or https");
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err("the URL must name a host");
        }
        // `https://bank.example@evil.example` is a phishing classic.
        if !url.username().is_empty() || url.password().is_some() {
            return Err("a URL must not contain a user name or password");
        }
        Ok(Self(url))
    }
}

impl Argument for WebUrl {
    const SCHEMA: Schema = Schema::String {
        format: Some("uri"),
        pattern: None,
    };

    fn cast(raw: &Raw, at: &Pointer<'_>, errors: &mut Errors) -> Option<Self> {
        let text = text(raw, "a URL", at, errors)?;
        Self::parse(text)
            .map_err(|message| errors.push(at, "invalid_url", message))
            .ok()
    }
}

impl fmt::Display for WebUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.as_str())
    }
}

impl Serialize for WebUrl {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0.as_str())
    }
}

/// A path on this site (`/albums/7?x=1`), safe to redirect to: it must start
/// with one `/`, and `//host` or `/\host` (which browsers read as another
/// host) and control characters are rejected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathUrl(String);

impl PathUrl {
    /// The path.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Parses and checks a path.
    pub fn parse(text: &str) -> Result<Self, &'static str> {
        let bytes = text.as_bytes();
        if bytes.first() != Some(&b'/') {
            return Err("expected a path starting with /");
        }
        if matches!(bytes.get(1), Some(b'/' | b'\\')) {
            return Err("a path must not start with // or /\\");
        }
        if text
            .chars()
            .any(|c| c.is_control() || c == '\\' || c.is_whitespace())
        {
            return Err("a path must not contain spaces, backslashes or control characters");
        }
        Ok(Self(text.to_owned()))
    }
}

impl Argument for PathUrl {
    const SCHEMA: Schema = Schema::String {
        format: Some("uri-reference"),
        pattern: None,
    };

    fn cast(raw: &Raw, at: &Pointer<'_>, errors: &mut Errors) -> Option<Self> {
        let text = text(raw, "a path", at, errors)?;
        Self::parse(text)
            .map_err(|message| errors.push(at, "invalid_url", message))
            .ok()
    }
}

impl Serialize for PathUrl {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// An instant, given and rendered as RFC 3339 (`2024-05-01T12:00:00Z`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Timestamp(pub time::OffsetDateTime);

impl Argument for Timestamp {
    const SCHEMA: Schema = Schema::String {
        format: Some("date-time"),
        pattern: None,
    };

    fn cast(raw: &Raw, at: &Pointer<'_>, errors: &mut Errors) -> Option<Self> {
        let text = text(raw, "an RFC 3339 timestamp", at, errors)?;
        match time::OffsetDateTime::parse(text, &Rfc3339) {
            Ok(t) => Some(Self(t)),
            Err(_) => {
                errors.push(
                    at,
                    "invalid_timestamp",
                    "expected an RFC 3339 timestamp such as 2024-05-01T12:00:00Z",
                );
                None
            }
        }
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0.format(&Rfc3339).map_err(|_| fmt::Error)?;
        f.write_str(&text)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A calendar date, given and rendered as `YYYY-MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub time::Date);

const DATE_FORMAT: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

impl Date {
    /// Parses `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<Self> {
        // `[year]` alone would also take a sign (`+2024-05-01`, `-0001-01-01`).
        if text.len() != 10 || !text.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        time::Date::parse(text, DATE_FORMAT).ok().map(Self)
    }
}

impl Argument for Date {
    const SCHEMA: Schema = Schema::String {
        format: Some("date"),
        pattern: None,
    };

    fn cast(raw: &Raw, at: &Pointer<'_>, errors: &mut Errors) -> Option<Self> {
        let text = text(raw, "a date", at, errors)?;
        let date = Self::parse(text);
        if date.is_none() {
            errors.push(at, "invalid_date", "expected a date such as 2024-05-01");
        }
        date
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0.format(DATE_FORMAT).map_err(|_| fmt::Error)?;
        f.write_str(&text)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// An amount of money as a whole number of the currency's smallest unit
/// (cents): never a float, so never rounded by accident. Negative amounts
/// are rejected; `"12.50"` is rejected too, because whether it meant cents
/// or dollars is exactly the ambiguity this type exists to remove.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(pub u64);

impl Argument for Money {
    const SCHEMA: Schema = Schema::integer("int64", 0, i64::MAX as i128);

    fn cast(raw: &Raw, at: &Pointer<'_>, errors: &mut Errors) -> Option<Self> {
        let Some(text) = raw
            .as_scalar_text()
            .filter(|_| !matches!(raw, Raw::Bool(_)))
        else {
            errors.invalid_type(at, "an amount in minor units", raw);
            return None;
        };
        if !text.bytes().all(|b| b.is_ascii_digit()) || text.is_empty() {
            errors.push(
                at,
                "invalid_money",
                "expected a whole, non-negative number of minor units (cents)",
            );
            return None;
        }
        match text.parse::<u64>() {
            Ok(n) if n <= i64::MAX as u64 => Some(Self(n)),
            _ => {
                errors.push(at, "out_of_range", format!("must be at most {}", i64::MAX));
                None
            }
        }
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(self.0)
    }
}

/// OAuth-style scopes (RFC 6749 §3.3): space-separated tokens of visible
/// ASCII other than `"` and `\`; duplicates are dropped, order kept.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scopes(pub Vec<String>);

impl Scopes {
    /// Whether `scope` was granted.
    pub fn contains(&self, scope: &str) -> bool {
        self.0.iter().any(|s| s == scope)
    }
}

impl Argument for Scopes {
    const SCHEMA: Schema = Schema::String {
        format: Some("scopes"),
        pattern: None,
    };

    fn cast(raw: &Raw, at: &Pointer<'_>, errors: &mut Errors) -> Option<Self> {
        let tokens: Vec<&str> = match raw {
            Raw::Text(t) => t.split(' ').filter(|s| !s.is_empty()).collect(),
            Raw::List(items) => {
                let mut tokens = Vec::new();
                for item in items {
                    match item {
                        Raw::Text(t) => tokens.extend(t.split(' ').filter(|s| !s.is_empty())),
                        other => {
                            errors.invalid_type(at, "scope text", other);
                            return None;
                        }
                    }
                }
                tokens
            }
            other => {
                errors.invalid_type(at, "space-separated scopes", other);
                return None;
            }
        };
        let valid = |t: &&str| {
            t.bytes()
                .all(|b| b == 0x21 || (0x23..=0x5B).contains(&b) || (0x5D..=0x7E).contains(&b))
        };
        if !tokens.iter().all(valid) {
            errors.push(
                at,
                "invalid_scope",
                "a scope may hold only visible ASCII other than \" and \\",
            );
            return None;
        }
        let mut out: Vec<String> = Vec::with_capacity(tokens.len());
        for t in tokens {
            if !out.iter().any(|s| s == t) {
                out.push(t.to_owned());
            }
        }
        Some(Self(out))
    }
}

impl fmt::Display for Scopes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join(" "))
    }
}

impl Serialize for Scopes {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}
