use pale_core::prelude::*;

#[derive(Arguments)]
struct Search {
    #[pale(separator = ",")]
    tags: String,
}

fn main() {}
