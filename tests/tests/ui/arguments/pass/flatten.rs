use pale_core::page::PageRequest;
use pale_core::prelude::*;

/// Filters of a list.
#[derive(Arguments)]
#[pale(deny_unknown)]
struct Filters {
    /// Words to find.
    q: Option<String>,
    /// Which page.
    #[pale(flatten)]
    paging: PageRequest<10, 30>,
}

/// A list, paged, with its filters flattened too.
#[derive(Endpoint)]
#[pale(GET "/things/{group}", name = "things", deny_unknown)]
struct ListThings {
    /// The group.
    group: String,
    /// Filters.
    #[pale(flatten)]
    filters: Filters,
}

fn main() {
    let names: Vec<_> = ListThings::META.arguments.iter().map(|a| a.name).collect();
    assert_eq!(names, ["group", "q", "page", "per_page", "after"]);
    assert_eq!(ListThings::path("a"), "/things/a");
    let _ = |t: ListThings| (t.group, t.filters.q, t.filters.paging.offset());
}
