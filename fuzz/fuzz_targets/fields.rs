//! The `fields=` grammar (`Selection::parse`) and its resolution against
//! resources (`Plan::resolve`).
//!
//! Properties:
//! - for any text, parsing never panics; it refuses text over 4,096
//!   bytes, nesting deeper than 16 and names longer than 64 bytes; what
//!   it accepts renders (`Display`) to a canonical form that parses to
//!   the same selection and is no longer than the input;
//! - a selection built as a tree (when the first byte is odd) renders to
//!   text that parses back to it exactly when it is within the bounds;
//! - resolving an accepted selection against a resource, for each
//!   audience, either gives a plan of fields that audience may see (and
//!   so on down nested fields), or a 400 `unknown_field` /
//!   `invalid_selection` whose list of valid names holds visible fields
//!   only;
//! - resolving it on a page of that resource (`PagePlan::resolve`), for
//!   each audience, either reads it as the items' fields (every member
//!   kept, and the item plan is exactly `Plan::resolve`'s), or as the
//!   page's members (each member rendered is named, or `*` is; the items'
//!   plan, if any, is that of the `items(…)` it names, so it holds only
//!   visible fields); or it is a 400 whose valid names, when it lists
//!   fields, are visible ones, and which names no hidden field otherwise.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use pale_core::resource::{FieldSet, ResourceMeta};
use pale_core::select::{Item, MAX_DEPTH, MAX_LEN, MAX_NAME, MEMBERS, PagePlan, Plan, Selection};
use pale_core::{Audience, Resource};
use pale_fuzz::api::shop::{Album, Artist, Track};

const AUDIENCES: [Audience; 4] = [
    Audience::Public,
    Audience::User,
    Audience::Owner,
    Audience::Admin,
];

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    if first % 2 == 1 {
        if let Ok(tree) = Tree::arbitrary(&mut Unstructured::new(rest)) {
            built(&tree);
        }
        return;
    }
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    parsed(text);
});

/// Checks what the parser makes of arbitrary text.
fn parsed(text: &str) {
    let Ok(selection) = Selection::parse(text) else {
        return;
    };
    assert!(text.len() <= MAX_LEN);
    assert!(depth(&selection) <= MAX_DEPTH, "{text}");
    let canonical = selection.to_string();
    assert!(canonical.len() <= text.len(), "{text} -> {canonical}");
    assert_eq!(Selection::parse(&canonical).as_ref(), Ok(&selection));
    check_names(&selection);
    for audience in AUDIENCES {
        resolve(&selection, Album::META, audience);
        resolve_page(&selection, Album::META, audience);
    }
}

/// A selection as a tree of names, rendered by the target itself.
#[derive(Arbitrary, Debug)]
enum Tree {
    All,
    Field(Name, Option<Vec<Tree>>),
}

/// A name from the grammar's alphabet, of any length up to 80 bytes.
#[derive(Debug)]
struct Name(String);

impl<'a> Arbitrary<'a> for Name {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        const ALPHABET: &[u8] = b"abcxyzABC019_-";
        const KNOWN: &[&str] = &["id", "title", "artist", "tracks", "name", "email", "x-9_"];
        if u.ratio(1, 2)? {
            return Ok(Self((*u.choose(KNOWN)?).to_owned()));
        }
        let len = u.int_in_range(1..=80)?;
        let mut name = String::with_capacity(len);
        for _ in 0..len {
            name.push(char::from(*u.choose(ALPHABET)?));
        }
        Ok(Self(name))
    }
}

fn render(items: &[Tree], out: &mut String) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        match item {
            Tree::All => out.push('*'),
            Tree::Field(Name(name), sub) => {
                out.push_str(name);
                if let Some(sub) = sub {
                    out.push('(');
                    render(sub, out);
                    out.push(')');
                }
            }
        }
    }
}

fn tree_depth(items: &[Tree]) -> usize {
    items
        .iter()
        .map(|item| match item {
            Tree::Field(_, Some(sub)) => 1 + tree_depth(sub),
            _ => 0,
        })
        .max()
        .unwrap_or(0)
}

fn longest_name(items: &[Tree]) -> usize {
    items
        .iter()
        .map(|item| match item {
            Tree::All => 0,
            Tree::Field(Name(name), sub) => name.len().max(sub.as_deref().map_or(0, longest_name)),
        })
        .max()
        .unwrap_or(0)
}

/// Checks a selection built as a tree: accepted iff within the bounds.
fn built(tree: &Tree) {
    let items = std::slice::from_ref(tree);
    let mut text = String::new();
    render(items, &mut text);
    let within =
        text.len() <= MAX_LEN && tree_depth(items) <= MAX_DEPTH && longest_name(items) <= MAX_NAME;
    match Selection::parse(&text) {
        Ok(selection) => {
            assert!(within, "accepted out of bounds: {text}");
            assert_eq!(selection.to_string(), text);
            for audience in AUDIENCES {
                resolve(&selection, Album::META, audience);
                resolve_page(&selection, Album::META, audience);
            }
        }
        Err(e) => assert!(!within, "refused {text}: {e}"),
    }
}

fn depth(selection: &Selection) -> usize {
    selection
        .items()
        .iter()
        .map(|item| match item {
            Item::Field { sub: Some(sub), .. } => 1 + depth(sub),
            _ => 0,
        })
        .max()
        .unwrap_or(0)
}

fn check_names(selection: &Selection) {
    for item in selection.items() {
        if let Item::Field { name, sub } = item {
            assert!(!name.is_empty() && name.len() <= MAX_NAME, "{name}");
            assert!(
                name.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'),
                "{name}"
            );
            if let Some(sub) = sub {
                check_names(sub);
            }
        }
    }
}

/// Resolves for `audience` and checks the plan, or the error.
fn resolve(selection: &Selection, meta: &'static ResourceMeta, audience: Audience) {
    match Plan::resolve(selection, meta, audience) {
        Ok(plan) => check_plan(selection, &plan, meta, audience),
        Err(e) => {
            assert_eq!(e.status().as_u16(), 400);
            let detail = e.detail().unwrap_or_default();
            match e.code() {
                "invalid_selection" => {}
                "unknown_field" => assert_lists_visible_names(detail, audience),
                other => panic!("code {other}: {detail}"),
            }
        }
    }
}

/// The names an `unknown_field` error lists as valid are exactly the
/// fields of its resource that `audience` may see: listing a hidden one
/// would reveal it.
fn assert_lists_visible_names(detail: &str, audience: Audience) {
    let (_, rest) = detail
        .rsplit_once("valid fields of ")
        .unwrap_or_else(|| panic!("no list of valid names: {detail}"));
    let (resource, listed) = rest
        .split_once(": ")
        .unwrap_or_else(|| panic!("no list of valid names: {detail}"));
    let meta = [Album::META, Artist::META, Track::META]
        .into_iter()
        .find(|meta| meta.name == resource)
        .unwrap_or_else(|| panic!("unknown resource {resource}: {detail}"));
    let visible: Vec<&str> = meta
        .visible_to(audience)
        .iter()
        .map(|i| meta.fields[i].name)
        .collect();
    let listed: Vec<&str> = listed.split(", ").filter(|n| !n.is_empty()).collect();
    assert_eq!(listed, visible, "{detail}");
}

/// A plan selects only visible fields, each named (or `*`) at its level,
/// and nested plans do the same in their resources.
fn check_plan(selection: &Selection, plan: &Plan, meta: &'static ResourceMeta, audience: Audience) {
    let visible = meta.visible_to(audience);
    let fields = plan.fields();
    assert_eq!(
        fields.without(visible),
        FieldSet::EMPTY,
        "a hidden field in the plan"
    );
    let all = selection
        .items()
        .iter()
        .any(|item| matches!(item, Item::All));
    for index in fields.iter() {
        let name = meta.fields[index].name;
        let named = selection
            .items()
            .iter()
            .any(|item| matches!(item, Item::Field { name: n, .. } if n == name));
        assert!(all || named, "{name} selected but not named");
        let subs: Vec<&Selection> = selection
            .items()
            .iter()
            .filter_map(|item| match item {
                Item::Field {
                    name: n,
                    sub: Some(sub),
                } if n == name => Some(sub),
                _ => None,
            })
            .collect();
        if let (Some(nested), false) = (meta.fields[index].nested, subs.is_empty()) {
            let child = plan.as_ref().child(index, FieldSet::EMPTY).fields();
            assert_eq!(child.without(nested.visible_to(audience)), FieldSet::EMPTY);
            for sub in subs {
                if let Ok(own) = Plan::resolve(sub, nested, audience) {
                    assert_eq!(own.fields().without(child), FieldSet::EMPTY);
                }
            }
        }
    }
}

/// Resolves on a page for `audience` and checks which reading it took.
fn resolve_page(selection: &Selection, meta: &'static ResourceMeta, audience: Audience) {
    let page = match PagePlan::resolve(Some(selection), meta, audience) {
        Ok(page) => page,
        Err(e) => {
            assert_eq!(e.status().as_u16(), 400);
            let detail = e.detail().unwrap_or_default();
            match e.code() {
                "invalid_selection" => {}
                "unknown_field" if detail.contains("valid fields of ") => {
                    assert_lists_visible_names(detail, audience);
                }
                "unknown_field" => assert_names_no_hidden_field(detail, meta, audience),
                other => panic!("code {other}: {detail}"),
            }
            return;
        }
    };
    let every = MEMBERS.iter().all(|m| page.has(m));
    let items_reading = Plan::resolve(selection, meta, audience);
    match (page.items(), &items_reading) {
        // Read as the items' fields: the whole page, the items' own plan.
        (Some(plan), Ok(own)) if every && plan == own => check_plan(selection, plan, meta, audience),
        // Read as members: each one named, or `*`.
        _ => {
            let all = selection.items().iter().any(|i| matches!(i, Item::All));
            for member in MEMBERS.iter().filter(|m| page.has(m)) {
                let named = selection
                    .items()
                    .iter()
                    .any(|i| matches!(i, Item::Field { name, .. } if name == member));
                assert!(all || named, "{member} rendered but not named in {selection}");
            }
            if let Some(plan) = page.items() {
                assert_eq!(plan.fields().without(meta.visible_to(audience)), FieldSet::EMPTY);
            }
        }
    }
}

/// An error that lists no fields names none the audience may not see.
fn assert_names_no_hidden_field(detail: &str, meta: &'static ResourceMeta, audience: Audience) {
    let visible = meta.visible_to(audience);
    for (i, field) in meta.fields.iter().enumerate() {
        if !visible.contains(i) && !MEMBERS.contains(&field.name) {
            let quoted = format!("`{}`", field.name);
            // The client may have written it: the error may quote what it
            // was sent, never offer it.
            if detail.contains(&quoted) {
                assert!(detail.starts_with(&format!("unknown member {quoted}")), "{detail}");
            }
        }
    }
}
