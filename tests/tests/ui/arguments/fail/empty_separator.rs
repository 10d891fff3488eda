use pale_core::prelude::*;

#[derive(Arguments)]
struct Search {
    #[pale(separator = "")]
    tags: Vec<String>,
}

fn main() {}
