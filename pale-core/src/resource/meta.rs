//! A resource's field table, as `const` data.
//!
//! The derive writes one [`ResourceMeta`] per resource at compile time. The
//! renderer, the `fields=` resolver and the docs generator all read this one
//! table, so what is documented is what is enforced.

use super::FieldSet;
use crate::argument::{ArgumentMeta, Schema};
use crate::audience::Audience;

/// One field of a resource, described.
#[derive(Clone, Copy, Debug)]
// Not `#[non_exhaustive]`: the derives build it with struct update syntax
// from `new`, so fields can still be added without breaking them.
pub struct FieldMeta {
    /// The name clients see.
    pub name: &'static str,
    /// The doc comment.
    pub description: &'static str,
    /// The least audience that may read it.
    pub audience: Audience,
    /// Whether a predicate (`visible = path`) decides visibility per object
    /// instead of `audience` alone.
    pub predicate: bool,
    /// The nested resource, for fields declared with `subfields` or `nested`.
    pub nested: Option<&'static ResourceMeta>,
    /// Whether the nested value is a list.
    pub many: bool,
    /// Whether the value may be `null` (the field is an `Option`): it
    /// renders as `null` when absent, and a write may send `null` to clear
    /// it. The docs say so, or a client validating responses against them
    /// would reject every album without a release date.
    pub nullable: bool,
    /// The nested fields rendered when the selection names this field
    /// without its own sub-selection.
    pub subfields: FieldSet,
    /// Whether the value is a link built from a route.
    pub link: bool,
    /// The route name of the endpoint a link is built from (`link =
    /// GetAlbum`): [`ApiBuilder::build`](crate::ApiBuilder::build) refuses
    /// an API that renders a link to an endpoint it does not mount.
    pub link_to: Option<&'static str>,
    /// Who may write the field, and how.
    pub write: WriteRule,
    /// The field as input, for writable fields (docs and tools).
    pub input: Option<&'static ArgumentMeta>,
    /// The rendered value's shape, for the docs, where it is known: the
    /// derive fills it with the field type's [`Argument`] schema when the
    /// type is one (an integer, text, a date, an identifier…), and with
    /// nothing otherwise; the docs generator then falls back to the nested
    /// resource, a link's URI, or an unconstrained schema.
    ///
    /// [`Argument`]: crate::Argument
    pub schema: fn() -> Option<&'static Schema>,
}

/// Who may write a field, and when. Read-only unless declared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WriteRule {
    /// The least audience that may write it; `None` for read-only.
    pub audience: Option<Audience>,
    /// Settable when the object is created, never patched.
    pub create_only: bool,
    /// Written, never rendered (a password).
    pub write_only: bool,
    /// Must be given when the object is created.
    pub required: bool,
}

impl WriteRule {
    /// Read-only: the default for every field.
    pub const READ_ONLY: Self = Self {
        audience: None,
        create_only: false,
        write_only: false,
        required: false,
    };

    /// Whether `viewer` may write the field at all.
    pub fn allows(self, viewer: Audience) -> bool {
        self.audience.is_some_and(|least| least <= viewer)
    }
}

impl FieldMeta {
    /// A public, scalar field; the derive fills the rest in with struct
    /// update syntax.
    pub const fn new(name: &'static str) -> Self {
        Self {
            name,
            description: "",
            audience: Audience::Public,
            predicate: false,
            nested: None,
            many: false,
            nullable: false,
            subfields: FieldSet::EMPTY,
            link: false,
            link_to: None,
            write: WriteRule::READ_ONLY,
            input: None,
            schema: no_schema,
        }
    }
}

/// A resource's name and fields.
#[derive(Debug)]
#[non_exhaustive]
pub struct ResourceMeta {
    /// The resource's name (the XML element, the docs' schema name).
    pub name: &'static str,
    /// The doc comment.
    pub description: &'static str,
    /// The fields, in declaration (and rendering) order.
    pub fields: &'static [FieldMeta],
    /// The fields rendered when the client does not choose.
    pub defaults: FieldSet,
    /// For each [`Audience`], the fields it may see.
    pub visible: [FieldSet; 4],
    /// Whether any field is writable.
    pub writable: bool,
    /// Whether the resource declares its version (`#[pale(etag = …)]`):
    /// its responses carry an `ETag`, and a `GET` may be answered `304`.
    pub versioned: bool,
    /// Whether the resource says when it last changed (`#[pale(modified =
    /// …)]`): its responses carry `Last-Modified`, and a `GET` may be
    /// answered `304` to `If-Modified-Since`.
    pub dated: bool,
    /// The audience whoever creates one of these holds over it
    /// (`#[pale(creator = Owner)]`: the creator becomes its owner). A
    /// create body ([`Create`](crate::write::Create)) is checked, and
    /// documented, for that audience.
    pub creator: Option<Audience>,
}

impl ResourceMeta {
    /// Builds the table, computing each audience's visible set.
    pub const fn new(
        name: &'static str,
        description: &'static str,
        fields: &'static [FieldMeta],
        defaults: FieldSet,
    ) -> Self {
        let mut visible = [FieldSet::EMPTY; 4];
        let mut a = 0;
        while a < 4 {
            let audience = Audience::ALL[a];
            let mut i = 0;
            while i < fields.len() {
                // Write-only fields are never rendered, for anyone.
                if fields[i].audience.at_most(audience) && !fields[i].write.write_only {
                    visible[a] = visible[a].with(i);
                }
                i += 1;
            }
            a += 1;
        }
        let mut writable = false;
        let mut i = 0;
        while i < fields.len() {
            writable |= fields[i].write.audience.is_some();
            i += 1;
        }
        Self {
            name,
            description,
            fields,
            defaults,
            visible,
            writable,
            versioned: false,
            dated: false,
            creator: None,
        }
    }

    /// The same table, for a resource that declares its version.
    pub const fn versioned(mut self) -> Self {
        self.versioned = true;
        self
    }

    /// The same table, for a resource that says when it last changed.
    pub const fn dated(mut self) -> Self {
        self.dated = true;
        self
    }

    /// The same table, for a resource whose creator holds `audience` over
    /// it (`#[pale(creator = Owner)]`).
    pub const fn created_by(mut self, audience: Audience) -> Self {
        self.creator = Some(audience);
        self
    }

    /// Every field.
    pub const fn all(&self) -> FieldSet {
        FieldSet::first(self.fields.len())
    }

    /// The fields `audience` may see.
    #[inline]
    pub const fn visible_to(&self, audience: Audience) -> FieldSet {
        self.visible[audience as usize]
    }

    /// The index of the field called `name`.
    pub const fn index_of(&self, name: &str) -> Option<usize> {
        let mut i = 0;
        while i < self.fields.len() {
            if str_eq(self.fields[i].name, name) {
                return Some(i);
            }
            i += 1;
        }
        None
    }

    /// The set of the fields named (`*` is every field); names that are not
    /// fields are left out (the derive asserts them separately, with spans).
    pub const fn field_set(&self, names: &[&str]) -> FieldSet {
        let mut set = FieldSet::EMPTY;
        let mut n = 0;
        while n < names.len() {
            if str_eq(names[n], "*") {
                set = set.or(self.all());
            } else if let Some(i) = self.index_of(names[n]) {
                set = set.with(i);
            }
            n += 1;
        }
        set
    }
}

/// String equality in `const` contexts.
pub(crate) const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The schema of a field whose rendered type is not known.
const fn no_schema() -> Option<&'static Schema> {
    None
}
