//! Component names that client generators accept: `Album`,
//! `AlbumPartial`, `AlbumCreate`, `AlbumPatch`, `AlbumPage`.
//!
//! Generators turn component names into class and type names, and several
//! refuse or mangle what is not an identifier (a dot makes
//! datamodel-code-generator split the models into modules). So a
//! resource's name (`album`, `track_input`, `artist-links`) is written in
//! PascalCase, and each kind of schema adds a suffix to it. Names are
//! unique — two resources named alike (two nested `links` of different
//! shapes), or a resource whose name reads like another's page, get `2`,
//! `3`… — and stable: they follow the order the registry lists routes
//! in, which does not change between runs.

use std::collections::HashSet;

use crate::resource::ResourceMeta;

/// What a component describes about a resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// The default representation: what a response without `fields=`
    /// always carries is required.
    Default,
    /// Any selection of the fields: nothing required.
    Partial,
    /// A whole new object, as written.
    Create,
    /// A merge patch.
    Patch,
    /// A page of default representations.
    Page,
    /// A page selected with `fields=`.
    PagePartial,
}

impl Kind {
    fn suffix(self) -> &'static str {
        match self {
            Self::Default => "",
            Self::Partial => "Partial",
            Self::Create => "Create",
            Self::Patch => "Patch",
            Self::Page => "Page",
            Self::PagePartial => "PagePartial",
        }
    }
}

/// The names given so far in one document.
#[derive(Debug)]
pub(super) struct Names {
    /// Each resource's base name, by the address of its table.
    bases: Vec<(&'static ResourceMeta, String)>,
    /// Each component's name, by resource and kind.
    given: Vec<(&'static ResourceMeta, Kind, String)>,
    /// Every name in use, the fixed components' included.
    taken: HashSet<String>,
}

impl Names {
    /// Names around the fixed components (`Problem`, `FieldError`).
    pub(super) fn new(reserved: &[&str]) -> Self {
        Self {
            bases: Vec::new(),
            given: Vec::new(),
            taken: reserved.iter().map(|name| (*name).to_owned()).collect(),
        }
    }

    /// The name of `meta`'s `kind` component.
    pub(super) fn of(&mut self, meta: &'static ResourceMeta, kind: Kind) -> String {
        if let Some((.., name)) = self
            .given
            .iter()
            .find(|(m, k, _)| std::ptr::eq(*m, meta) && *k == kind)
        {
            return name.clone();
        }
        let base = self.base(meta);
        let wanted = format!("{base}{}", kind.suffix());
        let name = self.unique(&wanted);
        self.given.push((meta, kind, name.clone()));
        name
    }

    /// `meta`'s base name: its resource name in PascalCase, numbered when
    /// another resource already has it.
    fn base(&mut self, meta: &'static ResourceMeta) -> String {
        if let Some((_, base)) = self.bases.iter().find(|(m, _)| std::ptr::eq(*m, meta)) {
            return base.clone();
        }
        let wanted = pascal(meta.name);
        let mut base = wanted.clone();
        let mut n = 1;
        while self.bases.iter().any(|(_, b)| *b == base) || self.taken.contains(&base) {
            n += 1;
            base = format!("{wanted}{n}");
        }
        self.bases.push((meta, base.clone()));
        base
    }

    fn unique(&mut self, wanted: &str) -> String {
        let mut name = wanted.to_owned();
        let mut n = 1;
        while self.taken.contains(&name) {
            n += 1;
            name = format!("{wanted}{n}");
        }
        self.taken.insert(name.clone());
        name
    }
}

/// `album` → `Album`, `track_input` → `TrackInput`, `artist-links.v2` →
/// `ArtistLinksV2`: ASCII letters and digits, each word capitalized, and a
/// leading `R` before a digit (an identifier cannot start with one).
pub(super) fn pascal(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = true;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(if upper { c.to_ascii_uppercase() } else { c });
            upper = false;
        } else {
            upper = true;
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'R');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource::{FieldSet, ResourceMeta};

    static ALBUM: ResourceMeta = ResourceMeta::new("album", "", &[], FieldSet::EMPTY);
    static ALBUM_PAGE: ResourceMeta = ResourceMeta::new("album_page", "", &[], FieldSet::EMPTY);
    static LINKS: ResourceMeta = ResourceMeta::new("links", "", &[], FieldSet::EMPTY);
    static OTHER_LINKS: ResourceMeta = ResourceMeta::new("links", "", &[], FieldSet::EMPTY);
    static PROBLEM: ResourceMeta = ResourceMeta::new("problem", "", &[], FieldSet::EMPTY);

    #[test]
    fn names_are_identifiers() {
        assert_eq!(pascal("album"), "Album");
        assert_eq!(pascal("track_input"), "TrackInput");
        assert_eq!(pascal("artist-links.v2"), "ArtistLinksV2");
        assert_eq!(pascal("7up"), "R7up");
        assert_eq!(pascal("__"), "R");
    }

    #[test]
    fn names_are_unique_and_stable() {
        let mut names = Names::new(&["Problem", "FieldError"]);
        assert_eq!(names.of(&ALBUM, Kind::Default), "Album");
        assert_eq!(names.of(&ALBUM, Kind::Page), "AlbumPage");
        assert_eq!(names.of(&ALBUM_PAGE, Kind::Default), "AlbumPage2");
        assert_eq!(names.of(&LINKS, Kind::Partial), "LinksPartial");
        assert_eq!(names.of(&OTHER_LINKS, Kind::Partial), "Links2Partial");
        assert_eq!(names.of(&OTHER_LINKS, Kind::Create), "Links2Create");
        assert_eq!(names.of(&PROBLEM, Kind::Default), "Problem2");
        // Asked again, the same names.
        assert_eq!(names.of(&ALBUM, Kind::Default), "Album");
        assert_eq!(names.of(&LINKS, Kind::Partial), "LinksPartial");
        assert_eq!(names.of(&OTHER_LINKS, Kind::Partial), "Links2Partial");
    }
}
