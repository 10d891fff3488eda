use pale_core::prelude::*;

#[derive(Arguments)]
struct Search {
    #[pale(range = 5..5)]
    limit: u32,
}

fn main() {}
