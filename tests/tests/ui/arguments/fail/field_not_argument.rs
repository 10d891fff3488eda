use pale_core::prelude::*;

struct Cursor(u64);

#[derive(Arguments)]
struct Search {
    query: String,
    after: Cursor,
}

fn main() {}
