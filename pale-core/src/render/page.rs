//! A page of resources with its paging metadata.

use serde::ser::{SerializeStruct, Serializer};

use super::{Render, Rendered};
use crate::context::{App, Context};
use crate::resource::Resource;
use crate::select::PlanRef;

/// One page of a longer list: the items, rendered with per-item visibility,
/// and where this page stands.
///
/// Renders as `{"items": […], "page": 2, "per_page": 20, "total": 57,
/// "pages": 3}`.
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
}

impl<T> Page<T> {
    /// A page of `items`.
    pub fn new(items: Vec<T>, page: u64, per_page: u64, total: u64) -> Self {
        Self {
            items,
            page,
            per_page,
            total,
        }
    }

    /// The number of pages.
    pub fn pages(&self) -> u64 {
        if self.per_page == 0 {
            0
        } else {
            self.total.div_ceil(self.per_page)
        }
    }
}

impl<T: Resource> Page<T> {
    /// Serializes the page for `ctx`, each item with `plan`.
    pub fn render<A: App, S: Serializer>(
        &self,
        ctx: &Context<A>,
        plan: PlanRef<'_>,
        serializer: S,
    ) -> Result<S::Ok, S::Error>
    where
        T: Render<A>,
    {
        let mut out = serializer.serialize_struct("page", 5)?;
        out.serialize_field("items", &Rendered::new(&self.items, ctx, plan))?;
        out.serialize_field("page", &self.page)?;
        out.serialize_field("per_page", &self.per_page)?;
        out.serialize_field("total", &self.total)?;
        out.serialize_field("pages", &self.pages())?;
        out.end()
    }
}
