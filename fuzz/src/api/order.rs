//! An endpoint with many typed, constrained arguments from every source,
//! for the argument-cast target.

use pale_core::ArgumentEnum;
use pale_core::argument::{Raw, RawMap};
use pale_core::prelude::*;

/// Sort orders.
#[derive(ArgumentEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    /// Oldest first.
    Oldest,
    /// Newest first.
    Newest,
}

/// A line of an order.
#[derive(Arguments, Debug, Clone, PartialEq)]
pub struct Line {
    /// Units.
    #[pale(range = 1..=1000)]
    pub units: u32,
    /// Title.
    #[pale(len = 1..=20)]
    pub title: String,
    /// Unit price.
    pub price: Money,
}

/// Places an order.
#[derive(Endpoint, Debug)]
#[pale(POST "/shops/{shop}/orders", name = "order")]
pub struct PlaceOrder {
    /// The shop.
    #[pale(range = 1..=9999)]
    pub shop: u32,
    /// Who orders.
    #[pale(len = 1..=40)]
    pub name: String,
    /// Country code.
    #[pale(pattern = "[A-Z]{2}")]
    pub country: String,
    /// Delivery speed.
    #[pale(one_of("slow", "fast"), default = "slow")]
    pub speed: String,
    /// Sort of the answer.
    #[pale(default = Sort::Oldest)]
    pub sort: Sort,
    /// Page.
    #[pale(default = 1, range = 1..)]
    pub page: u32,
    /// A discount in percent.
    #[pale(range = -100..=100)]
    pub discount: Option<i64>,
    /// A rating.
    #[pale(range = 0.0..=5.0)]
    pub rating: Option<f64>,
    /// Tags, comma-separated or repeated.
    #[pale(separator = ",", len = ..=5)]
    pub tags: Vec<String>,
    /// The lines.
    #[pale(len = 1..=10)]
    pub lines: Vec<Line>,
    /// Wrap as a gift.
    #[pale(default = false)]
    pub gift: bool,
    /// Deliver on.
    pub when: Option<Date>,
    /// The buyer's site.
    pub site: Option<WebUrl>,
    /// A trace id.
    #[pale(from = header("X-Trace"), len = ..=16)]
    pub trace: Option<String>,
    /// A search, from the query only.
    #[pale(from = query)]
    pub q: Option<String>,
    /// Free-form metadata.
    pub meta: Option<RawMap>,
}

/// A strict endpoint: arguments it does not declare are errors.
#[derive(Endpoint, Debug)]
#[pale(POST "/strict", name = "strict", deny_unknown)]
pub struct Strict {
    /// A count.
    #[pale(range = 0..=10)]
    pub count: u8,
    /// A dry run.
    #[pale(default = false)]
    pub dry_run: bool,
    /// Anything.
    pub extra: Option<Raw>,
}

/// The names clients use for [`PlaceOrder`]'s arguments.
pub const ORDER_NAMES: &[&str] = &[
    "shop", "name", "country", "speed", "sort", "page", "discount", "rating", "tags", "lines",
    "gift", "when", "site", "trace", "x-trace", "q", "meta",
];

/// The names clients use for [`Strict`]'s arguments.
pub const STRICT_NAMES: &[&str] = &["count", "dry_run", "extra"];
