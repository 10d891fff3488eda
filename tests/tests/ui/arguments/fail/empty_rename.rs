use pale_core::prelude::*;

#[derive(Arguments)]
struct Search {
    #[pale(rename = "")]
    q: String,
}

fn main() {}
