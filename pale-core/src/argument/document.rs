//! The raw tree as a value in its own right: an argument that takes any
//! input as it is (a schema-less document, a merge patch), rendered back
//! with its types.

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use super::{Argument, Errors, Pointer, Raw, RawMap, Schema};

impl Argument for Raw {
    const SCHEMA: Schema = Schema::Object(&[]);

    /// Any value, unchanged.
    fn cast(raw: &Raw, _: &Pointer<'_>, _: &mut Errors) -> Option<Self> {
        Some(raw.clone())
    }
}

impl Argument for RawMap {
    const SCHEMA: Schema = Schema::Object(&[]);

    /// Any object, unchanged; anything else is `invalid_type`.
    fn cast(raw: &Raw, at: &Pointer<'_>, errors: &mut Errors) -> Option<Self> {
        match raw {
            Raw::Map(map) => Some(map.clone()),
            other => {
                errors.invalid_type(at, "an object", other);
                None
            }
        }
    }
}

impl Serialize for Raw {
    /// Numbers render as numbers (their literal text read as an integer,
    /// else as a float), text as strings, lists and maps as such.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Null => serializer.serialize_unit(),
            Self::Bool(b) => serializer.serialize_bool(*b),
            Self::Text(t) => serializer.serialize_str(t),
            Self::Number(n) => {
                if let Ok(i) = n.parse::<i64>() {
                    serializer.serialize_i64(i)
                } else if let Ok(u) = n.parse::<u64>() {
                    serializer.serialize_u64(u)
                } else {
                    match n.parse::<f64>() {
                        Ok(f) if f.is_finite() => serializer.serialize_f64(f),
                        _ => serializer.serialize_str(n),
                    }
                }
            }
            Self::List(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Self::Map(map) => map.serialize(serializer),
        }
    }
}

impl Serialize for RawMap {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_map(Some(self.len()))?;
        for (key, value) in self.iter() {
            out.serialize_entry(key, value)?;
        }
        out.end()
    }
}
