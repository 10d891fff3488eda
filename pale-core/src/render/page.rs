//! A page of resources with its paging metadata and links.

use serde::ser::{Serialize, SerializeStruct, Serializer};

use super::{Render, Rendered};
use crate::context::{App, Context};
use crate::page::{Cursor, Links, PageRequest, Position};
use crate::resource::Resource;
use crate::select::{PagePlan, PlanRef};

/// One page of a longer list: the items, rendered with per-item visibility,
/// and where this page stands.
///
/// Renders as `{"items": […], "page": 2, "per_page": 20, "total": 57,
/// "pages": 3, "links": {"self": …, "first": …, "prev": …, "next": …,
/// "last": …}}`, with the same links in a `Link` header; `fields=` may
/// select among those members ([`PagePlan`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    /// The items on this page.
    pub items: Vec<T>,
    /// This page's number, from 1.
    pub page: u64,
    /// The most items a page holds.
    pub per_page: u64,
    /// The number of items on all pages.
    pub total: u64,
    /// The cursor this page was asked with, on a list read by key
    /// ([`PageRequest::after`]).
    pub cursor: Option<Cursor>,
    /// Where the next page starts, on a list read by key
    /// ([`with_next`](Self::with_next)); `None` on the last page.
    pub next: Option<Cursor>,
}

impl<T> Page<T> {
    /// A page of `items`.
    pub fn new(items: Vec<T>, page: u64, per_page: u64, total: u64) -> Self {
        Self {
            items,
            page,
            per_page,
            total,
            cursor: None,
            next: None,
        }
    }

    /// This page, of a list read by key, followed by the page that starts
    /// after the item whose key is `key` (the last on this page): its
    /// `next` link carries that cursor. `None` on the last page.
    ///
    /// ```
    /// use pale_core::Page;
    /// use pale_core::page::PageRequest;
    ///
    /// let paging = PageRequest::<2, 10>::FIRST;
    /// let page = Page::of(&paging, vec!["a", "b"], 5).with_next(Some("b"));
    /// let next = page.next.as_ref().unwrap();
    /// assert_eq!((next.page(), next.key()), (2, "b"));
    /// ```
    pub fn with_next(mut self, key: Option<impl Into<String>>) -> Self {
        let page = u32::try_from(self.page.saturating_add(1)).unwrap_or(u32::MAX);
        self.next = key.map(|key| Cursor::new(page, key));
        self
    }

    /// The page `request` asked for, holding `items`, of a list of
    /// `total`.
    pub fn of<const PER_PAGE: u32, const MAX_PER_PAGE: u32>(
        request: &PageRequest<PER_PAGE, MAX_PER_PAGE>,
        items: Vec<T>,
        total: u64,
    ) -> Self {
        Self {
            cursor: request.cursor().cloned(),
            ..Self::new(
                items,
                u64::from(request.page()),
                u64::from(request.per_page()),
                total,
            )
        }
    }

    /// The page `request` asked for, cut from `all` (a list held whole in
    /// memory); empty past the end.
    pub fn window<const PER_PAGE: u32, const MAX_PER_PAGE: u32>(
        request: &PageRequest<PER_PAGE, MAX_PER_PAGE>,
        all: Vec<T>,
    ) -> Self {
        let total = u64::try_from(all.len()).unwrap_or(u64::MAX);
        let skip = usize::try_from(request.offset()).unwrap_or(usize::MAX);
        let take = usize::try_from(request.limit()).unwrap_or(usize::MAX);
        let items = all.into_iter().skip(skip).take(take).collect();
        Self::of(request, items, total)
    }

    /// This page with other items in its place (the resources loaded for
    /// the rows of a page, say): same number, size and total.
    pub fn with_items<U>(self, items: Vec<U>) -> Page<U> {
        Page {
            items,
            page: self.page,
            per_page: self.per_page,
            total: self.total,
            cursor: self.cursor,
            next: self.next,
        }
    }

    /// Where this page stands.
    pub fn position(&self) -> Position {
        Position {
            page: self.page,
            per_page: self.per_page,
            total: self.total,
        }
    }

    /// The number of pages.
    pub fn pages(&self) -> u64 {
        self.position().pages()
    }
}

impl<T: Resource> Page<T> {
    /// Serializes the whole page for `ctx`, each item with `plan`, without
    /// links.
    pub fn render<A: App, S: Serializer>(
        &self,
        ctx: &Context<A>,
        plan: PlanRef<'_>,
        serializer: S,
    ) -> Result<S::Ok, S::Error>
    where
        T: Render<A>,
    {
        PageBody::new(self, ctx, &PagePlan::WHOLE, None)
            .with_items(plan)
            .serialize(serializer)
    }
}

/// A page as a response body: the members `plan` selects, the items with
/// its item plan, and the links when there are any.
pub struct PageBody<'a, T, A: App> {
    page: &'a Page<T>,
    ctx: &'a Context<A>,
    plan: &'a PagePlan,
    items: PlanRef<'a>,
    links: Option<&'a Links>,
}

impl<'a, T: Resource, A: App> PageBody<'a, T, A> {
    /// The body of `page` for `ctx`, with `plan`'s members and `links`.
    pub fn new(
        page: &'a Page<T>,
        ctx: &'a Context<A>,
        plan: &'a PagePlan,
        links: Option<&'a Links>,
    ) -> Self {
        let items = match plan.items() {
            Some(items) => items.as_ref(),
            None => PlanRef::of(T::META.defaults),
        };
        Self {
            page,
            ctx,
            plan,
            items,
            links,
        }
    }

    fn with_items(self, items: PlanRef<'a>) -> Self {
        Self { items, ..self }
    }
}

impl<T: Render<A>, A: App> Serialize for PageBody<'_, T, A> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (page, plan) = (self.page, self.plan);
        let links = self.links.filter(|_| plan.has("links"));
        let mut out = serializer.serialize_struct("page", 6)?;
        if plan.has("items") {
            let items = Rendered::new(&page.items, self.ctx, self.items);
            out.serialize_field("items", &items)?;
        }
        for (name, value) in [
            ("page", page.page),
            ("per_page", page.per_page),
            ("total", page.total),
            ("pages", page.pages()),
        ] {
            if plan.has(name) {
                out.serialize_field(name, &value)?;
            }
        }
        if let Some(links) = links {
            out.serialize_field("links", links)?;
        }
        out.end()
    }
}
