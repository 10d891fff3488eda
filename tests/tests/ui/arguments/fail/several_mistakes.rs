use pale_core::prelude::*;

#[derive(Arguments)]
struct Search {
    #[pale(default = "20")]
    limit: u32,
    #[pale(lenght = 1..=80)]
    q: String,
    #[pale(range = 10..=1)]
    page: u32,
}

fn main() {}
