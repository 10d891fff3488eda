use pale_core::prelude::*;

#[derive(Arguments)]
struct Donation {
    #[pale(range = 0.50..)]
    cents: u32,
}

fn main() {}
