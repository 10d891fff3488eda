use pale_core::prelude::*;

#[derive(Arguments)]
struct Search {
    #[pale(default = "", len = 1..=80)]
    q: String,
}

fn main() {}
