//! JSON merge patches (RFC 7396): `pale_core::patch::merge` on raw trees,
//! and patches written through a resource's field declarations
//! (`pale_core::write::apply`).
//!
//! Properties, for arbitrary trees:
//! - applying a patch twice equals applying it once;
//! - a `null` member removes the key, any other non-object member
//!   replaces it, an object member leaves an object, keys the patch does
//!   not name are untouched, and a patch that is not an object replaces
//!   the target whole;
//! - the patch a reference diff (written here, RFC 7396 §3 in reverse)
//!   makes from a source and a target turns the source into the target,
//!   less the `null` members a merge patch cannot express;
//! - through a resource, for every caller and both modes: a rejected
//!   write (403 or 422) changes nothing, names only fields the caller may
//!   see and points only at keys the body has; an accepted one changes
//!   only the fields the body names, each writable by the caller, and
//!   applying it again changes nothing more.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use pale_core::argument::{Raw, RawMap};
use pale_core::patch::merge;
use pale_core::write::{WriteMode, apply};
use pale_core::{Audience, Resource};
use pale_fuzz::api::profile::{Profile, context};
use pale_fuzz::pointer_tokens;
use pale_fuzz::raw::ArbRaw;

#[derive(Arbitrary, Debug)]
struct Case {
    target: ArbRaw,
    patch: ArbRaw,
    other: ArbRaw,
    /// A body of `Profile` field names with arbitrary values.
    body: Vec<(u8, ArbRaw)>,
    who: u8,
    create: bool,
}

fuzz_target!(|case: Case| {
    merges(&case.target.0, &case.patch.0);
    diffs(&case.target.0, &case.other.0);
    let body = profile_body(&case.body);
    writes(&body, case.who, case.create);
    writes(&case.patch.0, case.who, case.create);
});

fn merges(target: &Raw, patch: &Raw) {
    let mut once = target.clone();
    merge(&mut once, patch);
    let mut twice = once.clone();
    merge(&mut twice, patch);
    assert_eq!(once, twice, "a patch applied twice differs from once");
    let Raw::Map(members) = patch else {
        assert_eq!(&once, patch, "a patch that is not an object replaces");
        return;
    };
    let Raw::Map(result) = &once else {
        panic!("an object patch leaves an object: {once:?}")
    };
    for (key, value) in members.iter() {
        match value {
            Raw::Null => assert!(!result.contains_key(key), "null kept {key}"),
            Raw::Map(_) => assert!(matches!(result.get(key), Some(Raw::Map(_))), "{key}"),
            other => assert_eq!(result.get(key), Some(other), "{key}"),
        }
    }
    if let Raw::Map(before) = target {
        for (key, value) in before.iter().filter(|(k, _)| !members.contains_key(k)) {
            assert_eq!(result.get(key), Some(value), "{key} changed");
        }
    }
}

/// `value` less the `null` members of its objects (not inside lists,
/// which a merge patch replaces whole).
fn strip(value: &Raw) -> Raw {
    match value {
        Raw::Map(map) => Raw::Map(
            map.iter()
                .filter(|(_, v)| **v != Raw::Null)
                .map(|(k, v)| (k.to_owned(), strip(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The merge patch that turns `source` into `target` (stripped).
fn diff(source: &Raw, target: &Raw) -> Raw {
    let (Raw::Map(from), Raw::Map(to)) = (source, target) else {
        return target.clone();
    };
    let mut patch = RawMap::new();
    for (key, _) in from.iter().filter(|(k, _)| !to.contains_key(k)) {
        patch.insert(key, Raw::Null);
    }
    for (key, value) in to.iter() {
        match from.get(key) {
            Some(old) if old == value => {}
            Some(old) => patch.insert(key, diff(old, value)),
            None => patch.insert(key, value.clone()),
        }
    }
    Raw::Map(patch)
}

fn diffs(source: &Raw, other: &Raw) {
    let target = strip(other);
    let patch = diff(source, &target);
    let mut result = source.clone();
    merge(&mut result, &patch);
    assert_eq!(
        result, target,
        "the diff {patch:?} did not reproduce the target"
    );
}

const NAMES: &[&str] = &[
    "id",
    "name",
    "bio",
    "verified",
    "notes",
    "units_sold",
    "password",
    "handle",
    "price",
    "tags",
    "links",
    "owner",
    "nope",
];

fn profile_body(members: &[(u8, ArbRaw)]) -> Raw {
    let mut map = RawMap::new();
    for (name, ArbRaw(value)) in members {
        map.insert(NAMES[usize::from(*name) % NAMES.len()], value.clone());
    }
    Raw::Map(map)
}

/// The audience the profile's viewer function gives caller `who`.
fn viewer(who: u8) -> Audience {
    [
        Audience::Public,
        Audience::User,
        Audience::Owner,
        Audience::Admin,
    ][usize::from(who % 4)]
}

fn writes(body: &Raw, who: u8, create: bool) {
    let ctx = context(who);
    let mode = if create {
        WriteMode::Create
    } else {
        WriteMode::Patch
    };
    let before = Profile::sample();
    let mut after = before.clone();
    match apply(&mut after, body, &ctx, mode) {
        Err(e) => {
            assert_eq!(after, before, "a rejected write changed the object: {e}");
            rejected(&e, body, who);
        }
        Ok(()) => {
            accepted(&before, &after, body, who, mode);
            let mut again = after.clone();
            apply(&mut again, body, &ctx, mode).expect("an accepted write is accepted again");
            assert_eq!(again, after, "a write applied twice differs from once");
        }
    }
}

fn rejected(e: &pale_core::ApiError, body: &Raw, who: u8) {
    let meta = Profile::META;
    let visible = meta.visible_to(viewer(who));
    match e.status().as_u16() {
        403 => {
            let detail = e.detail().unwrap_or_default();
            if let Some(names) = detail.strip_prefix("you may not write: ") {
                for name in names.split(", ") {
                    let index = meta.index_of(name).expect("a field");
                    assert!(visible.contains(index), "403 names hidden {name}");
                }
            }
        }
        422 => {
            assert!(!e.errors().is_empty());
            for error in e.errors() {
                let tokens = pointer_tokens(&error.pointer)
                    .unwrap_or_else(|| panic!("bad pointer {:?}", error.pointer));
                match (tokens.first(), body) {
                    (None, _) => assert_eq!(error.code, "invalid_type"),
                    (Some(key), Raw::Map(map)) => assert!(
                        map.contains_key(key) || error.code == "missing",
                        "{} points outside the body",
                        error.pointer
                    ),
                    (Some(_), _) => panic!("{} in a body that is no object", error.pointer),
                }
            }
        }
        other => panic!("a write answered {other}"),
    }
}

fn accepted(before: &Profile, after: &Profile, body: &Raw, who: u8, mode: WriteMode) {
    let Raw::Map(map) = body else {
        panic!("accepted a body that is no object")
    };
    let meta = Profile::META;
    for field in meta.fields {
        let rule = field.write;
        if map.contains_key(field.name) {
            assert!(rule.allows(viewer(who)), "wrote {} as {who}", field.name);
            assert!(
                !(rule.create_only && mode == WriteMode::Patch),
                "{}",
                field.name
            );
        }
    }
    for key in map.keys() {
        assert!(meta.index_of(key).is_some(), "accepted unknown {key}");
    }
    // Fields the body does not name keep their values.
    let same = |name: &str| !map.contains_key(name);
    if same("name") {
        assert_eq!(before.name, after.name);
    }
    if same("bio") {
        assert_eq!(before.bio, after.bio);
    }
    if same("verified") {
        assert_eq!(before.verified, after.verified);
    }
    if same("notes") {
        assert_eq!(before.notes, after.notes);
    }
    if same("password") {
        assert_eq!(before.password, after.password);
    }
    if same("handle") {
        assert_eq!(before.handle, after.handle);
    }
    if same("price") {
        assert_eq!(before.price, after.price);
    }
    if same("tags") {
        assert_eq!(before.tags, after.tags);
    }
    if same("links") {
        assert_eq!(before.links, after.links);
    }
    assert_eq!(
        (before.id, before.units_sold, before.owner),
        (after.id, after.units_sold, after.owner)
    );
    if let Some(Raw::Null) = map.get("bio") {
        assert_eq!(after.bio, None, "null clears an optional field");
    }
}
