//! The XML encoder: a serde `Serializer` that writes bytes straight into
//! the response buffer.
//!
//! It is on the hot path of every XML response, so it builds no tree and
//! allocates nothing per field: a field's start tag is written as `<name`
//! *before* its value is serialized, and the value finishes it with `>` (or
//! `/>` when it turns out to be empty). Map keys are written into the output
//! once and their closing tag is copied from there (`End::Span`, see
//! `key.rs` and `tag.rs`), so even maps need no key buffer.

use serde::Serialize;
use serde::ser;

use super::error::Error;
use super::key::KeySer;
use super::tag::{End, start_tag};
use super::text::{TEXT, escape, is_safe_name};

/// The XML declaration every document starts with.
const DECLARATION: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?>"#;

/// Writes the declaration and `value` wrapped in a `root` element.
pub(super) fn to_writer<T: Serialize + ?Sized>(
    root: &str,
    value: &T,
    out: &mut Vec<u8>,
) -> Result<(), Error> {
    out.extend_from_slice(DECLARATION);
    let end = start_tag(out, root);
    value.serialize(Ser {
        out,
        tag: Tag::Started(end),
    })
}

/// Where the value being serialized goes.
enum Tag<'t> {
    /// Its element's start tag is written but not finished (`<name`).
    Started(End<'t>),
    /// It is a sequence item: the element is named after the value.
    Item,
}

/// Serializes one value as one element.
struct Ser<'o, 't> {
    out: &'o mut Vec<u8>,
    tag: Tag<'t>,
}

impl<'o, 't> Ser<'o, 't> {
    /// Finishes (or, for an item, writes) the start tag; an item that is a
    /// struct is named by `struct_name` when that is a safe name.
    #[inline]
    fn begin(&mut self, struct_name: Option<&'t str>) -> End<'t> {
        match self.tag {
            Tag::Started(end) => {
                self.out.push(b'>');
                end
            }
            Tag::Item => {
                let name = match struct_name {
                    Some(name) if is_safe_name(name) => name,
                    _ => "item",
                };
                self.out.push(b'<');
                self.out.extend_from_slice(name.as_bytes());
                self.out.push(b'>');
                End::Name(name)
            }
        }
    }

    /// An element with no content: `<name/>`.
    #[inline]
    fn empty(self) -> Result<(), Error> {
        match self.tag {
            Tag::Started(_) => self.out.extend_from_slice(b"/>"),
            Tag::Item => self.out.extend_from_slice(b"<item/>"),
        }
        Ok(())
    }

    /// An element whose text needs no escaping (numbers, booleans).
    #[inline]
    fn plain(mut self, text: &[u8]) -> Result<(), Error> {
        let end = self.begin(None);
        self.out.extend_from_slice(text);
        end.write(self.out);
        Ok(())
    }

    /// An element with escaped text.
    #[inline]
    fn text(mut self, text: &str) -> Result<(), Error> {
        let end = self.begin(None);
        escape(self.out, text, &TEXT);
        end.write(self.out);
        Ok(())
    }

    /// The element of an enum variant with content:
    /// `<field><Variant>` now, `</Variant></field>` when it ends.
    fn variant(mut self, variant: &'static str) -> (&'o mut Vec<u8>, End<'t>, End<'static>) {
        let outer = self.begin(None);
        let inner = start_tag(self.out, variant);
        (self.out, outer, inner)
    }
}

impl<'o, 't> ser::Serializer for Ser<'o, 't> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'o, 't>;
    type SerializeTuple = Compound<'o, 't>;
    type SerializeTupleStruct = Compound<'o, 't>;
    type SerializeTupleVariant = Compound<'o, 't>;
    type SerializeMap = Compound<'o, 't>;
    type SerializeStruct = Compound<'o, 't>;
    type SerializeStructVariant = Compound<'o, 't>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.plain(if v { b"true" } else { b"false" })
    }

    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.plain(itoa::Buffer::new().format(v).as_bytes())
    }

    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.plain(itoa::Buffer::new().format(v).as_bytes())
    }

    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.plain(itoa::Buffer::new().format(v).as_bytes())
    }

    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.plain(itoa::Buffer::new().format(v).as_bytes())
    }

    fn serialize_i128(self, v: i128) -> Result<(), Error> {
        self.plain(itoa::Buffer::new().format(v).as_bytes())
    }

    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.plain(itoa::Buffer::new().format(v).as_bytes())
    }

    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.plain(itoa::Buffer::new().format(v).as_bytes())
    }

    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.plain(itoa::Buffer::new().format(v).as_bytes())
    }

    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.plain(itoa::Buffer::new().format(v).as_bytes())
    }

    fn serialize_u128(self, v: u128) -> Result<(), Error> {
        self.plain(itoa::Buffer::new().format(v).as_bytes())
    }

    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        if v.is_finite() {
            self.plain(ryu::Buffer::new().format_finite(v).as_bytes())
        } else {
            self.empty()
        }
    }

    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        if v.is_finite() {
            self.plain(ryu::Buffer::new().format_finite(v).as_bytes())
        } else {
            self.empty()
        }
    }

    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.text(v.encode_utf8(&mut [0; 4]))
    }

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.text(v)
    }

    fn serialize_bytes(self, _: &[u8]) -> Result<(), Error> {
        Err(Error::new("byte strings cannot be written as XML"))
    }

    fn serialize_none(self) -> Result<(), Error> {
        self.empty()
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Error> {
        self.empty()
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        self.empty()
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.text(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        let (out, outer, inner) = self.variant(variant);
        value.serialize(Ser {
            out: &mut *out,
            tag: Tag::Started(inner),
        })?;
        outer.write(out);
        Ok(())
    }

    fn serialize_seq(mut self, _: Option<usize>) -> Result<Compound<'o, 't>, Error> {
        let end = self.begin(None);
        Ok(Compound::new(self.out, end, None))
    }

    fn serialize_tuple(self, len: usize) -> Result<Compound<'o, 't>, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        len: usize,
    ) -> Result<Compound<'o, 't>, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'o, 't>, Error> {
        let (out, outer, inner) = self.variant(variant);
        out.push(b'>');
        Ok(Compound::new(out, outer, Some(inner)))
    }

    fn serialize_map(mut self, _: Option<usize>) -> Result<Compound<'o, 't>, Error> {
        let end = self.begin(None);
        Ok(Compound::new(self.out, end, None))
    }

    fn serialize_struct(mut self, name: &'static str, _: usize) -> Result<Compound<'o, 't>, Error> {
        let end = self.begin(Some(name));
        Ok(Compound::new(self.out, end, None))
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'o, 't>, Error> {
        let (out, outer, inner) = self.variant(variant);
        out.push(b'>');
        Ok(Compound::new(out, outer, Some(inner)))
    }
}

/// An open element whose children are being written: the items of a
/// sequence, the fields of a struct, the entries of a map.
struct Compound<'o, 't> {
    out: &'o mut Vec<u8>,
    end: End<'t>,
    /// The inner element of a tuple or struct variant, closed first.
    variant: Option<End<'static>>,
    /// The start tag of the map entry whose key was just written.
    key: Option<End<'static>>,
}

impl<'o, 't> Compound<'o, 't> {
    fn new(out: &'o mut Vec<u8>, end: End<'t>, variant: Option<End<'static>>) -> Self {
        Self {
            out,
            end,
            variant,
            key: None,
        }
    }

    #[inline]
    fn item<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(Ser {
            out: &mut *self.out,
            tag: Tag::Item,
        })
    }

    #[inline]
    fn field<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) -> Result<(), Error> {
        let end = start_tag(self.out, name);
        value.serialize(Ser {
            out: &mut *self.out,
            tag: Tag::Started(end),
        })
    }

    #[inline]
    fn finish(self) -> Result<(), Error> {
        if let Some(variant) = self.variant {
            variant.write(self.out);
        }
        self.end.write(self.out);
        Ok(())
    }
}

impl ser::SerializeSeq for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.item(value)
    }

    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl ser::SerializeTuple for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.item(value)
    }

    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl ser::SerializeTupleStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.item(value)
    }

    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl ser::SerializeTupleVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.item(value)
    }

    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl ser::SerializeStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.field(name, value)
    }

    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl ser::SerializeStructVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.field(name, value)
    }

    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.key = Some(key.serialize(KeySer {
            out: &mut *self.out,
        })?);
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let end = self
            .key
            .take()
            .ok_or_else(|| Error::new("a map value was serialized before its key"))?;
        value.serialize(Ser {
            out: &mut *self.out,
            tag: Tag::Started(end),
        })
    }

    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Serialize;

    use super::*;

    fn xml<T: Serialize + ?Sized>(root: &str, value: &T) -> String {
        let mut out = Vec::new();
        to_writer(root, value, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        text.strip_prefix(r#"<?xml version="1.0" encoding="UTF-8"?>"#)
            .expect("the declaration comes first")
            .to_owned()
    }

    fn error<T: Serialize + ?Sized>(value: &T) -> String {
        to_writer("root", value, &mut Vec::new())
            .unwrap_err()
            .to_string()
    }

    #[derive(Serialize)]
    #[serde(rename = "track")]
    struct Track {
        number: u32,
        title: &'static str,
    }

    #[derive(Serialize)]
    #[serde(rename = "artist")]
    struct Artist {
        id: u64,
        name: &'static str,
    }

    #[derive(Serialize)]
    #[serde(rename = "album")]
    struct Album {
        id: i64,
        title: &'static str,
        rating: f32,
        live: bool,
        label: Option<&'static str>,
        year: Option<u16>,
        artist: Artist,
        tracks: Vec<Track>,
        tags: Vec<&'static str>,
    }

    #[derive(Serialize)]
    struct Id(u32);

    #[derive(Serialize)]
    struct Marker;

    #[derive(Serialize)]
    #[serde(rename_all = "snake_case")]
    enum State {
        Draft,
        Scheduled(u32),
        Pair(u8, u8),
        Moved { to: &'static str },
    }

    #[test]
    fn writes_the_declaration_first() {
        let mut out = Vec::new();
        to_writer("n", &1, &mut out).unwrap();
        assert_eq!(out, br#"<?xml version="1.0" encoding="UTF-8"?><n>1</n>"#);
    }

    #[test]
    fn writes_a_struct_with_every_kind_of_field() {
        let album = Album {
            id: -7,
            title: "Blue",
            rating: 4.5,
            live: false,
            label: None,
            year: Some(1971),
            artist: Artist {
                id: 3,
                name: "Joni",
            },
            tracks: vec![
                Track {
                    number: 1,
                    title: "All I Want",
                },
                Track {
                    number: 2,
                    title: "My Old Man",
                },
            ],
            tags: vec!["folk", "1970s"],
        };
        assert_eq!(
            xml("album", &album),
            "<album><id>-7</id><title>Blue</title><rating>4.5</rating><live>false</live>\
             <label/><year>1971</year><artist><id>3</id><name>Joni</name></artist>\
             <tracks><track><number>1</number><title>All I Want</title></track>\
             <track><number>2</number><title>My Old Man</title></track></tracks>\
             <tags><item>folk</item><item>1970s</item></tags></album>"
        );
    }

    #[test]
    fn writes_each_kind_of_value_under_a_field() {
        let map: BTreeMap<&str, u8> = [("a", 1)].into_iter().collect();
        let cases = [
            (xml("v", &1u8), "<v>1</v>"),
            (
                xml("v", &u128::MAX),
                "<v>340282366920938463463374607431768211455</v>",
            ),
            (
                xml("v", &i128::MIN),
                "<v>-170141183460469231731687303715884105728</v>",
            ),
            (xml("v", &true), "<v>true</v>"),
            (xml("v", &0.1f64), "<v>0.1</v>"),
            (xml("v", &1e300f64), "<v>1e300</v>"),
            (xml("v", &f64::NAN), "<v/>"),
            (xml("v", &f32::INFINITY), "<v/>"),
            (xml("v", &'é'), "<v>é</v>"),
            (xml("v", ""), "<v></v>"),
            (xml("v", &()), "<v/>"),
            (xml("v", &Marker), "<v/>"),
            (xml("v", &Option::<u8>::None), "<v/>"),
            (xml("v", &Some(Some(5))), "<v>5</v>"),
            (xml("v", &Id(9)), "<v>9</v>"),
            (xml("v", &State::Draft), "<v>draft</v>"),
            (
                xml("v", &State::Scheduled(3)),
                "<v><scheduled>3</scheduled></v>",
            ),
            (
                xml("v", &State::Pair(1, 2)),
                "<v><pair><item>1</item><item>2</item></pair></v>",
            ),
            (
                xml("v", &State::Moved { to: "x" }),
                "<v><moved><to>x</to></moved></v>",
            ),
            (xml("v", &(1, "a")), "<v><item>1</item><item>a</item></v>"),
            (xml("v", &Vec::<u8>::new()), "<v></v>"),
            (xml("v", &[[1]]), "<v><item><item>1</item></item></v>"),
            (xml("v", &[None, Some(1)]), "<v><item/><item>1</item></v>"),
            (xml("v", &[Id(4)]), "<v><item>4</item></v>"),
            (
                xml("v", &[State::Draft, State::Scheduled(2)]),
                "<v><item>draft</item><item><scheduled>2</scheduled></item></v>",
            ),
            (xml("v", &[&map]), "<v><item><a>1</a></item></v>"),
            (xml("v", &map), "<v><a>1</a></v>"),
        ];
        for (actual, expected) in cases {
            assert_eq!(actual, expected);
        }
    }

    #[test]
    fn names_sequence_items_by_struct_name() {
        #[derive(Serialize)]
        struct Unrenamed {
            a: u8,
        }
        #[derive(Serialize)]
        #[serde(rename = "not a name")]
        struct BadName {
            a: u8,
        }
        assert_eq!(
            xml("l", &[Unrenamed { a: 1 }]),
            "<l><Unrenamed><a>1</a></Unrenamed></l>"
        );
        assert_eq!(
            xml("l", &[BadName { a: 1 }]),
            "<l><item><a>1</a></item></l>"
        );
        assert_eq!(
            xml(
                "l",
                &[Some(Track {
                    number: 1,
                    title: "t"
                })]
            ),
            "<l><track><number>1</number><title>t</title></track></l>"
        );
    }

    #[test]
    fn writes_top_level_values_inside_the_root() {
        assert_eq!(
            xml("list", &["a", "b"]),
            "<list><item>a</item><item>b</item></list>"
        );
        assert_eq!(
            xml("list", &[Artist { id: 1, name: "A" }]),
            "<list><artist><id>1</id><name>A</name></artist></list>"
        );
        assert_eq!(xml("count", &3), "<count>3</count>");
        assert_eq!(xml("nothing", &()), "<nothing/>");
        // The struct's own name is not used at the top level.
        assert_eq!(
            xml("performer", &Artist { id: 1, name: "A" }),
            "<performer><id>1</id><name>A</name></performer>"
        );
        assert_eq!(
            xml("not a name", &1),
            r#"<entry key="not a name">1</entry>"#
        );
    }

    #[test]
    fn writes_unsafe_keys_as_entries() {
        let map: BTreeMap<&str, u8> = [
            ("", 1),
            ("1st", 2),
            ("a b", 3),
            ("a:b", 4),
            ("ok_-.9", 5),
            ("xmlData", 6),
            ("XML", 7),
            ("élan", 8),
            ("-x", 9),
            (".x", 10),
            ("_x", 11),
        ]
        .into_iter()
        .collect();
        assert_eq!(
            xml("m", &map),
            r#"<m><entry key="">1</entry><entry key="-x">9</entry><entry key=".x">10</entry><entry key="1st">2</entry><entry key="XML">7</entry><_x>11</_x><entry key="a b">3</entry><entry key="a:b">4</entry><ok_-.9>5</ok_-.9><entry key="xmlData">6</entry><entry key="élan">8</entry></m>"#
        );
        let numbers: BTreeMap<i32, Option<u8>> = [(-1, None), (2, Some(1))].into_iter().collect();
        assert_eq!(
            xml("m", &numbers),
            r#"<m><entry key="-1"/><entry key="2">1</entry></m>"#
        );
        let chars: BTreeMap<char, u8> = [('a', 1)].into_iter().collect();
        assert_eq!(xml("m", &chars), "<m><a>1</a></m>");
        let nested: BTreeMap<&str, BTreeMap<&str, u8>> =
            [("outer", [("in ner", 1)].into_iter().collect())]
                .into_iter()
                .collect();
        assert_eq!(
            xml("m", &nested),
            r#"<m><outer><entry key="in ner">1</entry></outer></m>"#
        );
    }

    #[test]
    fn escapes_text_and_attributes() {
        let cases = [
            ("a<b>&c\"d'e", r#"<v>a&lt;b&gt;&amp;c"d'e</v>"#),
            ("tab\tline\ncr\r", "<v>tab\tline\ncr&#13;</v>"),
            (
                "nul\0bell\x07esc\x1b",
                "<v>nul\u{FFFD}bell\u{FFFD}esc\u{FFFD}</v>",
            ),
            (
                "\u{FFFE}\u{FFFF}\u{FFFD}\u{FEFF}\u{EFFF}",
                "<v>\u{FFFD}\u{FFFD}\u{FFFD}\u{FEFF}\u{EFFF}</v>",
            ),
            ("\u{7F}\u{85}é", "<v>\u{7F}\u{85}é</v>"),
            ("]]>", "<v>]]&gt;</v>"),
        ];
        for (input, expected) in cases {
            assert_eq!(xml("v", input), expected, "{input:?}");
        }
        let key: BTreeMap<&str, u8> = [("<\"&>\t\n\r\x01", 1)].into_iter().collect();
        assert_eq!(
            xml("m", &key),
            "<m><entry key=\"&lt;&quot;&amp;&gt;&#9;&#10;&#13;\u{FFFD}\">1</entry></m>"
        );
    }

    #[test]
    fn refuses_what_xml_cannot_express() {
        struct Bytes;
        impl Serialize for Bytes {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_bytes(b"x")
            }
        }
        assert!(error(&Bytes).contains("byte strings"));
        let bool_keys: BTreeMap<bool, u8> = [(true, 1)].into_iter().collect();
        assert!(error(&bool_keys).contains("map keys"));
        let tuple_keys: BTreeMap<(u8, u8), u8> = [((1, 2), 1)].into_iter().collect();
        assert!(error(&tuple_keys).contains("map keys"));
    }
}
