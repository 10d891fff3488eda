use pale_core::prelude::*;

#[derive(Arguments)]
struct Search {
    #[pale(one_of())]
    sort: String,
}

fn main() {}
