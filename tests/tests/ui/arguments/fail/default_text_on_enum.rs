use pale_core::prelude::*;
use pale_core::ArgumentEnum;

#[derive(ArgumentEnum)]
enum Sort { Newest, Oldest }

#[derive(Arguments)]
struct Search {
    #[pale(default = "newest")]
    sort: Sort,
}

fn main() {}
