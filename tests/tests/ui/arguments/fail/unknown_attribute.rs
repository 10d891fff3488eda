use pale_core::prelude::*;

#[derive(Arguments)]
struct Search {
    #[pale(required)]
    query: String,
}

fn main() {}
