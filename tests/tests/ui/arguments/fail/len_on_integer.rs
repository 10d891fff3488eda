use pale_core::prelude::*;

#[derive(Arguments)]
struct Search {
    #[pale(len = 1..=100)]
    limit: u32,
}

fn main() {}
