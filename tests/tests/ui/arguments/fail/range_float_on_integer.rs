use pale_core::prelude::*;

#[derive(Arguments)]
struct Search {
    #[pale(range = 0.5..=1.5)]
    limit: u32,
}

fn main() {}
