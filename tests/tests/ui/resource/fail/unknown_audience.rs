use pale_core::prelude::*;

#[derive(Resource)]
struct Album {
    id: u64,
    #[pale(audience = Owners)]
    units_sold: u64,
}

fn main() {}
