use pale_core::prelude::*;

#[derive(Arguments)]
struct Search {
    #[pale(default = "price", one_of("title", "date"))]
    sort: String,
}

fn main() {}
