use pale_core::prelude::*;

#[derive(Resource, serde::Serialize, Clone)]
struct Album {
    id: i64,
    #[pale(write = Owner, len = 1..=10)]
    price_cents: i64,
}

fn main() {}
