//! Resources: the shapes that go out, field by field, with who may see each.
//!
//! A resource is a struct deriving `Resource`. The derive writes a `const`
//! field table ([`ResourceMeta`]): each field's name, the least audience
//! that may see it, who may write it, its nesting. This module is only that
//! static description, so that everything reading it — selection
//! ([`crate::select`]), rendering ([`crate::render`]), writes and the docs —
//! can sit above it without depending on one another.

mod describe;
mod field_set;
mod meta;

pub use describe::Describe;
pub use field_set::FieldSet;
pub(crate) use meta::str_eq;
pub use meta::{FieldMeta, ResourceMeta, WriteRule};

/// A resource's static description. Derived.
pub trait Resource: Sized {
    /// The field table.
    const META: &'static ResourceMeta;
}
