use pale_core::prelude::*;

#[derive(Arguments)]
#[pale(deny_unkown)]
struct Search {
    q: String,
}

fn main() {}
