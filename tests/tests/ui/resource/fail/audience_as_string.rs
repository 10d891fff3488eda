use pale_core::prelude::*;

#[derive(Resource)]
struct Album {
    id: u64,
    #[pale(audience = "Owner")]
    units_sold: u64,
}

fn main() {}
