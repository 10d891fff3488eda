use pale_core::prelude::*;

#[derive(Arguments)]
struct Search {
    #[pale(default = 20)]
    limit: Option<u32>,
}

fn main() {}
