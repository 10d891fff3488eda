use pale_core::prelude::*;

#[derive(Arguments)]
struct Search {
    #[pale(pattern = 42)]
    q: String,
}

fn main() {}
