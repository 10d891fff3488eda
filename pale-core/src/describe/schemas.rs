//! Resource schemas for one audience: what that audience actually receives
//! and may send.
//!
//! The same [`ResourceMeta`] table the renderer enforces decides which
//! properties exist (ARCHITECTURE.md, decision 3): a field hidden from the audience has no property
//! at all, so the public document cannot leak the name of an owner-only
//! field. Each resource is one component, registered on first use and
//! referenced with `$ref` from its parents, lists and pages.

use indexmap::IndexMap;

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
    fn suffix(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Patch => "patch",
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
    /// The resources met so far under each resource name, in order.
    owners: IndexMap<&'static str, Vec<&'static ResourceMeta>>,
}

impl Schemas {
    pub(super) fn new(audience: Option<Audience>) -> Self {
        Self {
            audience,
            map: IndexMap::new(),
            owners: IndexMap::new(),
        }
    }

    /// The component name of `meta`: its resource name, unless another
    /// resource of the same name came first (two nested `links` of
    /// different shapes); then `name-2`, `name-3`… so that neither is
    /// documented with the other's fields.
    fn name_of(&mut self, meta: &'static ResourceMeta) -> String {
        let owners = self.owners.entry(meta.name).or_default();
        let index = match owners.iter().position(|m| std::ptr::eq(*m, meta)) {
            Some(index) => index,
            None => {
                owners.push(meta);
                owners.len() - 1
            }
        };
        match index {
            0 => meta.name.to_owned(),
            n => format!("{}-{}", meta.name, n + 1),
        }
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

    /// The `x-pale-audience` mark, in the full document only.
    fn mark(&self, field: &FieldMeta) -> Option<AudienceMark> {
        self.audience.is_none().then_some(AudienceMark {
            read: (!field.write.write_only).then_some(field.audience),
            write: field.write.audience,
        })
    }

    /// A `$ref` to `meta`'s read schema, registering it (and every resource
    /// it nests) first.
    pub(super) fn read(&mut self, meta: &'static ResourceMeta) -> JsonSchema {
        let name = self.name_of(meta);
        if !self.map.contains_key(&name) {
            // A placeholder first, so a resource that nests itself ends.
            self.map.insert(name.clone(), JsonSchema::default());
            let schema = self.build_read(meta);
            self.map.insert(name.clone(), schema);
        }
        JsonSchema::reference(&name)
    }

    fn build_read(&mut self, meta: &'static ResourceMeta) -> JsonSchema {
        let mut properties = IndexMap::new();
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
        if !opt_in.is_empty() {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            text.push_str(&format!(
                "Rendered by default: {}. Opt-in with `fields=`: {}.",
                list(&defaults),
                list(&opt_in)
            ));
        }
        JsonSchema {
            xml: Some(Xml::named(meta.name)),
            ..JsonSchema::object(properties, Vec::new()).described(&text)
        }
    }

    /// A field's rendered type: the nested resource, else the type's own
    /// schema, else the input schema, else a link's URI, else anything.
    fn field_type(&mut self, field: &FieldMeta) -> JsonSchema {
        let one = if let Some(nested) = field.nested {
            self.read(nested)
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

    /// A `$ref` to the schema of a page of `meta`.
    pub(super) fn page(&mut self, meta: &'static ResourceMeta) -> JsonSchema {
        let name = format!("{}.page", self.name_of(meta));
        if !self.map.contains_key(&name) {
            let items = JsonSchema::array(self.read(meta)).described("The items on this page.");
            let count = |text: &str| {
                JsonSchema {
                    format: Some("uint64"),
                    ..JsonSchema::of("integer")
                }
                .described(text)
            };
            let properties = IndexMap::from([
                ("items".to_owned(), items),
                ("page".to_owned(), count("This page's number, from 1.")),
                ("per_page".to_owned(), count("The most items a page holds.")),
                (
                    "total".to_owned(),
                    count("The number of items on all pages."),
                ),
                ("pages".to_owned(), count("The number of pages.")),
                ("links".to_owned(), page_links()),
            ]);
            // Every member is there unless `fields=` selects among them.
            let schema = JsonSchema {
                xml: Some(Xml::named("page")),
                ..JsonSchema::object(properties, Vec::new())
            }
            .described(&format!(
                "One page of `{}` resources. Every member is present unless `fields=` \
                 selects among them.",
                meta.name
            ));
            self.map.insert(name.clone(), schema);
        }
        JsonSchema::reference(&name)
    }

    /// A `$ref` to what the audience may send to write `meta` in `mode`.
    pub(super) fn write(&mut self, meta: &'static ResourceMeta, mode: WriteMode) -> JsonSchema {
        let name = format!("{}.{}", self.name_of(meta), mode.suffix());
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
                // A merge patch clears an optional field with `null`, and a
                // create may send it: `Option` casts null to `None`. Empty
                // text is absent too (ARCHITECTURE.md, decision 2: `?q=`, `<upc/>`), so `""` clears
                // it as well.
                if field.nullable {
                    schema = schema.or_null().or_blank();
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
/// A page's `links`: root-relative links to it and its neighbours.
fn page_links() -> JsonSchema {
    let link = |text: &str| {
        JsonSchema {
            format: Some("uri-reference"),
            ..JsonSchema::of("string")
        }
        .described(text)
    };
    let properties = IndexMap::from([
        ("self".to_owned(), link("This page.")),
        ("first".to_owned(), link("The first page.")),
        (
            "prev".to_owned(),
            link("The page before; absent on the first."),
        ),
        (
            "next".to_owned(),
            link("The page after; absent on the last."),
        ),
        (
            "last".to_owned(),
            link("The last page (the first, when the list is empty)."),
        ),
    ]);
    let required = ["self", "first", "last"].map(str::to_owned).to_vec();
    JsonSchema::object(properties, required).described(
        "Links to this page and its neighbours, under the API's base path, keeping the \
         request's other query parameters; the same as the `Link` header.",
    )
}

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
        assert_eq!(
            schemas.read(&ALBUM_LINKS).reference.as_deref(),
            Some("#/components/schemas/links")
        );
        assert_eq!(
            schemas.read(&ARTIST_LINKS).reference.as_deref(),
            Some("#/components/schemas/links-2")
        );
        assert_eq!(
            schemas.read(&ALBUM_LINKS).reference.as_deref(),
            Some("#/components/schemas/links")
        );
        let fields = |name: &str| {
            let properties = schemas.map[name].properties.as_ref().unwrap();
            properties.keys().cloned().collect::<Vec<_>>()
        };
        assert_eq!(fields("links"), ["self"]);
        assert_eq!(fields("links-2"), ["website"]);
    }
}
