//! Map keys: each is written straight into the output as the start tag of
//! its entry, `<key` when it is a safe element name, `<entry key="…"`
//! otherwise.

use serde::Serialize;
use serde::ser::{self, Impossible};

use super::error::Error;
use super::tag::{End, start_entry};
use super::text::is_safe_name;

/// Serializes a map key as the start tag of its entry.
pub(super) struct KeySer<'o> {
    pub(super) out: &'o mut Vec<u8>,
}

impl KeySer<'_> {
    fn name(self, key: &str) -> End<'static> {
        if is_safe_name(key) {
            self.out.push(b'<');
            let start = self.out.len();
            self.out.extend_from_slice(key.as_bytes());
            End::Span(start, self.out.len())
        } else {
            start_entry(self.out, key);
            End::Entry
        }
    }

    /// An integer key is never a safe name (it starts with a digit).
    fn integer(self, key: impl itoa::Integer) -> Result<End<'static>, Error> {
        start_entry(self.out, itoa::Buffer::new().format(key));
        Ok(End::Entry)
    }
}

fn key_error() -> Error {
    Error::new("map keys must be strings or integers")
}

impl ser::Serializer for KeySer<'_> {
    type Ok = End<'static>;
    type Error = Error;
    type SerializeSeq = Impossible<End<'static>, Error>;
    type SerializeTuple = Impossible<End<'static>, Error>;
    type SerializeTupleStruct = Impossible<End<'static>, Error>;
    type SerializeTupleVariant = Impossible<End<'static>, Error>;
    type SerializeMap = Impossible<End<'static>, Error>;
    type SerializeStruct = Impossible<End<'static>, Error>;
    type SerializeStructVariant = Impossible<End<'static>, Error>;

    fn serialize_str(self, v: &str) -> Result<End<'static>, Error> {
        Ok(self.name(v))
    }

    fn serialize_char(self, v: char) -> Result<End<'static>, Error> {
        Ok(self.name(v.encode_utf8(&mut [0; 4])))
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<End<'static>, Error> {
        Ok(self.name(variant))
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<End<'static>, Error> {
        value.serialize(self)
    }

    fn serialize_i8(self, v: i8) -> Result<End<'static>, Error> {
        self.integer(v)
    }

    fn serialize_i16(self, v: i16) -> Result<End<'static>, Error> {
        self.integer(v)
    }

    fn serialize_i32(self, v: i32) -> Result<End<'static>, Error> {
        self.integer(v)
    }

    fn serialize_i64(self, v: i64) -> Result<End<'static>, Error> {
        self.integer(v)
    }

    fn serialize_i128(self, v: i128) -> Result<End<'static>, Error> {
        self.integer(v)
    }

    fn serialize_u8(self, v: u8) -> Result<End<'static>, Error> {
        self.integer(v)
    }

    fn serialize_u16(self, v: u16) -> Result<End<'static>, Error> {
        self.integer(v)
    }

    fn serialize_u32(self, v: u32) -> Result<End<'static>, Error> {
        self.integer(v)
    }

    fn serialize_u64(self, v: u64) -> Result<End<'static>, Error> {
        self.integer(v)
    }

    fn serialize_u128(self, v: u128) -> Result<End<'static>, Error> {
        self.integer(v)
    }

    fn serialize_bool(self, _: bool) -> Result<End<'static>, Error> {
        Err(key_error())
    }

    fn serialize_f32(self, _: f32) -> Result<End<'static>, Error> {
        Err(key_error())
    }

    fn serialize_f64(self, _: f64) -> Result<End<'static>, Error> {
        Err(key_error())
    }

    fn serialize_bytes(self, _: &[u8]) -> Result<End<'static>, Error> {
        Err(key_error())
    }

    fn serialize_none(self) -> Result<End<'static>, Error> {
        Err(key_error())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<End<'static>, Error> {
        Err(key_error())
    }

    fn serialize_unit(self) -> Result<End<'static>, Error> {
        Err(key_error())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<End<'static>, Error> {
        Err(key_error())
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<End<'static>, Error> {
        Err(key_error())
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(key_error())
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        Err(key_error())
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(key_error())
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(key_error())
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(key_error())
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Error> {
        Err(key_error())
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(key_error())
    }
}
