use pale_core::prelude::*;

#[derive(Arguments)]
struct Search {
    #[pale(one_of("10", "25", "50"))]
    page_size: u32,
}

fn main() {}
