//! Resource schemas for one audience: what that audience actually receives
//! and may send.
//!
//! The same [`ResourceMeta`] table the renderer enforces decides which
//! properties exist (ARCHITECTURE.md, decision 3): a field hidden from the audience has no property
//! at all, so the public document cannot leak the name of an owner-only
//! field. Each resource is one component, registered on first use and
//! referenced with `$ref` from its parents, lists and pages.

use indexmap::IndexMap;

use super::names::{Kind, Names};
use super::{AudienceMark, JsonSchema, Xml};
use crate::audience::Audience;
use crate::resource::{FieldMeta, ResourceMeta};

/// What a write schema is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum WriteMode {
    /// A whole new object (`POST`, `PUT`): required fields are required and
    /// create-only fields may be set.
    Create,
    /// A merge patch (`PATCH`): nothing required, create-only fields absent.
    Patch,
}

impl WriteMode {
    fn kind(self) -> Kind {
        match self {
            Self::Create => Kind::Create,
            Self::Patch => Kind::Patch,
        }
    }
}

/// The component schemas of one document, built on demand.
#[derive(Debug)]
pub(super) struct Schemas {
    /// The document's audience; `None` for the full document.
    audience: Option<Audience>,
    /// The schemas registered so far, by component name.
    pub(super) map: IndexMap<String, JsonSchema>,
    /// The component names given so far.
    names: Names,
}

impl Schemas {
    pub(super) fn new(audience: Option<Audience>) -> Self {
        Self {
            audience,
            map: IndexMap::new(),
            names: Names::new(&super::error_responses::NAMES),
        }
    }

    /// The name of `meta`'s `kind` component.
    pub(super) fn name(&mut self, meta: &'static ResourceMeta, kind: Kind) -> String {
        self.names.of(meta, kind)
    }

    /// Whether the document's audience sees field `i` of `meta`.
    fn sees(&self, meta: &ResourceMeta, i: usize) -> bool {
        match self.audience {
            Some(audience) => meta.visible_to(audience).contains(i),
            None => true,
        }
    }

    /// Whether the audience can select field `i` of `meta` with `fields=`.
    pub(super) fn sees_readable(&self, meta: &ResourceMeta, i: usize) -> bool {
        self.sees(meta, i) && !meta.fields[i].write.write_only
    }

    /// Whether the document's audience may write `field`.
    fn writes(&self, field: &FieldMeta) -> bool {
        match self.audience {
            Some(audience) => field.write.allows(audience),
            None => field.write.audience.is_some(),
        }
    }

    /// Whether the audience may write any field of `meta`.
    pub(super) fn writable(&self, meta: &ResourceMeta) -> bool {
        meta.writable && meta.fields.iter().any(|f| self.writes(f))
    }

    /// The request body that writes `meta` in `mode`, when the audience
    /// may write any of it. A create is written as the resource's creator
    /// when that is above the document's audience (`creator = Owner`: an
    /// artist creating an album writes what its owner may).
    pub(super) fn write_body(
        &mut self,
        meta: &'static ResourceMeta,
        mode: WriteMode,
    ) -> Option<JsonSchema> {
        let outer = self.audience;
        if let (WriteMode::Create, Some(audience), Some(creator)) = (mode, outer, meta.creator) {
            self.audience = Some(audience.max(creator));
        }
        let schema = self.writable(meta).then(|| self.write(meta, mode));
        self.audience = outer;
        schema
    }

    /// The `x-pale-audience` mark, in the full document only.
    fn mark(&self, field: &FieldMeta) -> Option<AudienceMark> {
        self.audience.is_none().then_some(AudienceMark {
            read: (!field.write.write_only).then_some(field.audience),
            write: field.write.audience,
        })
    }

    /// The schema of a response that renders `meta`: its default
    /// representation, or any selection of its fields when the request
    /// said `fields=` (docs/field-selection.md, "In the OpenAPI document").
    pub(super) fn response(&mut self, meta: &'static ResourceMeta) -> JsonSchema {
        JsonSchema {
            any_of: vec![
                self.read(meta, Kind::Default),
                self.read(meta, Kind::Partial),
            ],
            ..JsonSchema::default()
        }
    }

    /// The schema of a response that is a list of `meta`: default
    /// representations, or selections.
    pub(super) fn list_response(&mut self, meta: &'static ResourceMeta) -> JsonSchema {
        JsonSchema {
            any_of: vec![
                JsonSchema::array(self.read(meta, Kind::Default)),
                JsonSchema::array(self.read(meta, Kind::Partial)),
            ],
            ..JsonSchema::default()
        }
    }

    /// A `$ref` to `meta`'s read schema of `kind` (`Default` or
    /// `Partial`), registering it (and every resource it nests) first.
    pub(super) fn read(&mut self, meta: &'static ResourceMeta, kind: Kind) -> JsonSchema {
        let name = self.names.of(meta, kind);
        if !self.map.contains_key(&name) {
            // A placeholder first, so a resource that nests itself ends.
            self.map.insert(name.clone(), JsonSchema::default());
            let schema = self.build_read(meta, kind == Kind::Default);
            self.map.insert(name.clone(), schema);
        }
        JsonSchema::reference(&name)
    }

    /// Whether a response without `fields=` carries field `i` of `meta`
    /// whoever reads it: a default field that every audience sees and no
    /// predicate hides (an owner field is absent from another artist's
    /// album, even in the owner document).
    fn always_rendered(meta: &ResourceMeta, i: usize) -> bool {
        let field = &meta.fields[i];
        meta.defaults.contains(i)
            && field.audience == Audience::Public
            && !field.predicate
            && !field.write.write_only
    }

    fn build_read(&mut self, meta: &'static ResourceMeta, default: bool) -> JsonSchema {
        let mut properties = IndexMap::new();
        let mut required = Vec::new();
        let (mut defaults, mut opt_in) = (Vec::new(), Vec::new());
        for (i, field) in meta.fields.iter().enumerate() {
            // The visible masks leave write-only fields out for everyone;
            // the full document shows them, marked `writeOnly`.
            if !self.sees(meta, i) {
                continue;
            }
            let is_default = meta.defaults.contains(i) && !field.write.write_only;
            if !field.write.write_only {
                if is_default {
                    &mut defaults
                } else {
                    &mut opt_in
                }
                .push(format!("`{}`", field.name));
            }
            if default && Self::always_rendered(meta, i) {
                required.push(field.name.to_owned());
            }
            let mut schema = self.field_type(field).described(field.description);
            if field.nullable {
                schema = schema.or_null();
            }
            schema.pale_default = is_default;
            schema.write_only = field.write.write_only;
            schema.read_only = !self.writes(field);
            schema.pale_audience = self.mark(field);
            properties.insert(field.name.to_owned(), schema);
        }
        let mut text = meta.description.trim().to_owned();
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(if default {
            "As rendered without `fields=`."
        } else {
            "Any selection of its fields (`fields=`)."
        });
        if !opt_in.is_empty() {
            text.push_str(&format!(
                " Rendered by default: {}. Opt-in with `fields=`: {}.",
                list(&defaults),
                list(&opt_in)
            ));
        }
        JsonSchema {
            xml: Some(Xml::named(meta.name)),
            ..JsonSchema::object(properties, required).described(&text)
        }
    }

    /// A field's rendered type: the nested resource, else the type's own
    /// schema, else the input schema, else a link's URI, else anything.
    fn field_type(&mut self, field: &FieldMeta) -> JsonSchema {
        let one = if let Some(nested) = field.nested {
            self.read(nested, Kind::Partial)
        } else if let Some(schema) = (field.schema)().or(field.input.map(|i| i.schema)) {
            JsonSchema::from_schema(schema)
        } else if field.link {
            JsonSchema {
                format: Some("uri-reference"),
                ..JsonSchema::of("string")
            }
        } else {
            JsonSchema::default()
        };
        if field.many && field.nested.is_some() {
            JsonSchema::array(one)
        } else {
            one
        }
    }

    /// A `$ref` to what the audience may send to write `meta` in `mode`.
    pub(super) fn write(&mut self, meta: &'static ResourceMeta, mode: WriteMode) -> JsonSchema {
        let name = self.name(meta, mode.kind());
        if !self.map.contains_key(&name) {
            self.map.insert(name.clone(), JsonSchema::default());
            let mut properties = IndexMap::new();
            let mut required = Vec::new();
            for field in meta.fields {
                if !self.writes(field) || (mode == WriteMode::Patch && field.write.create_only) {
                    continue;
                }
                let mut schema = match (field.nested, field.input) {
                    (Some(nested), _) => self.write(nested, mode),
                    (None, Some(input)) => JsonSchema::from_argument(input),
                    (None, None) => JsonSchema::from_schema_opt((field.schema)()),
                };
                if schema.description.is_none() {
                    schema = schema.described(field.description);
                }
                // A merge patch clears an optional field with `null`; a
                // create leaves it out. (The server also reads `null` in a
                // create, and empty text anywhere, as absent — ARCHITECTURE.md,
                // decision 2 — but a schema branch for each would make
                // generators invent types for them: docs/writes.md says it.)
                if field.nullable && mode == WriteMode::Patch {
                    schema = schema.or_null();
                }
                schema.write_only = field.write.write_only;
                schema.pale_audience = self.mark(field);
                if mode == WriteMode::Create && field.write.required {
                    required.push(field.name.to_owned());
                }
                properties.insert(field.name.to_owned(), schema);
            }
            let what = match mode {
                WriteMode::Create => "to create",
                WriteMode::Patch => "in a merge patch of",
            };
            // Unknown fields are refused (422), not ignored: say so.
            let schema = JsonSchema {
                additional_properties: Some(false),
                ..JsonSchema::object(properties, required)
            }
            .described(&format!(
                "The fields that may be sent {what} a `{}`.",
                meta.name
            ));
            self.map.insert(name.clone(), schema);
        }
        JsonSchema::reference(&name)
    }
}

impl JsonSchema {
    fn from_schema_opt(schema: Option<&crate::argument::Schema>) -> Self {
        schema.map(Self::from_schema).unwrap_or_default()
    }
}

/// `a, b and c`.
fn list(items: &[String]) -> String {
    match items {
        [] => "none".to_owned(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource::FieldSet;

    static ALBUM_LINKS: ResourceMeta =
        ResourceMeta::new("links", "", &[FieldMeta::new("self")], FieldSet::EMPTY);
    static ARTIST_LINKS: ResourceMeta =
        ResourceMeta::new("links", "", &[FieldMeta::new("website")], FieldSet::EMPTY);

    /// Two resources of one name are two components, each with its own
    /// fields, not one documented with the other's.
    #[test]
    fn resources_sharing_a_name_get_their_own_components() {
        let mut schemas = Schemas::new(Some(Audience::Public));
        let mut read = |meta| schemas.read(meta, Kind::Partial).reference;
        assert_eq!(
            read(&ALBUM_LINKS).as_deref(),
            Some("#/components/schemas/LinksPartial")
        );
        assert_eq!(
            read(&ARTIST_LINKS).as_deref(),
            Some("#/components/schemas/Links2Partial")
        );
        assert_eq!(
            read(&ALBUM_LINKS).as_deref(),
            Some("#/components/schemas/LinksPartial")
        );
        let fields = |name: &str| {
            let properties = schemas.map[name].properties.as_ref().unwrap();
            properties.keys().cloned().collect::<Vec<_>>()
        };
        assert_eq!(fields("LinksPartial"), ["self"]);
        assert_eq!(fields("Links2Partial"), ["website"]);
    }
}
