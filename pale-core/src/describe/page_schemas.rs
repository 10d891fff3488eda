//! The schemas of a page of resources: `AlbumPage`, every member present
//! and each item in its default representation, as a response without
//! `fields=` is; and `AlbumPagePartial`, for a page whose members or items
//! were selected (`fields=total,items(title)`).

use indexmap::IndexMap;

use super::names::Kind;
use super::schemas::Schemas;
use super::{JsonSchema, Xml};
use crate::resource::ResourceMeta;

/// The members of a page, in the order they are rendered.
const MEMBERS: [&str; 6] = ["items", "page", "per_page", "total", "pages", "links"];

impl Schemas {
    /// The schema of a response that is a page of `meta`: the default
    /// page, or a selected one.
    pub(super) fn page_response(&mut self, meta: &'static ResourceMeta) -> JsonSchema {
        JsonSchema {
            any_of: vec![
                self.page(meta, Kind::Page),
                self.page(meta, Kind::PagePartial),
            ],
            ..JsonSchema::default()
        }
    }

    /// A `$ref` to the schema of a page of `meta`, of `kind` (`Page` or
    /// `PagePartial`).
    fn page(&mut self, meta: &'static ResourceMeta, kind: Kind) -> JsonSchema {
        let name = self.name(meta, kind);
        if !self.map.contains_key(&name) {
            let whole = kind == Kind::Page;
            let item = self.read(meta, if whole { Kind::Default } else { Kind::Partial });
            let items = JsonSchema::array(item).described("The items on this page.");
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
            let (required, text) = if whole {
                (
                    MEMBERS.map(str::to_owned).to_vec(),
                    "As rendered without `fields=`: every member.",
                )
            } else {
                (
                    Vec::new(),
                    "Any selection of its members and items (`fields=`).",
                )
            };
            let schema = JsonSchema {
                xml: Some(Xml::named("page")),
                ..JsonSchema::object(properties, required)
            }
            .described(&format!("One page of `{}` resources. {text}", meta.name));
            self.map.insert(name.clone(), schema);
        }
        JsonSchema::reference(&name)
    }
}

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
            link("The page before; absent on the first, and on a list read by key."),
        ),
        (
            "next".to_owned(),
            link("The page after; absent on the last."),
        ),
        (
            "last".to_owned(),
            link(
                "The last page (the first, when the list is empty); absent on a list read by \
                 key, whose `next` link carries a cursor.",
            ),
        ),
    ]);
    let required = ["self", "first"].map(str::to_owned).to_vec();
    JsonSchema::object(properties, required).described(
        "Links to this page and its neighbours, under the API's base path, keeping the \
         request's other query parameters; the same as the `Link` header.",
    )
}
