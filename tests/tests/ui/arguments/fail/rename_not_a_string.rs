use pale_core::prelude::*;

#[derive(Arguments)]
struct Search {
    #[pale(rename = q)]
    query: String,
}

fn main() {}
