use pale_core::prelude::*;

#[derive(Resource)]
#[pale(default_fields(id, owner_id))]
struct Album {
    id: u64,
    #[pale(skip)]
    owner_id: u64,
}

fn main() {}
