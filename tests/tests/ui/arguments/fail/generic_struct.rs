use pale_core::prelude::*;

#[derive(Arguments)]
struct Search<T> {
    query: String,
    filter: T,
}

fn main() {}
