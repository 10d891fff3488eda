//! The [`Raw`] tree from any serde `Deserializer`, nesting bounded.
//!
//! One visitor serves every format that decodes through serde: JSON
//! drives it directly (as a [`RawSeed`], no `serde_json::Value` in
//! between), and the formats added with
//! [`SerdeFormat`](super::SerdeFormat) through `Raw`'s `Deserialize`
//! impl, which reads the limits of the decode in progress. Depth is
//! counted as the tree is built, so a hostile body is refused before it
//! can exhaust the stack; duplicate keys, which parsers resolve
//! differently, are refused too; non-finite numbers (CBOR and
//! MessagePack can carry them, JSON cannot) are refused so that every
//! format reads the same values.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::DecodeLimits;
use crate::argument::{Raw, RawMap};

thread_local! {
    /// The nesting limit of the [`with_limits`] call running on this thread.
    static MAX_DEPTH: Cell<Option<usize>> = const { Cell::new(None) };
}

/// Runs `decode` with `limits` applying to every `Raw` it deserializes.
/// Decoding is synchronous, so the limit covers exactly this call (and is
/// restored after it, even if it panics).
pub(super) fn with_limits<R>(limits: &DecodeLimits, decode: impl FnOnce() -> R) -> R {
    struct Restore(Option<usize>);
    impl Drop for Restore {
        fn drop(&mut self) {
            MAX_DEPTH.set(self.0);
        }
    }
    let _restore = Restore(MAX_DEPTH.replace(Some(limits.max_depth)));
    decode()
}

impl<'de> Deserialize<'de> for Raw {
    /// Reads any self-describing value: null, booleans, finite numbers,
    /// text, lists, and maps with text keys. Nesting is bounded by the
    /// [`DecodeLimits`] of the body being decoded, or by the default
    /// limits outside one; bytes, tags and extension types are refused.
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        let depth = MAX_DEPTH.get().unwrap_or(DecodeLimits::default().max_depth);
        RawSeed { depth }.deserialize(de)
    }
}

/// Deserializes one value with `depth` levels of nesting still allowed.
#[derive(Clone, Copy, Debug)]
pub struct RawSeed {
    depth: usize,
}

impl RawSeed {
    /// A seed that reads one value within `limits`.
    pub fn new(limits: &DecodeLimits) -> Self {
        Self {
            depth: limits.max_depth,
        }
    }

    fn deeper<E: de::Error>(self) -> Result<Self, E> {
        match self.depth.checked_sub(1) {
            Some(depth) => Ok(Self { depth }),
            None => Err(E::custom("the document nests too deeply")),
        }
    }
}

impl<'de> DeserializeSeed<'de> for RawSeed {
    type Value = Raw;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Raw, D::Error> {
        de.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for RawSeed {
    type Value = Raw;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a null, boolean, number, string, list or map")
    }

    fn visit_unit<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }

    fn visit_none<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }

    fn visit_bool<E>(self, v: bool) -> Result<Raw, E> {
        Ok(Raw::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Raw, E> {
        Ok(Raw::Number(itoa::Buffer::new().format(v).into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Raw, E> {
        Ok(Raw::Number(itoa::Buffer::new().format(v).into()))
    }

    fn visit_i128<E>(self, v: i128) -> Result<Raw, E> {
        Ok(Raw::Number(itoa::Buffer::new().format(v).into()))
    }

    fn visit_u128<E>(self, v: u128) -> Result<Raw, E> {
        Ok(Raw::Number(itoa::Buffer::new().format(v).into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Raw, E> {
        if !v.is_finite() {
            return Err(E::custom("a number is not finite"));
        }
        Ok(Raw::Number(ryu::Buffer::new().format_finite(v).into()))
    }

    fn visit_str<E>(self, v: &str) -> Result<Raw, E> {
        Ok(Raw::Text(v.into()))
    }

    fn visit_string<E>(self, v: String) -> Result<Raw, E> {
        Ok(Raw::Text(v.into()))
    }

    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<Raw, S::Error> {
        let inner = self.deeper()?;
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element_seed(inner)? {
            items.push(item);
        }
        Ok(Raw::List(items))
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Raw, M::Error> {
        let inner = self.deeper()?;
        let mut out = RawMap::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(inner)?;
            if out.contains_key(&key) {
                return Err(de::Error::custom("an object has a duplicate key"));
            }
            out.insert(key, value);
        }
        Ok(Raw::Map(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_applies_inside_with_limits_and_is_restored_after() {
        let nested = |n: usize| "[".repeat(n) + &"]".repeat(n);
        let read = |text: &str| serde_json::from_str::<Raw>(text);
        assert!(read(&nested(32)).is_ok());
        assert!(read(&nested(33)).is_err(), "the default limit outside");
        let tight = DecodeLimits::with_max_depth(2);
        with_limits(&tight, || {
            assert!(read(&nested(2)).is_ok());
            let err = read(&nested(3)).unwrap_err().to_string();
            assert!(err.contains("nests too deeply"), "{err}");
        });
        assert!(read(&nested(32)).is_ok(), "restored");
    }

    #[test]
    fn wide_integers_are_kept_and_non_finite_numbers_refused() {
        let raw = Raw::deserialize(
            serde::de::value::I128Deserializer::<serde::de::value::Error>::new(-(1i128 << 64)),
        )
        .unwrap();
        assert_eq!(raw, Raw::Number("-18446744073709551616".into()));
        let nan = Raw::deserialize(
            serde::de::value::F64Deserializer::<serde::de::value::Error>::new(f64::NAN),
        );
        assert_eq!(nan.unwrap_err().to_string(), "a number is not finite");
    }
}
