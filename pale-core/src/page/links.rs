//! [`Links`]: `self`, `first`, `last`, `next` and `prev` of a page, for
//! the body and for the `Link` header (RFC 8288).
//!
//! Every link of a page differs from the others in its page number only,
//! so the part before it (the path under the API's base path, the
//! request's other query pairs) is built once, in one string; the body
//! writes each link through the serializer and the header is one more
//! string. A page costs two allocations for its links, whatever its size.

use serde::ser::{Serialize, SerializeStruct, Serializer};

use super::Position;
use super::query::push_without_page;
use crate::context::{App, Context};

/// The links of one page: where it is, and where its neighbours are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Links {
    /// `/api/albums?sort=title&page=`: every link but its number.
    prefix: String,
    at: Position,
}

impl Links {
    /// The links of the page at `at`, for a request to `path` (root
    /// relative) with `query` (raw, as in the request target): the same
    /// path and query, `page` aside.
    ///
    /// ```
    /// use pale_core::page::{Links, Position};
    ///
    /// let at = Position { page: 2, per_page: 10, total: 25 };
    /// let links = Links::new("/api/albums", Some("page=2&sort=title"), at);
    /// assert_eq!(links.href(3), "/api/albums?sort=title&page=3");
    /// assert_eq!(
    ///     links.header(),
    ///     "</api/albums?sort=title&page=2>; rel=\"self\", \
    ///      </api/albums?sort=title&page=1>; rel=\"first\", \
    ///      </api/albums?sort=title&page=1>; rel=\"prev\", \
    ///      </api/albums?sort=title&page=3>; rel=\"next\", \
    ///      </api/albums?sort=title&page=3>; rel=\"last\""
    /// );
    /// ```
    pub fn new(path: &str, query: Option<&str>, at: Position) -> Self {
        Self::after(path.to_owned(), query, at)
    }

    /// The links for `path` (taken as the start of every link, so a link
    /// made by `ctx.link` is not copied) and `query`.
    fn after(mut prefix: String, query: Option<&str>, at: Position) -> Self {
        let query = query.unwrap_or_default();
        prefix.reserve(query.len() + 16);
        prefix.push('?');
        push_without_page(query, &mut prefix);
        prefix.push_str("page=");
        Self { prefix, at }
    }

    /// The links of the page at `at` for the request `ctx` serves, under
    /// the API's base path; `None` when it serves none (a context built
    /// by hand, in a test).
    pub fn of<A: App>(ctx: &Context<A>, at: Position) -> Option<Self> {
        let uri = &ctx.request()?.uri;
        let base = ctx.base_path();
        let route = uri.path().strip_prefix(base).unwrap_or(uri.path());
        Some(Self::after(ctx.link(route), uri.query(), at))
    }

    /// The link to page `page`.
    pub fn href(&self, page: u64) -> String {
        let mut buffer = itoa::Buffer::new();
        let mut out = self.prefix.clone();
        out.push_str(buffer.format(page));
        out
    }

    /// Each relation and the page it leads to: `self`, `first`, `prev`
    /// (not on the first page), `next` (not on the last), `last`.
    pub fn relations(&self) -> impl Iterator<Item = (&'static str, u64)> {
        let at = &self.at;
        [
            Some(("self", at.page)),
            Some(("first", 1)),
            at.prev().map(|page| ("prev", page)),
            at.next().map(|page| ("next", page)),
            Some(("last", at.last())),
        ]
        .into_iter()
        .flatten()
    }

    /// The value of the `Link` header: `<…>; rel="self", <…>; rel="first", …`.
    pub fn header(&self) -> String {
        let mut out = String::with_capacity((self.prefix.len() + 24) * 5);
        let mut buffer = itoa::Buffer::new();
        for (i, (rel, page)) in self.relations().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            out.push('<');
            out.push_str(&self.prefix);
            out.push_str(buffer.format(page));
            out.push_str(">; rel=\"");
            out.push_str(rel);
            out.push('"');
        }
        out
    }
}

/// `{"self": "…", "first": "…", "prev": "…", "next": "…", "last": "…"}`,
/// `prev` and `next` only where there is such a page.
impl Serialize for Links {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("links", 5)?;
        for (rel, page) in self.relations() {
            out.serialize_field(rel, &Href(&self.prefix, page))?;
        }
        out.end()
    }
}

/// One link, written straight into the serializer's output.
struct Href<'a>(&'a str, u64);

impl Serialize for Href<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut buffer = itoa::Buffer::new();
        serializer.collect_str(&format_args!("{}{}", self.0, buffer.format(self.1)))
    }
}
