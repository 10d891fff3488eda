use pale_core::prelude::*;

#[derive(Arguments)]
#[pale(deny_unknown, deny_unknown)]
struct Search {
    q: String,
}

fn main() {}
