use pale_core::prelude::*;

/// Every constraint, on the types it applies to.
#[derive(Arguments)]
#[pale(deny_unknown)]
struct Search {
    #[pale(len = 1..=100, pattern = "[a-z ]+")]
    query: String,
    #[pale(range = 1..=100, default = 20)]
    limit: u32,
    #[pale(one_of("newest", "oldest"))]
    sort: Option<String>,
    #[pale(separator = ",", len = ..=5)]
    tags: Option<Vec<String>>,
    #[pale(rename = "X-Request-Id", from = header("X-Request-Id"))]
    request_id: Option<String>,
    page: Option<Page>,
}

/// A nested argument struct.
#[derive(Arguments)]
struct Page {
    #[pale(range = 0..)]
    offset: u64,
}

fn main() {
    let names: Vec<&str> = Search::ARGUMENTS.iter().map(|a| a.name).collect();
    assert_eq!(names, ["query", "limit", "sort", "tags", "X-Request-Id", "page"]);
}
