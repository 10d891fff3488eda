use pale_core::prelude::*;

#[derive(Resource)]
struct Album {
    id: u64,
    #[pale(skip, audience = Admin)]
    owner_id: u64,
}

fn main() {}
