use pale_core::prelude::*;

#[derive(Arguments)]
#[pale(deny_unknown = true)]
struct Search {
    query: String,
}

fn main() {}
