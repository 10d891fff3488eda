use pale_core::prelude::*;

#[derive(Arguments)]
struct Search {
    #[pale(from = qeury)]
    q: String,
}

fn main() {}
