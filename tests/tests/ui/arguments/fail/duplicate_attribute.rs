use pale_core::prelude::*;

#[derive(Arguments)]
struct Search {
    #[pale(default = 20)]
    #[pale(range = 1..=100, default = 10)]
    limit: u32,
}

fn main() {}
