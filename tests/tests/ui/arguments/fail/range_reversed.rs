use pale_core::prelude::*;

#[derive(Arguments)]
struct Search {
    #[pale(range = 100..=1)]
    limit: u32,
}

fn main() {}
