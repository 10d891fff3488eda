use pale_core::prelude::*;

#[derive(Arguments)]
struct Search {
    #[pale]
    query: String,
}

fn main() {}
