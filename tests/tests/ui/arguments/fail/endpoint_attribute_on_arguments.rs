use pale_core::prelude::*;

#[derive(Arguments)]
#[pale(name = "search")]
struct Search {
    query: String,
}

fn main() {}
