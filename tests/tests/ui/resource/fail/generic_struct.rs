use pale_core::prelude::*;

#[derive(Resource)]
struct Listing<T> {
    total: u64,
    items: Vec<T>,
}

fn main() {}
