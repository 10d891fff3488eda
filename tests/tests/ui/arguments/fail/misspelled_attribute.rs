use pale_core::prelude::*;

#[derive(Arguments)]
struct Search {
    #[pale(defualt = 20)]
    limit: u32,
}

fn main() {}
