use pale_core::prelude::*;

#[derive(Arguments)]
struct Search {
    #[pale(one_of("title", "date", "title"))]
    sort: String,
}

fn main() {}
