use pale_core::prelude::*;

struct Money { cents: i64 }

#[derive(Resource)]
struct Album {
    id: u64,
    price: Money,
}

fn main() {}
