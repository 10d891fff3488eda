//! The format-neutral input tree (ARCHITECTURE.md, decision 2).
//!
//! Path parameters, query strings, form bodies, JSON and XML all decode
//! into one small tree, and arguments cast from it. Casting from text is
//! the rule, not the exception: XML and query strings carry no types, so
//! `"42"` must become `42u32` exactly as a JSON `42` does.
//!
//! Numbers keep their literal text ([`Raw::Number`]) so that nothing is
//! rounded before the argument that wants the value decides how to read it
//! (an `i64` near its limit would not survive a trip through `f64`).

use compact_str::CompactString;
use indexmap::IndexMap;

/// One value of request input, before any argument has cast it.
#[derive(Clone, Debug, PartialEq)]
pub enum Raw {
    /// An explicit null (JSON `null`).
    Null,
    /// Text: a query or form value, an XML element's text, a JSON string.
    ///
    /// A [`CompactString`] keeps text of up to 24 bytes inline: most
    /// request values are that short, and this spares one allocation (and
    /// one free) for each of them.
    Text(CompactString),
    /// A JSON number, as its literal text.
    Number(CompactString),
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
/// Keys keep the client's order (for error messages and round trips).
/// Most inputs are small (a query string of ten arguments, a JSON object of
/// a dozen members): up to 16 keys (`SMALL`) live in one `Vec` and are found by
/// comparing them, which costs less than hashing them and allocates once.
/// Past that the map moves to a hashed index, so that a hostile body with a
/// hundred thousand keys does not cost quadratic time to decode.
/// Equality ignores the order of keys, as a map's should.
#[derive(Clone, Debug, Default)]
pub struct RawMap {
    entries: Entries,
}

/// Keys kept in a plain `Vec` before the map switches to a hashed index.
const SMALL: usize = 16;

type Hashed = IndexMap<CompactString, Raw, foldhash::fast::RandomState>;

#[derive(Clone, Debug)]
enum Entries {
    // Keys are short names: `CompactString` keeps those of up to 24 bytes
    // inline, without an allocation each.
    Small(Vec<(CompactString, Raw)>),
    // Boxed: an `IndexMap` is more than twice the size of a `Vec`, and
    // every `Raw` would pay for it.
    Hashed(Box<Hashed>),
}

impl Default for Entries {
    fn default() -> Self {
        Self::Small(Vec::new())
    }
}

impl RawMap {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty map with room for `keys` keys before it reallocates.
    pub fn with_capacity(keys: usize) -> Self {
        Self {
            entries: Entries::Small(Vec::with_capacity(keys.min(SMALL))),
        }
    }

    /// The value under `key`.
    pub fn get(&self, key: &str) -> Option<&Raw> {
        match &self.entries {
            Entries::Small(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            Entries::Hashed(entries) => entries.get(key),
        }
    }

    fn get_mut(&mut self, key: &str) -> Option<&mut Raw> {
        match &mut self.entries {
            Entries::Small(entries) => entries.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v),
            Entries::Hashed(entries) => entries.get_mut(key),
        }
    }

    /// Adds a key known to be absent, moving to the hashed index when the
    /// small representation is full.
    pub(crate) fn push_new(&mut self, key: CompactString, value: Raw) {
        match &mut self.entries {
            Entries::Small(entries) if entries.len() < SMALL => {
                if entries.capacity() == 0 {
                    entries.reserve_exact(SMALL / 2);
                }
                entries.push((key, value));
            }
            Entries::Small(entries) => {
                let mut hashed = Box::new(Hashed::with_capacity_and_hasher(
                    entries.len() * 2,
                    foldhash::fast::RandomState::default(),
                ));
                hashed.extend(entries.drain(..));
                hashed.insert(key, value);
                self.entries = Entries::Hashed(hashed);
            }
            Entries::Hashed(entries) => {
                entries.insert(key, value);
            }
        }
    }

    /// Sets `key`, replacing any earlier value (in its place).
    pub fn insert(&mut self, key: impl Into<String>, value: Raw) {
        let key = CompactString::from(key.into());
        match self.get_mut(&key) {
            Some(slot) => *slot = value,
            None => self.push_new(key, value),
        }
    }

    /// Adds `value` under `key`; a key seen before becomes a list of all
    /// its values, in order (how `?tag=a&tag=b` and repeated XML elements
    /// become lists).
    pub fn append(&mut self, key: impl Into<String>, value: Raw) {
        self.append_compact(CompactString::from(key.into()), value);
    }

    /// [`append`](Self::append) for a key the decoder built without a
    /// `String` (and so, for a short key, without an allocation).
    pub(crate) fn append_compact(&mut self, key: CompactString, value: Raw) {
        match self.get_mut(&key) {
            None => self.push_new(key, value),
            // Decoders append scalars and maps only, so a list found here
            // is one this method built.
            Some(Raw::List(items)) => items.push(value),
            Some(first) => {
                let first_value = std::mem::replace(first, Raw::Null);
                *first = Raw::List(vec![first_value, value]);
            }
        }
    }

    /// Removes and returns the value under `key`, keeping the others' order.
    pub fn remove(&mut self, key: &str) -> Option<Raw> {
        match &mut self.entries {
            Entries::Small(entries) => {
                let at = entries.iter().position(|(k, _)| k == key)?;
                Some(entries.remove(at).1)
            }
            Entries::Hashed(entries) => entries.shift_remove(key),
        }
    }

    /// Takes the value under `key` out, leaving its place (and so the
    /// order of keys) for a later [`insert`](Self::insert) to fill.
    pub fn remove_keep_order(&mut self, key: &str) -> Option<Raw> {
        self.get_mut(key)
            .map(|slot| std::mem::replace(slot, Raw::Null))
    }

    /// Whether `key` is present.
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Keys in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.iter().map(|(k, _)| k)
    }

    /// Values in order.
    pub fn values(&self) -> impl Iterator<Item = &Raw> {
        self.iter().map(|(_, v)| v)
    }

    /// Entries in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Raw)> {
        let (small, hashed) = match &self.entries {
            Entries::Small(entries) => (Some(entries.iter()), None),
            Entries::Hashed(entries) => (None, Some(entries.iter())),
        };
        small
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.as_str(), v))
            .chain(hashed.into_iter().flatten().map(|(k, v)| (k.as_str(), v)))
    }

    /// The number of keys.
    pub fn len(&self) -> usize {
        match &self.entries {
            Entries::Small(entries) => entries.len(),
            Entries::Hashed(entries) => entries.len(),
        }
    }

    /// Whether the map is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl PartialEq for RawMap {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().all(|(k, v)| other.get(k) == Some(v))
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
        Self::Text(text.into())
    }
}

impl From<String> for Raw {
    fn from(text: String) -> Self {
        Self::Text(text.into())
    }
}

impl From<RawMap> for Raw {
    fn from(map: RawMap) -> Self {
        Self::Map(map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every value of a request is a `Raw`, and every key of a map holds
    /// one: it stays as small as a `String` plus a tag.
    #[test]
    fn raw_is_small() {
        assert_eq!(std::mem::size_of::<RawMap>(), 24);
        assert!(std::mem::size_of::<Raw>() <= 32);
    }
}
