use pale_core::prelude::*;

#[derive(Arguments)]
struct Search {
    #[pale(range = 0.5..=1.0)]
    limit: u32,
}

fn main() {}
