use pale_core::prelude::*;

#[derive(Arguments)]
struct Report {
    #[pale(range = 1..12)]
    month: u8,
}

fn main() {}
