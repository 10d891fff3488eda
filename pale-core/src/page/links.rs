//! [`Links`]: `self`, `first`, `last`, `next` and `prev` of a page, for
//! the body and for the `Link` header (RFC 8288).
//!
//! Every link of a page differs from the others in its page number (or
//! cursor) only, so the part before it (the path under the API's base
//! path, the request's other query pairs) is built once, in one string;
//! the body writes each link through the serializer and the header is one
//! more string. A page costs two allocations for its links, whatever its
//! size.
//!
//! A page of a list read by key ([`Cursor`]) links to itself, the first
//! page and, by cursor, the next: there is no key to start the one before
//! or the last from.

use serde::ser::{Serialize, SerializeStruct, Serializer};

use super::query::push_without_page;
use super::{Cursor, Position};
use crate::context::{App, Context};

/// The links of one page: where it is, and where its neighbours are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Links {
    /// `/api/albums?sort=title&`: every link but its `page=` or `after=`.
    prefix: String,
    at: Position,
    /// The token this page was asked with, on a list read by key.
    this: Option<String>,
    /// The token of the next page, on a list read by key.
    next: Option<String>,
}

/// Where a link leads: a page by number, or by cursor token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target<'a> {
    /// `page=N`.
    Page(u64),
    /// `after=TOKEN`.
    After(&'a str),
}

impl Links {
    /// The links of the page at `at`, for a request to `path` (root
    /// relative) with `query` (raw, as in the request target): the same
    /// path and query, `page` and `after` aside.
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
    ///
    /// On a list read by key, with [`by_key`](Self::by_key):
    ///
    /// ```
    /// use pale_core::page::{Cursor, Links, Position};
    ///
    /// let at = Position { page: 1, per_page: 10, total: 25 };
    /// let next = Cursor::new(2, "k");
    /// let links = Links::new("/api/albums", None, at).by_key(None, Some(&next));
    /// assert_eq!(
    ///     links.header(),
    ///     "</api/albums?page=1>; rel=\"self\", \
    ///      </api/albums?page=1>; rel=\"first\", \
    ///      </api/albums?after=Mi5r>; rel=\"next\""
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
        Self {
            prefix,
            at,
            this: None,
            next: None,
        }
    }

    /// These links for a page of a list read by key: asked with `this`
    /// cursor (none on the first page), followed by the page `next` leads
    /// to (none on the last). Without either, the page's links are by
    /// number as usual.
    pub fn by_key(mut self, this: Option<&Cursor>, next: Option<&Cursor>) -> Self {
        self.this = this.map(Cursor::token);
        self.next = next.map(Cursor::token);
        self
    }

    /// Whether this page belongs to a list read by key.
    fn keyed(&self) -> bool {
        self.this.is_some() || self.next.is_some()
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
        let mut out = self.prefix.clone();
        push_target(&mut out, Target::Page(page));
        out
    }

    /// Each relation and where it leads: `self`, `first`, `prev` (not on
    /// the first page), `next` (not on the last), `last`; on a list read
    /// by key, `self`, `first` and `next` (by cursor, not on the last).
    pub fn relations(&self) -> impl Iterator<Item = (&'static str, Target<'_>)> {
        let at = &self.at;
        let keyed = self.keyed();
        let this = match &self.this {
            Some(token) => Target::After(token),
            None => Target::Page(at.page),
        };
        let next = match &self.next {
            Some(token) => Some(Target::After(token)),
            None if keyed => None,
            None => at.next().map(Target::Page),
        };
        [
            Some(("self", this)),
            Some(("first", Target::Page(1))),
            at.prev()
                .filter(|_| !keyed)
                .map(|page| ("prev", Target::Page(page))),
            next.map(|target| ("next", target)),
            (!keyed).then(|| ("last", Target::Page(at.last()))),
        ]
        .into_iter()
        .flatten()
    }

    /// The value of the `Link` header: `<…>; rel="self", <…>; rel="first", …`.
    pub fn header(&self) -> String {
        let mut out = String::with_capacity((self.prefix.len() + 24) * 5);
        for (i, (rel, target)) in self.relations().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            out.push('<');
            out.push_str(&self.prefix);
            push_target(&mut out, target);
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
        for (rel, target) in self.relations() {
            out.serialize_field(rel, &Href(&self.prefix, target))?;
        }
        out.end()
    }
}

/// Appends `page=N` or `after=TOKEN` (a token needs no escaping).
fn push_target(out: &mut String, target: Target<'_>) {
    match target {
        Target::Page(page) => {
            out.push_str("page=");
            out.push_str(itoa::Buffer::new().format(page));
        }
        Target::After(token) => {
            out.push_str("after=");
            out.push_str(token);
        }
    }
}

/// One link, written straight into the serializer's output.
struct Href<'a>(&'a str, Target<'a>);

impl Serialize for Href<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.1 {
            Target::Page(page) => {
                let mut buffer = itoa::Buffer::new();
                serializer.collect_str(&format_args!("{}page={}", self.0, buffer.format(page)))
            }
            Target::After(token) => {
                serializer.collect_str(&format_args!("{}after={token}", self.0))
            }
        }
    }
}
