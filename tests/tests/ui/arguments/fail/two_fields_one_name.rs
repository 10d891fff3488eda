use pale_core::prelude::*;

#[derive(Arguments)]
struct Search {
    #[pale(rename = "q")]
    query: String,
    #[pale(rename = "q")]
    quick: bool,
}

fn main() {}
