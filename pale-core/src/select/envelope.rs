//! `fields=` on a page: the members of its envelope, or its items' fields.
//!
//! ```text
//! page-selection := item-selection                  (the items' fields, as on a list)
//!                 | member ("," member)*            (the envelope's members)
//! member         := "items" [ "(" item-selection ")" ]
//!                 | "page" | "per_page" | "total" | "pages" | "links" | "*"
//! ```
//!
//! Both readings share one grammar, so a selection is read as it was
//! before pages had members whenever it can be: when every name at its top
//! level is a field of the items this caller may see (or `*`), or when
//! none of them is a member, it selects the items' fields and the envelope
//! is whole. Otherwise it selects members: `fields=total` is the count
//! alone, `fields=total,items(title)` the count and each item's title,
//! `fields=items` the items at their default fields. So an item field
//! named like a member (an album's `links`) keeps its meaning alone
//! (`fields=links`) and the page's links are selected beside another
//! member (`fields=links,page`).
//!
//! The items' selection is resolved by [`Plan::resolve`], for the same
//! ceiling, so a hidden field is refused inside `items(…)` exactly as at
//! the top level, and the list of members names no field at all.

use super::parse::{Item, Selection};
use super::plan::Plan;
use crate::audience::Audience;
use crate::error::ApiError;
use crate::resource::ResourceMeta;

/// The members of a page's envelope, in the order they are rendered.
pub const MEMBERS: [&str; 6] = ["items", "page", "per_page", "total", "pages", "links"];

const ALL: u8 = (1 << MEMBERS.len()) - 1;

/// What a page renders: which members of its envelope, and its items with
/// which plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PagePlan {
    members: u8,
    /// `None`: the items' default fields.
    items: Option<Plan>,
}

impl PagePlan {
    /// Every member, the items at their default fields: no `fields=`.
    pub const WHOLE: Self = Self {
        members: ALL,
        items: None,
    };

    /// Resolves a client's selection on a page of `meta` for a caller who
    /// can see at most `ceiling`; no selection is the [`WHOLE`](Self::WHOLE)
    /// page.
    pub fn resolve(
        selection: Option<&Selection>,
        meta: &'static ResourceMeta,
        ceiling: Audience,
    ) -> Result<Self, ApiError> {
        let Some(selection) = selection else {
            return Ok(Self::WHOLE);
        };
        if reads_items(selection, meta, ceiling) {
            return Ok(Self {
                members: ALL,
                items: Some(Plan::resolve(selection, meta, ceiling)?),
            });
        }
        let mut plan = Self {
            members: 0,
            items: None,
        };
        for item in selection.items() {
            let (name, sub) = match item {
                Item::All => {
                    plan.members = ALL;
                    continue;
                }
                Item::Field { name, sub } => (name, sub),
            };
            let index = member_index(name).ok_or_else(|| unknown_member(name))?;
            plan.members |= 1 << index;
            match (index, sub) {
                (0, Some(sub)) => {
                    let child = Plan::resolve(sub, meta, ceiling)?;
                    match &mut plan.items {
                        Some(items) => items.merge(child),
                        None => plan.items = Some(child),
                    }
                }
                (_, Some(_)) => {
                    return Err(ApiError::bad_request(format!(
                        "the page's `{name}` has no fields to select"
                    ))
                    .with_code("invalid_selection"));
                }
                (_, None) => {}
            }
        }
        Ok(plan)
    }

    /// Whether the member `name` (one of [`MEMBERS`]) is rendered.
    pub fn has(&self, name: &str) -> bool {
        member_index(name).is_some_and(|i| self.members & (1 << i) != 0)
    }

    /// The plan the items render with: the client's, or `None` for their
    /// default fields.
    pub fn items(&self) -> Option<&Plan> {
        self.items.as_ref()
    }
}

fn member_index(name: &str) -> Option<usize> {
    MEMBERS.iter().position(|member| *member == name)
}

/// Whether `selection` is read as the items' fields: every name at its top
/// level is a field this caller may see, or none is a member.
fn reads_items(selection: &Selection, meta: &ResourceMeta, ceiling: Audience) -> bool {
    let visible = meta.visible_to(ceiling);
    let names = || {
        selection.items().iter().filter_map(|item| match item {
            Item::All => None,
            Item::Field { name, .. } => Some(name.as_str()),
        })
    };
    names().all(|name| meta.index_of(name).is_some_and(|i| visible.contains(i)))
        || names().all(|name| member_index(name).is_none())
}

fn unknown_member(name: &str) -> ApiError {
    ApiError::bad_request(format!(
        "unknown member `{name}` of the page in `fields`; valid members: {}; \
         select the items' fields inside `items(…)`, as in `fields=total,items(…)`",
        MEMBERS.join(", ")
    ))
    .with_code("unknown_field")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource::{FieldMeta, FieldSet};

    /// An album-like item with a field named like a member (`links`), and
    /// a field only its owner sees.
    static ITEM: ResourceMeta = ResourceMeta::new(
        "item",
        "",
        &[
            FieldMeta::new("title"),
            FieldMeta::new("links"),
            FieldMeta {
                audience: Audience::Owner,
                ..FieldMeta::new("secret")
            },
        ],
        FieldSet::EMPTY,
    );

    /// The members rendered and the item fields selected, or the error's
    /// status and code.
    type Outcome = Result<(Vec<&'static str>, Option<Vec<&'static str>>), (u16, String)>;

    fn resolve(text: &str, ceiling: Audience) -> Outcome {
        let selection = Selection::parse(text).unwrap();
        let plan = PagePlan::resolve(Some(&selection), &ITEM, ceiling)
            .map_err(|e| (e.status().as_u16(), e.code().to_owned()))?;
        let members = MEMBERS.into_iter().filter(|m| plan.has(m)).collect();
        let items = plan
            .items()
            .map(|p| p.fields().iter().map(|i| ITEM.fields[i].name).collect());
        Ok((members, items))
    }

    #[test]
    fn reads_members_or_item_fields() {
        use Audience::{Owner, Public};
        let all = || MEMBERS.to_vec();
        #[rustfmt::skip]
        let table: Vec<(&str, Audience, Outcome)> = vec![
            // The items' fields, as before pages had members.
            ("title", Public, Ok((all(), Some(vec!["title"])))),
            ("links", Public, Ok((all(), Some(vec!["links"])))),
            ("*", Public, Ok((all(), Some(vec!["title", "links"])))),
            ("*", Owner, Ok((all(), Some(vec!["title", "links", "secret"])))),
            ("", Public, Ok((all(), Some(vec![])))),
            ("secret", Owner, Ok((all(), Some(vec!["secret"])))),
            // A name that is neither: the items' error, as before.
            ("nope", Public, Err((400, "unknown_field".into()))),
            // A hidden field is no field: refused as unknown, either way.
            ("secret", Public, Err((400, "unknown_field".into()))),
            ("total,items(secret)", Public, Err((400, "unknown_field".into()))),
            // The members.
            ("total", Public, Ok((vec!["total"], None))),
            ("total,items(title)", Public, Ok((vec!["items", "total"], Some(vec!["title"])))),
            ("items", Public, Ok((vec!["items"], None))),
            ("items(title),items(links)", Public, Ok((vec!["items"], Some(vec!["title", "links"])))),
            ("links,page", Public, Ok((vec!["page", "links"], None))),
            ("*,items(secret)", Owner, Ok((all(), Some(vec!["secret"])))),
            ("page,per_page,pages", Public, Ok((vec!["page", "per_page", "pages"], None))),
            // Mixed, or members with subfields.
            ("title,total", Public, Err((400, "unknown_field".into()))),
            ("total(x)", Public, Err((400, "invalid_selection".into()))),
            ("items(title(x)),total", Public, Err((400, "invalid_selection".into()))),
        ];
        for (text, ceiling, expected) in table {
            assert_eq!(resolve(text, ceiling), expected, "{text:?} for {ceiling:?}");
        }
        assert_eq!(
            PagePlan::resolve(None, &ITEM, Public).unwrap(),
            PagePlan::WHOLE
        );
    }

    #[test]
    fn an_unknown_member_lists_members_and_no_field() {
        let selection = Selection::parse("secret,total").unwrap();
        let error = PagePlan::resolve(Some(&selection), &ITEM, Audience::Public).unwrap_err();
        let detail = error.detail().unwrap_or_default();
        assert!(
            detail.contains("valid members: items, page, per_page, total, pages, links"),
            "{detail}"
        );
        assert!(!detail.contains("title"), "{detail}");
    }
}
