//! The JSON writer: serde's data model straight into the response buffer.
//!
//! Why not `serde_json::to_writer`: it checks every byte of every string,
//! keys included, one at a time against its escape table, and that loop
//! was 53% of the instructions of rendering an album (callgrind, `bash
//! bench/callgrind.sh render-json`). This writer checks eight bytes at a
//! time and copies each run that needs no escape in one go. Everything
//! else is written exactly as serde_json writes it (the same escapes,
//! `itoa` for integers, `zmij` for floats, `null` for NaN and infinities),
//! and a property test holds the two byte-identical over arbitrary values.
//!
//! Map keys follow serde_json too: strings and chars as they are; integers,
//! booleans and finite floats quoted; anything else is an error.

use std::fmt;

use serde::ser::{self, Impossible, Serialize};

/// Why a value could not be written.
#[derive(Debug)]
pub(crate) struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Self(msg.to_string())
    }
}

type Written<T = ()> = Result<T, Error>;

/// Appends `value` as JSON to `out`.
pub(crate) fn to_writer<T: Serialize + ?Sized>(value: &T, out: &mut Vec<u8>) -> Written {
    value.serialize(&mut Writer { out })
}

/// The serializer: a cursor at the end of the buffer.
struct Writer<'a> {
    out: &'a mut Vec<u8>,
}

/// What an escape table entry says of a byte.
const NO: u8 = 0;
/// Written as `\u00XX`.
const HEX: u8 = b'u';

/// serde_json's escapes: the short forms where JSON has one, `\u00XX` for
/// the other control characters, nothing for the rest (DEL and non-ASCII
/// included).
static ESCAPE: [u8; 256] = {
    let mut table = [NO; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = HEX;
        b += 1;
    }
    table[0x08] = b'b';
    table[0x09] = b't';
    table[0x0a] = b'n';
    table[0x0c] = b'f';
    table[0x0d] = b'r';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table
};

const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);

/// Whether any of the eight bytes of `word` might need an escape. Never
/// wrong when it says no; may say yes for a clean word after a control
/// byte's borrow, which only sends that word down the byte-wise path.
#[inline]
fn may_need_escape(word: u64) -> bool {
    let zero_in = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS;
    let control = word.wrapping_sub(ONES * 0x20) & !word & HIGHS;
    let quote = zero_in(word ^ (ONES * u64::from(b'"')));
    let backslash = zero_in(word ^ (ONES * u64::from(b'\\')));
    (control | quote | backslash) != 0
}

/// Writes `s` as a JSON string, quotes included.
#[inline]
fn write_str(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    if is_clean(bytes) {
        // Keys and most values: one copy.
        out.extend_from_slice(bytes);
    } else {
        write_escaped(out, bytes);
    }
    out.push(b'"');
}

/// Whether no byte of `bytes` needs an escape: eight at a time, then the
/// rest one by one.
#[inline]
fn is_clean(bytes: &[u8]) -> bool {
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        if may_need_escape(u64::from_ne_bytes(word.try_into().expect("eight bytes"))) {
            return false;
        }
    }
    words
        .remainder()
        .iter()
        .all(|&byte| ESCAPE[usize::from(byte)] == NO)
}

/// The contents of a string that has something to escape.
#[cold]
fn write_escaped(out: &mut Vec<u8>, bytes: &[u8]) {
    let mut clean_from = 0;
    for (i, &byte) in bytes.iter().enumerate() {
        let escape = ESCAPE[usize::from(byte)];
        if escape != NO {
            out.extend_from_slice(&bytes[clean_from..i]);
            write_escape(out, byte, escape);
            clean_from = i + 1;
        }
    }
    out.extend_from_slice(&bytes[clean_from..]);
}

fn write_escape(out: &mut Vec<u8>, byte: u8, escape: u8) {
    if escape == HEX {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        out.extend_from_slice(&[
            b'\\',
            b'u',
            b'0',
            b'0',
            DIGITS[usize::from(byte >> 4)],
            DIGITS[usize::from(byte & 0xf)],
        ]);
    } else {
        out.extend_from_slice(&[b'\\', escape]);
    }
}

fn write_int(out: &mut Vec<u8>, value: impl itoa::Integer) {
    out.extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
}

fn write_float<F: zmij::Float>(out: &mut Vec<u8>, value: F, finite: bool) {
    if finite {
        out.extend_from_slice(zmij::Buffer::new().format_finite(value).as_bytes());
    } else {
        out.extend_from_slice(b"null");
    }
}

/// An object or array being written: whether a comma comes next.
struct Compound<'w, 'a> {
    writer: &'w mut Writer<'a>,
    first: bool,
    /// Closing bytes: `]`, `}`, or `]}`/`}}` for a variant's contents.
    close: &'static [u8],
}

impl Compound<'_, '_> {
    fn separate(&mut self) {
        if self.first {
            self.first = false;
        } else {
            self.writer.out.push(b',');
        }
    }

    fn key(&mut self, key: &str) {
        self.separate();
        write_str(self.writer.out, key);
        self.writer.out.push(b':');
    }

    fn end(self) {
        self.writer.out.extend_from_slice(self.close);
    }
}

impl<'w, 'a> Writer<'a> {
    fn open(&'w mut self, open: &[u8], close: &'static [u8]) -> Compound<'w, 'a> {
        self.out.extend_from_slice(open);
        Compound {
            writer: self,
            first: true,
            close,
        }
    }

    /// `{"variant":` then `open`, closed by `close` and `}`.
    fn open_variant(
        &'w mut self,
        variant: &str,
        open: &[u8],
        close: &'static [u8],
    ) -> Compound<'w, 'a> {
        self.out.push(b'{');
        write_str(self.out, variant);
        self.out.push(b':');
        self.open(open, close)
    }
}

impl<'w, 'a> ser::Serializer for &'w mut Writer<'a> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'w, 'a>;
    type SerializeTuple = Compound<'w, 'a>;
    type SerializeTupleStruct = Compound<'w, 'a>;
    type SerializeTupleVariant = Compound<'w, 'a>;
    type SerializeMap = Compound<'w, 'a>;
    type SerializeStruct = Compound<'w, 'a>;
    type SerializeStructVariant = Compound<'w, 'a>;

    fn serialize_bool(self, v: bool) -> Written {
        self.out
            .extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }

    fn serialize_i8(self, v: i8) -> Written {
        write_int(self.out, v);
        Ok(())
    }

    fn serialize_i16(self, v: i16) -> Written {
        write_int(self.out, v);
        Ok(())
    }

    fn serialize_i32(self, v: i32) -> Written {
        write_int(self.out, v);
        Ok(())
    }

    fn serialize_i64(self, v: i64) -> Written {
        write_int(self.out, v);
        Ok(())
    }

    fn serialize_i128(self, v: i128) -> Written {
        write_int(self.out, v);
        Ok(())
    }

    fn serialize_u8(self, v: u8) -> Written {
        write_int(self.out, v);
        Ok(())
    }

    fn serialize_u16(self, v: u16) -> Written {
        write_int(self.out, v);
        Ok(())
    }

    fn serialize_u32(self, v: u32) -> Written {
        write_int(self.out, v);
        Ok(())
    }

    fn serialize_u64(self, v: u64) -> Written {
        write_int(self.out, v);
        Ok(())
    }

    fn serialize_u128(self, v: u128) -> Written {
        write_int(self.out, v);
        Ok(())
    }

    fn serialize_f32(self, v: f32) -> Written {
        write_float(self.out, v, v.is_finite());
        Ok(())
    }

    fn serialize_f64(self, v: f64) -> Written {
        write_float(self.out, v, v.is_finite());
        Ok(())
    }

    fn serialize_char(self, v: char) -> Written {
        write_str(self.out, v.encode_utf8(&mut [0; 4]));
        Ok(())
    }

    fn serialize_str(self, v: &str) -> Written {
        write_str(self.out, v);
        Ok(())
    }

    fn serialize_bytes(self, v: &[u8]) -> Written {
        let mut seq = self.open(b"[", b"]");
        for &byte in v {
            seq.separate();
            write_int(seq.writer.out, byte);
        }
        seq.end();
        Ok(())
    }

    fn serialize_none(self) -> Written {
        self.serialize_unit()
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Written {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Written {
        self.out.extend_from_slice(b"null");
        Ok(())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Written {
        self.serialize_unit()
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Written {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Written {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Written {
        self.out.push(b'{');
        write_str(self.out, variant);
        self.out.push(b':');
        value.serialize(&mut *self)?;
        self.out.push(b'}');
        Ok(())
    }

    fn serialize_seq(self, _len: Option<usize>) -> Written<Self::SerializeSeq> {
        Ok(self.open(b"[", b"]"))
    }

    fn serialize_tuple(self, _len: usize) -> Written<Self::SerializeTuple> {
        Ok(self.open(b"[", b"]"))
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Written<Self::SerializeTupleStruct> {
        Ok(self.open(b"[", b"]"))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Written<Self::SerializeTupleVariant> {
        Ok(self.open_variant(variant, b"[", b"]}"))
    }

    fn serialize_map(self, _len: Option<usize>) -> Written<Self::SerializeMap> {
        Ok(self.open(b"{", b"}"))
    }

    fn serialize_struct(self, _name: &'static str, _len: usize) -> Written<Self::SerializeStruct> {
        Ok(self.open(b"{", b"}"))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Written<Self::SerializeStructVariant> {
        Ok(self.open_variant(variant, b"{", b"}}"))
    }
}

impl Compound<'_, '_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Written {
        self.separate();
        value.serialize(&mut *self.writer)
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Written {
        self.key(key);
        value.serialize(&mut *self.writer)
    }
}

impl ser::SerializeSeq for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Written {
        self.element(value)
    }

    fn end(self) -> Written {
        Compound::end(self);
        Ok(())
    }
}

impl ser::SerializeTuple for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Written {
        self.element(value)
    }

    fn end(self) -> Written {
        Compound::end(self);
        Ok(())
    }
}

impl ser::SerializeTupleStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Written {
        self.element(value)
    }

    fn end(self) -> Written {
        Compound::end(self);
        Ok(())
    }
}

impl ser::SerializeTupleVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Written {
        self.element(value)
    }

    fn end(self) -> Written {
        Compound::end(self);
        Ok(())
    }
}

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Written {
        self.separate();
        key.serialize(MapKey {
            out: self.writer.out,
        })?;
        self.writer.out.push(b':');
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Written {
        value.serialize(&mut *self.writer)
    }

    fn end(self) -> Written {
        Compound::end(self);
        Ok(())
    }
}

impl ser::SerializeStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Written {
        self.field(key, value)
    }

    fn end(self) -> Written {
        Compound::end(self);
        Ok(())
    }
}

impl ser::SerializeStructVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Written {
        self.field(key, value)
    }

    fn end(self) -> Written {
        Compound::end(self);
        Ok(())
    }
}

/// A map key: a string, or an integer or boolean written as one.
struct MapKey<'a> {
    out: &'a mut Vec<u8>,
}

impl MapKey<'_> {
    fn quoted(self, text: &str) -> Written {
        self.out.push(b'"');
        self.out.extend_from_slice(text.as_bytes());
        self.out.push(b'"');
        Ok(())
    }

    fn int(self, value: impl itoa::Integer) -> Written {
        let mut buffer = itoa::Buffer::new();
        self.quoted(buffer.format(value))
    }

    fn float<F: zmij::Float>(self, value: F, finite: bool) -> Written {
        if !finite {
            return Err(Error(
                "float key must be finite (got NaN or +/-inf)".to_owned(),
            ));
        }
        let mut buffer = zmij::Buffer::new();
        self.quoted(buffer.format_finite(value))
    }
}

fn key_must_be_a_string() -> Error {
    Error("key must be a string".to_owned())
}

impl ser::Serializer for MapKey<'_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = Impossible<(), Error>;
    type SerializeStructVariant = Impossible<(), Error>;

    fn serialize_str(self, v: &str) -> Written {
        write_str(self.out, v);
        Ok(())
    }

    fn serialize_char(self, v: char) -> Written {
        write_str(self.out, v.encode_utf8(&mut [0; 4]));
        Ok(())
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Written {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Written {
        value.serialize(self)
    }

    fn serialize_bool(self, v: bool) -> Written {
        self.quoted(if v { "true" } else { "false" })
    }

    fn serialize_i8(self, v: i8) -> Written {
        self.int(v)
    }

    fn serialize_i16(self, v: i16) -> Written {
        self.int(v)
    }

    fn serialize_i32(self, v: i32) -> Written {
        self.int(v)
    }

    fn serialize_i64(self, v: i64) -> Written {
        self.int(v)
    }

    fn serialize_i128(self, v: i128) -> Written {
        self.int(v)
    }

    fn serialize_u8(self, v: u8) -> Written {
        self.int(v)
    }

    fn serialize_u16(self, v: u16) -> Written {
        self.int(v)
    }

    fn serialize_u32(self, v: u32) -> Written {
        self.int(v)
    }

    fn serialize_u64(self, v: u64) -> Written {
        self.int(v)
    }

    fn serialize_u128(self, v: u128) -> Written {
        self.int(v)
    }

    fn serialize_f32(self, v: f32) -> Written {
        self.float(v, v.is_finite())
    }

    fn serialize_f64(self, v: f64) -> Written {
        self.float(v, v.is_finite())
    }

    fn serialize_bytes(self, _v: &[u8]) -> Written {
        Err(key_must_be_a_string())
    }

    fn serialize_none(self) -> Written {
        Err(key_must_be_a_string())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Written {
        Err(key_must_be_a_string())
    }

    fn serialize_unit(self) -> Written {
        Err(key_must_be_a_string())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Written {
        Err(key_must_be_a_string())
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Written {
        Err(key_must_be_a_string())
    }

    fn serialize_seq(self, _len: Option<usize>) -> Written<Self::SerializeSeq> {
        Err(key_must_be_a_string())
    }

    fn serialize_tuple(self, _len: usize) -> Written<Self::SerializeTuple> {
        Err(key_must_be_a_string())
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Written<Self::SerializeTupleStruct> {
        Err(key_must_be_a_string())
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Written<Self::SerializeTupleVariant> {
        Err(key_must_be_a_string())
    }

    fn serialize_map(self, _len: Option<usize>) -> Written<Self::SerializeMap> {
        Err(key_must_be_a_string())
    }

    fn serialize_struct(self, _name: &'static str, _len: usize) -> Written<Self::SerializeStruct> {
        Err(key_must_be_a_string())
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Written<Self::SerializeStructVariant> {
        Err(key_must_be_a_string())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;
    use serde::Serialize;

    use super::*;

    fn ours<T: Serialize + ?Sized>(value: &T) -> String {
        let mut out = Vec::new();
        to_writer(value, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn theirs<T: Serialize + ?Sized>(value: &T) -> String {
        serde_json::to_string(value).unwrap()
    }

    #[derive(Serialize)]
    enum Shape {
        Unit,
        Newtype(u8),
        Tuple(i32, String),
        Struct { x: f64, y: Option<char> },
    }

    #[derive(Serialize)]
    struct Everything<'a> {
        flag: bool,
        small: i8,
        big: u128,
        neg: i128,
        half: f32,
        not_a_number: f64,
        text: &'a str,
        #[serde(with = "serde_bytes_as_seq")]
        bytes: &'a [u8],
        none: Option<u8>,
        unit: (),
        pair: (u8, &'a str),
        shapes: Vec<Shape>,
        by_number: BTreeMap<u16, bool>,
        by_flag: BTreeMap<bool, u8>,
        by_char: BTreeMap<char, ()>,
        by_float: FloatKeys,
    }

    struct FloatKeys;

    impl Serialize for FloatKeys {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            use serde::ser::SerializeMap;
            let mut map = s.serialize_map(Some(2))?;
            map.serialize_entry(&1.5_f64, &1_u8)?;
            map.serialize_entry(&-2e-7_f32, &2_u8)?;
            map.end()
        }
    }

    mod serde_bytes_as_seq {
        pub(super) fn serialize<S: serde::Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(v)
        }
    }

    #[test]
    fn every_shape_of_the_data_model_is_written_as_serde_json_writes_it() {
        let value = Everything {
            flag: true,
            small: -8,
            big: u128::MAX,
            neg: i128::MIN,
            half: 0.5,
            not_a_number: f64::NAN,
            text: "a \"quoted\" \\ line\nwith\ttabs, \u{1} a control, DEL \u{7f} and é",
            bytes: &[0, 7, 255],
            none: None,
            unit: (),
            pair: (1, "one"),
            shapes: vec![
                Shape::Unit,
                Shape::Newtype(3),
                Shape::Tuple(-1, "t".into()),
                Shape::Struct {
                    x: f64::INFINITY,
                    y: Some('"'),
                },
                Shape::Struct { x: 1e300, y: None },
            ],
            by_number: BTreeMap::from([(1, true), (65535, false)]),
            by_flag: BTreeMap::from([(false, 0)]),
            by_char: BTreeMap::from([('\n', ())]),
            by_float: FloatKeys,
        };
        assert_eq!(ours(&value), theirs(&value));
    }

    #[test]
    fn keys_that_are_not_strings_are_refused() {
        let mut out = Vec::new();
        let err = to_writer(&BTreeMap::from([((1, 2), 3)]), &mut out).unwrap_err();
        assert_eq!(err.to_string(), "key must be a string");
    }

    #[test]
    fn every_byte_value_is_escaped_as_serde_json_escapes_it() {
        for byte in 0..=0x7f_u8 {
            let text = format!("ab{}cdefghij{}k", char::from(byte), char::from(byte));
            assert_eq!(ours(&text), theirs(&text), "byte {byte:#04x}");
        }
    }

    fn json_value() -> impl Strategy<Value = serde_json::Value> {
        use serde_json::Value;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            any::<String>().prop_map(Value::String),
            "[\"\\\\\\x00-\\x1f a-z]{0,40}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 64, 8, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
                prop::collection::vec((any::<String>(), inner), 0..8)
                    .prop_map(|entries| Value::Object(entries.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn any_json_value_is_written_byte_for_byte_as_serde_json_writes_it(
            value in json_value()
        ) {
            prop_assert_eq!(ours(&value), theirs(&value));
        }

        #[test]
        fn any_string_is_written_byte_for_byte_as_serde_json_writes_it(text in any::<String>()) {
            prop_assert_eq!(ours(&text), theirs(&text));
        }
    }
}
