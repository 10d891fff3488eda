//! The format-neutral input tree (DESIGN D2).
//!
//! Path parameters, query strings, form bodies, JSON and XML all decode
//! into one small tree, and arguments cast from it. Casting from text is
//! the rule, not the exception: XML and query strings carry no types, so
//! `"42"` must become `42u32` exactly as a JSON `42` does.
//!
//! Numbers keep their literal text ([`Raw::Number`]) so that nothing is
//! rounded before the argument that wants the value decides how to read it
//! (an `i64` near its limit would not survive a trip through `f64`).

use indexmap::IndexMap;

/// One value of request input, before any argument has cast it.
#[derive(Clone, Debug, PartialEq)]
pub enum Raw {
    /// An explicit null (JSON `null`).
    Null,
    /// Text: a query or form value, an XML element's text, a JSON string.
    Text(String),
    /// A JSON number, as its literal text.
    Number(String),
    /// A JSON boolean.
    Bool(bool),
    /// A list: a JSON array, repeated query keys, repeated XML elements.
    List(Vec<Self>),
    /// A map: a JSON object, a query string, an XML element with children.
    Map(RawMap),
}

impl Raw {
    /// A short, bounded name for the kind of value, for error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Null => "null",
            Self::Text(_) => "text",
            Self::Number(_) => "a number",
            Self::Bool(_) => "a boolean",
            Self::List(_) => "a list",
            Self::Map(_) => "an object",
        }
    }

    /// The text of a scalar: text itself, a number's literal, `true`/`false`.
    pub fn as_scalar_text(&self) -> Option<&str> {
        match self {
            Self::Text(s) | Self::Number(s) => Some(s),
            Self::Bool(true) => Some("true"),
            Self::Bool(false) => Some("false"),
            _ => None,
        }
    }

    /// `true` for null, and for empty text (an empty query value or XML
    /// element), which optional arguments read as absent.
    pub fn is_blank(&self) -> bool {
        match self {
            Self::Null => true,
            Self::Text(s) => s.is_empty(),
            _ => false,
        }
    }

    /// How deeply lists and maps nest inside this value (a scalar is 0).
    pub fn depth(&self) -> usize {
        match self {
            Self::List(items) => 1 + items.iter().map(Self::depth).max().unwrap_or(0),
            Self::Map(map) => 1 + map.values().map(Self::depth).max().unwrap_or(0),
            _ => 0,
        }
    }
}

/// An ordered map of input values with unique keys.
///
/// Keys keep the client's order (for error messages and round trips), and
/// lookups are hashed: a hostile body with a hundred thousand keys must not
/// cost quadratic time to decode.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RawMap {
    entries: IndexMap<String, Raw>,
}

impl RawMap {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// The value under `key`.
    pub fn get(&self, key: &str) -> Option<&Raw> {
        self.entries.get(key)
    }

    /// Sets `key`, replacing any earlier value (in its place).
    pub fn insert(&mut self, key: impl Into<String>, value: Raw) {
        self.entries.insert(key.into(), value);
    }

    /// Adds `value` under `key`; a key seen before becomes a list of all
    /// its values, in order (how `?tag=a&tag=b` and repeated XML elements
    /// become lists).
    pub fn append(&mut self, key: impl Into<String>, value: Raw) {
        match self.entries.entry(key.into()) {
            indexmap::map::Entry::Vacant(slot) => {
                slot.insert(value);
            }
            // Decoders append scalars and maps only, so a list found here
            // is one this method built.
            indexmap::map::Entry::Occupied(mut slot) => match slot.get_mut() {
                Raw::List(items) => items.push(value),
                first => {
                    let first = std::mem::replace(first, Raw::Null);
                    *slot.get_mut() = Raw::List(vec![first, value]);
                }
            },
        }
    }

    /// Removes and returns the value under `key`, keeping the others' order.
    pub fn remove(&mut self, key: &str) -> Option<Raw> {
        self.entries.shift_remove(key)
    }

    /// Takes the value under `key` out, leaving its place (and so the
    /// order of keys) for a later [`insert`](Self::insert) to fill.
    pub fn remove_keep_order(&mut self, key: &str) -> Option<Raw> {
        self.entries
            .get_mut(key)
            .map(|slot| std::mem::replace(slot, Raw::Null))
    }

    /// Whether `key` is present.
    pub fn contains_key(&self, key: &str) -> bool {
        self.entries.contains_key(key)
    }

    /// Keys in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }

    /// Values in order.
    pub fn values(&self) -> impl Iterator<Item = &Raw> {
        self.entries.values()
    }

    /// Entries in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Raw)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// The number of keys.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the map is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl FromIterator<(String, Raw)> for RawMap {
    fn from_iter<I: IntoIterator<Item = (String, Raw)>>(iter: I) -> Self {
        let mut map = Self::new();
        for (k, v) in iter {
            map.insert(k, v);
        }
        map
    }
}

impl From<&str> for Raw {
    fn from(text: &str) -> Self {
        Self::Text(text.to_owned())
    }
}

impl From<String> for Raw {
    fn from(text: String) -> Self {
        Self::Text(text)
    }
}

impl From<RawMap> for Raw {
    fn from(map: RawMap) -> Self {
        Self::Map(map)
    }
}
