//! Resolution: a [`Selection`] checked against a resource's field table,
//! giving the [`Plan`] a response renders with.
//!
//! It is done once per response; objects then only intersect bit masks.
//! Names are checked for the caller's ceiling, so a hidden field is
//! reported exactly like a missing one.

use super::parse::{Item, Selection};
use crate::audience::Audience;
use crate::error::ApiError;
use crate::resource::{FieldSet, ResourceMeta};

/// Which fields to render, resolved against a resource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    set: FieldSet,
    children: Vec<(usize, Self)>,
}

/// A borrowed [`Plan`], as rendering passes it down, with the viewer of
/// the object it is nested in.
#[derive(Clone, Copy, Debug)]
pub struct PlanRef<'a> {
    set: FieldSet,
    children: &'a [(usize, Plan)],
    parent: Option<Audience>,
}

impl Plan {
    /// A plan of exactly `set`, with every nested field at its subfields.
    pub fn of(set: FieldSet) -> Self {
        Self {
            set,
            children: Vec::new(),
        }
    }

    /// The resource's default fields.
    pub fn defaults(meta: &ResourceMeta) -> Self {
        Self::of(meta.defaults)
    }

    /// Every field of the resource.
    pub fn all(meta: &ResourceMeta) -> Self {
        Self::of(meta.all())
    }

    /// The default fields plus the fields named (names that are not fields
    /// are ignored: handlers pass names they wrote themselves).
    pub fn defaults_and(meta: &ResourceMeta, names: &[&str]) -> Self {
        Self::of(meta.defaults.or(meta.field_set(names)))
    }

    /// Resolves a client's selection against `meta` for a caller who can
    /// see at most `ceiling`.
    ///
    /// A name the caller may not see is reported exactly like a name that
    /// does not exist, and the list of valid names holds only visible
    /// fields, so an error never reveals a hidden field.
    pub fn resolve(
        selection: &Selection,
        meta: &'static ResourceMeta,
        ceiling: Audience,
    ) -> Result<Self, ApiError> {
        let mut plan = Self::of(FieldSet::EMPTY);
        let visible = meta.visible_to(ceiling);
        for item in selection.items() {
            match item {
                Item::All => plan.set = plan.set.or(visible),
                Item::Field { name, sub } => {
                    let index = meta
                        .index_of(name)
                        .filter(|&i| visible.contains(i))
                        .ok_or_else(|| unknown_field(name, meta, visible))?;
                    plan.set = plan.set.with(index);
                    let Some(sub) = sub else { continue };
                    let field = &meta.fields[index];
                    let Some(nested) = field.nested else {
                        return Err(ApiError::bad_request(format!(
                            "field `{name}` has no subfields to select"
                        ))
                        .with_code("invalid_selection"));
                    };
                    let child = Self::resolve(sub, nested, ceiling)?;
                    match plan.children.iter_mut().find(|(i, _)| *i == index) {
                        Some((_, existing)) => existing.merge(child),
                        None => plan.children.push((index, child)),
                    }
                }
            }
        }
        Ok(plan)
    }

    pub(super) fn merge(&mut self, other: Self) {
        self.set = self.set.or(other.set);
        for (index, child) in other.children {
            match self.children.iter_mut().find(|(i, _)| *i == index) {
                Some((_, existing)) => existing.merge(child),
                None => self.children.push((index, child)),
            }
        }
    }

    /// The fields selected at this level.
    pub fn fields(&self) -> FieldSet {
        self.set
    }

    /// Borrows the plan for rendering.
    pub fn as_ref(&self) -> PlanRef<'_> {
        PlanRef {
            set: self.set,
            children: &self.children,
            parent: None,
        }
    }
}

fn unknown_field(name: &str, meta: &ResourceMeta, visible: FieldSet) -> ApiError {
    let valid: Vec<&str> = visible.iter().map(|i| meta.fields[i].name).collect();
    ApiError::bad_request(format!(
        "unknown field `{name}` in `fields`; valid fields of {}: {}",
        meta.name,
        valid.join(", ")
    ))
    .with_code("unknown_field")
}

impl<'a> PlanRef<'a> {
    /// A plan of exactly `set`, with every nested field at its subfields.
    pub const fn of(set: FieldSet) -> Self {
        Self {
            set,
            children: &[],
            parent: None,
        }
    }

    /// The viewer of the object this plan's object is nested in.
    #[inline]
    pub fn parent(self) -> Option<Audience> {
        self.parent
    }

    /// This plan, under an object seen by `viewer`.
    #[must_use]
    pub fn under(self, viewer: Audience) -> Self {
        Self {
            parent: Some(viewer),
            ..self
        }
    }

    /// The fields selected at this level.
    #[inline]
    pub fn fields(self) -> FieldSet {
        self.set
    }

    /// The plan for nested field `index`: the client's sub-selection if it
    /// gave one, otherwise the field's declared `subfields`.
    #[inline]
    pub fn child(self, index: usize, subfields: FieldSet) -> Self {
        let child = match self.children.iter().find(|(i, _)| *i == index) {
            Some((_, plan)) => plan.as_ref(),
            None => PlanRef::of(subfields),
        };
        Self {
            parent: self.parent,
            ..child
        }
    }
}
