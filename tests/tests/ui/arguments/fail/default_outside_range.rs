use pale_core::prelude::*;

#[derive(Arguments)]
struct Search {
    #[pale(default = 500, range = 1..=100)]
    limit: u32,
}

fn main() {}
