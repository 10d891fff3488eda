use pale_core::prelude::*;

#[derive(Arguments)]
enum Sort {
    Newest,
    Oldest,
}

fn main() {}
