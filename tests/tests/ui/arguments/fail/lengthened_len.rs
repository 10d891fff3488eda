use pale_core::prelude::*;

#[derive(Arguments)]
struct Search {
    #[pale(lenght = 1..=40)]
    q: String,
    #[pale(regex = "^[a-z]+$")]
    tag: String,
}

fn main() {}
