use pale_core::prelude::*;

#[derive(Arguments)]
struct Search {
    #[pale(range = 1..=300)]
    limit: u8,
}

fn main() {}
