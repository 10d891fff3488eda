//! The `fields=` parameter's `pattern`: the selection grammar
//! ([`crate::select`]) spelled out as a regular expression over the very
//! field names the audience may select.
//!
//! A bare `string` would promise that any text is a selection, while the
//! server answers 400 to a name that is not a field, to a sub-selection of
//! a scalar field, and to broken parentheses. With the pattern, the
//! document says exactly which selections are accepted, so a client (or a
//! fuzzer generating requests from the document) can build valid ones and
//! knows which are refused.
//!
//! The grammar nests, and a regular expression cannot; but resources nest
//! only as deep as their declarations, so the expression is unrolled down
//! the nesting. A resource already being expanded (one that nests itself)
//! takes no sub-selection in the pattern: it stays a subset of what the
//! server accepts.

use super::schemas::Schemas;
use crate::resource::ResourceMeta;
use crate::select::MEMBERS;

/// Whitespace the parser skips around names and punctuation (ASCII, as
/// [`u8::is_ascii_whitespace`]).
const SPACE: &str = r"[ \t\n\f\r]*";

/// `^…$`: the selections of `resource`'s fields the document's audience
/// may make, the empty selection included.
pub(super) fn pattern(schemas: &Schemas, resource: &'static ResourceMeta) -> String {
    let mut stack = Vec::new();
    format!("^{}$", selection(schemas, resource, &mut stack))
}

/// `^…$`: the selections of a page of `resource`: its items' fields, as
/// [`pattern`], or the page's members with the items' selection inside
/// `items(…)` (the grammar of [`crate::select::PagePlan`]).
///
/// A selection both alternatives match is read as items' fields by the
/// server, and accepted either way; only a resource with a field named
/// `items` whose sub-selection differs could make the members' reading
/// match a selection the server refuses.
pub(super) fn page_pattern(schemas: &Schemas, resource: &'static ResourceMeta) -> String {
    let mut stack = Vec::new();
    let items = selection(schemas, resource, &mut stack);
    let mut members = vec![r"\*".to_owned(), format!(r"items(?:{SPACE}\({items}\))?")];
    members.extend(MEMBERS[1..].iter().map(|m| escape(m)));
    let member = format!("(?:{})", members.join("|"));
    format!("^(?:{items}|{SPACE}{member}{SPACE}(?:,{SPACE}{member}{SPACE})*)$")
}

/// `item ("," item)*`, or nothing, with optional whitespace.
fn selection(
    schemas: &Schemas,
    resource: &'static ResourceMeta,
    stack: &mut Vec<&'static str>,
) -> String {
    let item = item(schemas, resource, stack);
    format!("{SPACE}(?:{item}{SPACE}(?:,{SPACE}{item}{SPACE})*)?")
}

/// `*`, a field's name, or a nested field's name with a sub-selection.
fn item(
    schemas: &Schemas,
    resource: &'static ResourceMeta,
    stack: &mut Vec<&'static str>,
) -> String {
    stack.push(resource.name);
    let mut choices = vec![r"\*".to_owned()];
    for (i, field) in resource.fields.iter().enumerate() {
        if !schemas.sees_readable(resource, i) {
            continue;
        }
        let name = escape(field.name);
        match field.nested {
            Some(nested) if !stack.contains(&nested.name) => {
                let sub = selection(schemas, nested, stack);
                choices.push(format!(r"{name}(?:{SPACE}\({sub}\))?"));
            }
            _ => choices.push(name),
        }
    }
    stack.pop();
    format!("(?:{})", choices.join("|"))
}

/// A field name as a literal: names are `[A-Za-z0-9_-]`, but a renamed
/// field could hold anything.
fn escape(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if !(c.is_ascii_alphanumeric() || c == '_') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audience::Audience;
    use crate::resource::{FieldMeta, FieldSet};
    use regex_lite::Regex;

    static INNER: ResourceMeta = ResourceMeta::new(
        "inner",
        "",
        &[FieldMeta::new("a"), FieldMeta::new("b")],
        FieldSet::EMPTY,
    );
    static OUTER: ResourceMeta = ResourceMeta::new(
        "outer",
        "",
        &[
            FieldMeta::new("title"),
            FieldMeta {
                audience: Audience::Owner,
                ..FieldMeta::new("secret")
            },
            FieldMeta {
                nested: Some(&INNER),
                ..FieldMeta::new("inner")
            },
        ],
        FieldSet::EMPTY,
    );

    /// The pattern accepts what the parser and the resolver accept, and
    /// refuses what they refuse.
    #[test]
    fn the_pattern_is_the_grammar_over_the_visible_names() {
        let public = Regex::new(&pattern(&Schemas::new(Some(Audience::Public)), &OUTER)).unwrap();
        let owner = Regex::new(&pattern(&Schemas::new(Some(Audience::Owner)), &OUTER)).unwrap();
        #[rustfmt::skip]
        let cases: [(&str, bool, bool); 12] = [
            // (selection, public accepts, owner accepts)
            ("", true, true),
            ("title", true, true),
            ("*", true, true),
            ("title, inner(a,b)", true, true),
            ("inner( * )", true, true),
            ("inner()", true, true),
            ("secret", false, true),
            ("title(a)", false, false),
            ("inner(c)", false, false),
            ("inner(a", false, false),
            ("title,,inner", false, false),
            ("titles", false, false),
        ];
        for (text, for_public, for_owner) in cases {
            assert_eq!(public.is_match(text), for_public, "public: {text:?}");
            assert_eq!(owner.is_match(text), for_owner, "owner: {text:?}");
            let parsed = crate::select::Selection::parse(text);
            if for_owner {
                let plan = crate::select::Plan::resolve(&parsed.unwrap(), &OUTER, Audience::Owner);
                assert!(plan.is_ok(), "{text:?} matches but is refused");
            }
        }
    }

    /// On a page, the members too, with the items' selection inside
    /// `items(…)`; and what matches is what the server accepts.
    #[test]
    fn a_page_pattern_adds_the_members() {
        let public =
            Regex::new(&page_pattern(&Schemas::new(Some(Audience::Public)), &OUTER)).unwrap();
        #[rustfmt::skip]
        let cases: [(&str, bool); 11] = [
            ("title", true),
            ("total", true),
            ("total, items(title,inner(a))", true),
            ("links,page,per_page,pages", true),
            ("*,items", true),
            ("items()", true),
            ("", true),
            ("title,total", false),
            ("items(secret)", false),
            ("total(a)", false),
            ("items(title", false),
        ];
        for (text, accepted) in cases {
            assert_eq!(public.is_match(text), accepted, "{text:?}");
            if accepted {
                let parsed = crate::select::Selection::parse(text).unwrap();
                let plan =
                    crate::select::PagePlan::resolve(Some(&parsed), &OUTER, Audience::Public);
                assert!(plan.is_ok(), "{text:?} matches but is refused");
            }
        }
    }
}
