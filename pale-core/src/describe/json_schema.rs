//! A JSON Schema (2020-12, the dialect of OpenAPI 3.1) as a typed struct.
//!
//! The generator fills the keywords it knows about; serde writes them. Only
//! `default` and `const`-like values are free-form (`serde_json::Value`),
//! because a default's type is the argument's type, whatever that is.

use std::borrow::Cow;

use indexmap::IndexMap;
use serde::Serialize;
use serde_json::{Number, Value};

use crate::argument::{ArgumentMeta, Schema};

/// One JSON Schema object. Absent keywords are not serialized, so the
/// default value is the empty schema, which accepts anything.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct JsonSchema {
    /// A reference to a component (`#/components/schemas/album`).
    #[serde(rename = "$ref", skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// The JSON type (`string`, `integer`, `object`, …).
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<&'static str>,
    /// A format name (`int32`, `date-time`, `uri`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<&'static str>,
    /// What the value means.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The allowed values.
    #[serde(rename = "enum", skip_serializing_if = "Option::is_none")]
    pub one_of: Option<Vec<&'static str>>,
    /// The value used when none is given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    /// The least number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimum: Option<Number>,
    /// The greatest number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maximum: Option<Number>,
    /// The least text length, in characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_length: Option<usize>,
    /// The greatest text length, in characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_length: Option<usize>,
    /// A regular expression the text matches (declared on an argument,
    /// or built by the generator, like the `fields=` grammar's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern: Option<Cow<'static, str>>,
    /// The items of an array.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<Box<Self>>,
    /// The fewest items of an array.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_items: Option<usize>,
    /// The most items of an array.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_items: Option<usize>,
    /// The members of an object, in declaration order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub properties: Option<IndexMap<String, Self>>,
    /// The members that must be present.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub required: Vec<String>,
    /// `false`: no member but those in `properties` (a write, where an
    /// unknown field is a 422, not ignored).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional_properties: Option<bool>,
    /// Schemas of which the value matches at least one: a nullable value
    /// is `anyOf: [its schema, {"type": "null"}]` (see [`Self::or_null`]).
    #[serde(rename = "anyOf", skip_serializing_if = "Vec::is_empty")]
    pub any_of: Vec<Self>,
    /// Schemas the value matches all of: in OpenAPI 3.0 only, where a
    /// `$ref` takes no sibling keywords and is wrapped in one.
    #[serde(rename = "allOf", skip_serializing_if = "Vec::is_empty")]
    pub all_of: Vec<Self>,
    /// OpenAPI 3.0 only: the value may also be `null` (3.1 says it with
    /// `anyOf`, see [`Self::or_null`]).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub nullable: bool,
    /// Never sent by the server (a password).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub write_only: bool,
    /// Never accepted from the client.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub read_only: bool,
    /// The XML element name, where it differs from the property name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub xml: Option<Xml>,
    /// Pale: rendered when the client does not choose fields.
    #[serde(rename = "x-pale-default", skip_serializing_if = "std::ops::Not::not")]
    pub pale_default: bool,
    /// Pale, in the full document: who may read and write the field.
    #[serde(rename = "x-pale-audience", skip_serializing_if = "Option::is_none")]
    pub pale_audience: Option<AudienceMark>,
}

/// The OpenAPI `xml` object: how a schema's value is named in XML.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Xml {
    /// The element name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// For a list: its items are inside one container element, as Pale
    /// writes and reads lists (`<tracks><track>…</track></tracks>`), not
    /// repeated elements (OpenAPI's default).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub wrapped: bool,
}

impl Xml {
    /// The element called `name`.
    pub fn named(name: &str) -> Self {
        Self {
            name: Some(name.to_owned()),
            wrapped: false,
        }
    }
}

/// Who may read and write a field (`{"read": "owner", "write": "admin"}`),
/// in the full document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct AudienceMark {
    /// The least audience that may read it; `None` when nobody reads it
    /// (a write-only field).
    pub read: Option<crate::Audience>,
    /// The least audience that may write it; `None` when read-only.
    pub write: Option<crate::Audience>,
}

impl JsonSchema {
    /// A reference to the component schema `name`.
    pub fn reference(name: &str) -> Self {
        Self {
            reference: Some(format!("#/components/schemas/{name}")),
            ..Self::default()
        }
    }

    /// A schema of JSON type `kind`.
    pub fn of(kind: &'static str) -> Self {
        Self {
            kind: Some(kind),
            ..Self::default()
        }
    }

    /// An array of `items`, wrapped in XML; an item that is not a
    /// resource (whose component names its element) is an `item` element.
    pub fn array(mut items: Self) -> Self {
        if items.reference.is_none() && items.xml.is_none() {
            items.xml = Some(Xml::named("item"));
        }
        Self {
            items: Some(Box::new(items)),
            xml: Some(Xml {
                name: None,
                wrapped: true,
            }),
            ..Self::of("array")
        }
    }

    /// An object with `properties`, `required` naming those that must be
    /// present.
    pub fn object(properties: IndexMap<String, Self>, required: Vec<String>) -> Self {
        Self {
            properties: Some(properties),
            required,
            ..Self::of("object")
        }
    }

    /// The same value, or `null`.
    ///
    /// OpenAPI 3.1 has no `nullable`; JSON Schema says it with `anyOf` (or
    /// a type array). `anyOf` is used for every kind of schema alike,
    /// because a type array cannot make a `$ref` or an `enum` nullable (an
    /// enum would also have to list `null`). The annotations that describe
    /// the property as a whole (description, read/write-only, Pale's marks)
    /// stay outside, on the `anyOf` itself. An unconstrained schema already
    /// admits null and is returned as it is.
    #[must_use]
    pub fn or_null(self) -> Self {
        if self == Self::default() || self.kind == Some("null") {
            return self;
        }
        let mut value = self;
        let outer = Self {
            description: value.description.take(),
            default: value.default.take(),
            write_only: std::mem::take(&mut value.write_only),
            read_only: std::mem::take(&mut value.read_only),
            pale_default: std::mem::take(&mut value.pale_default),
            pale_audience: value.pale_audience.take(),
            ..Self::default()
        };
        Self {
            any_of: vec![value, Self::of("null")],
            ..outer
        }
    }

    /// Sets the description, unless `text` is empty.
    #[must_use]
    pub fn described(mut self, text: &str) -> Self {
        if !text.trim().is_empty() {
            self.description = Some(text.trim().to_owned());
        }
        self
    }

    /// The schema of an argument's value type, without its constraints.
    pub fn from_schema(schema: &Schema) -> Self {
        match *schema {
            Schema::String { format, pattern } => Self {
                format,
                pattern: pattern.map(Cow::Borrowed),
                ..Self::of("string")
            },
            Schema::Integer { format, min, max } => {
                // Type bounds are worth stating for the narrow types (a
                // `u8` rejects 256); for 64-bit types the format says it.
                let narrow = min >= i128::from(i32::MIN) && max <= i128::from(u32::MAX);
                Self {
                    format: Some(format),
                    minimum: narrow.then(|| integer(min)).flatten(),
                    maximum: narrow.then(|| integer(max)).flatten(),
                    ..Self::of("integer")
                }
            }
            Schema::Number { format } => Self {
                format: Some(format),
                ..Self::of("number")
            },
            Schema::Boolean => Self::of("boolean"),
            Schema::Enum(values) => Self {
                one_of: Some(values.to_vec()),
                ..Self::of("string")
            },
            Schema::Array(items) => Self::array(Self::from_schema(items)),
            // No declared members: a schema-less document, any object.
            Schema::Object([]) => Self::of("object"),
            Schema::Object(members) => {
                let properties = members
                    .iter()
                    .map(|arg| (arg.name.to_owned(), Self::from_argument(arg)))
                    .collect();
                let required = members
                    .iter()
                    .filter(|arg| arg.required)
                    .map(|arg| arg.name.to_owned())
                    .collect();
                Self::object(properties, required)
            }
        }
    }

    /// An argument's schema: its type, its constraints, its default and its
    /// description. Whether it is required is said by its container.
    pub fn from_argument(arg: &ArgumentMeta) -> Self {
        let mut schema = Self::from_schema(arg.schema).described(arg.description);
        if let Some(min) = arg.minimum.and_then(number) {
            schema.minimum = Some(min);
        }
        if let Some(max) = arg.maximum.and_then(number) {
            schema.maximum = Some(max);
        }
        if schema.kind == Some("array") {
            schema.min_items = arg.min_length;
            schema.max_items = arg.max_length;
        } else {
            schema.min_length = arg.min_length;
            schema.max_length = arg.max_length;
        }
        // The argument's own pattern, else its type's.
        if let Some(pattern) = arg.pattern {
            schema.pattern = Some(Cow::Borrowed(pattern));
        }
        if !arg.one_of.is_empty() {
            schema.one_of = Some(arg.one_of.to_vec());
        }
        schema.default = arg
            .default
            .and_then(|text| default_value(arg.schema, text))
            .or_else(|| {
                let text = (arg.default_text?)()?;
                wire_value(arg.schema, text)
            });
        schema
    }
}

fn integer(value: i128) -> Option<Number> {
    i64::try_from(value)
        .map(Number::from)
        .ok()
        .or_else(|| u64::try_from(value).ok().map(Number::from))
}

/// A bound as JSON: an integer when it is one, so `range = 1..=12` reads
/// `1`, not `1.0`.
fn number(value: f64) -> Option<Number> {
    // The cast is exact: the value is integral and within i64's range.
    #[allow(clippy::cast_possible_truncation)]
    if value.fract() == 0.0 && value.abs() < 9.0e15 {
        return Some(Number::from(value as i64));
    }
    Number::from_f64(value)
}

/// A default as written in the declaration (`2015`, `false`, `"x"`), as
/// the JSON value of the argument's type; text when it does not parse.
/// A default as JSON, when the declaration's text is a literal of the
/// schema's type: `20`, `true`, `"title"`. An expression (`Vec::new()`,
/// `Format::Physical`) has no literal form here, so no `default` is
/// documented rather than a wrong one.
fn default_value(schema: &Schema, text: &str) -> Option<Value> {
    let text = text.trim();
    let value = serde_json::from_str::<Value>(text).ok()?;
    let fits = match (schema, &value) {
        (Schema::Integer { .. }, Value::Number(n)) => n.is_i64() || n.is_u64(),
        (Schema::Number { .. }, Value::Number(_))
        | (Schema::Boolean, Value::Bool(_))
        | (Schema::String { .. }, Value::String(_)) => true,
        (Schema::Enum(values), Value::String(s)) => values.contains(&s.as_str()),
        _ => false,
    };
    fits.then_some(value)
}

/// A default computed from an expression, given as clients write it, as
/// the JSON value of the argument's type.
fn wire_value(schema: &Schema, text: String) -> Option<Value> {
    match schema {
        Schema::String { .. } => Some(Value::String(text)),
        Schema::Enum(values) => values
            .contains(&text.as_str())
            .then_some(Value::String(text)),
        _ => default_value(schema, &text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constraints_become_keywords() {
        static NAME: ArgumentMeta = ArgumentMeta {
            minimum: Some(1.0),
            maximum: Some(2.5),
            min_length: Some(3),
            max_length: Some(20),
            pattern: Some("[a-z]+"),
            default: Some("\"abc\""),
            ..ArgumentMeta::new("name", &Schema::TEXT)
        };
        let json = serde_json::to_value(JsonSchema::from_argument(&NAME)).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "type": "string", "default": "abc", "minimum": 1, "maximum": 2.5,
                "minLength": 3, "maxLength": 20, "pattern": "[a-z]+"
            })
        );
    }

    #[test]
    fn a_nullable_value_is_any_of_its_schema_or_null() {
        let date = JsonSchema {
            format: Some("date"),
            read_only: true,
            ..JsonSchema::of("string").described("Release date.")
        };
        let json = serde_json::to_value(date.or_null()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "description": "Release date.",
                "anyOf": [{"type": "string", "format": "date"}, {"type": "null"}],
                "readOnly": true
            })
        );
        let json = serde_json::to_value(JsonSchema::reference("cover_of").or_null()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"anyOf": [{"$ref": "#/components/schemas/cover_of"}, {"type": "null"}]})
        );
        // Anything already admits null.
        assert_eq!(JsonSchema::default().or_null(), JsonSchema::default());
    }

    #[test]
    fn defaults_are_documented_only_as_literals_of_the_argument_type() {
        let int = Schema::integer("int32", 0, 9);
        #[rustfmt::skip]
        let cases: [(&Schema, &str, Option<Value>); 8] = [
            (&Schema::Boolean, "false", Some(Value::Bool(false))),
            (&int, "7", Some(Value::from(7))),
            (&Schema::TEXT, "\"x\"", Some(Value::from("x"))),
            (&Schema::Enum(&["a", "b"]), "\"b\"", Some(Value::from("b"))),
            (&Schema::Enum(&["a", "b"]), "\"c\"", None),
            (&int, "1.5", None),
            (&Schema::TEXT, "Vec :: new()", None),
            (&Schema::Array(&Schema::TEXT), "Vec :: new()", None),
        ];
        for (schema, text, expected) in cases {
            assert_eq!(default_value(schema, text), expected, "{text}");
        }
    }

    #[test]
    fn defaults_computed_from_expressions_are_documented_as_clients_write_them() {
        static SORT: ArgumentMeta = ArgumentMeta {
            default: Some("Sort :: Title"),
            default_text: Some(|| Some("title".to_owned())),
            required: false,
            ..ArgumentMeta::new("sort", &Schema::Enum(&["title", "year"]))
        };
        static STRAY: ArgumentMeta = ArgumentMeta {
            default_text: Some(|| Some("genre".to_owned())),
            ..SORT
        };
        static SILENT: ArgumentMeta = ArgumentMeta {
            default_text: Some(|| None),
            ..SORT
        };
        let default =
            |arg| serde_json::to_value(JsonSchema::from_argument(arg)).unwrap()["default"].clone();
        assert_eq!(default(&SORT), Value::from("title"));
        // Not one of the values: no default rather than a wrong one.
        assert_eq!(default(&STRAY), Value::Null);
        assert_eq!(default(&SILENT), Value::Null);
    }
}
