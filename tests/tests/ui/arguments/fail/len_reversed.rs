use pale_core::prelude::*;

#[derive(Arguments)]
struct Search {
    #[pale(len = 80..=1)]
    q: String,
}

fn main() {}
