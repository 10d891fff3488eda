use pale_core::prelude::*;

#[derive(Resource)]
#[pale(default_fields(id, titel))]
struct Album {
    id: u64,
    title: String,
}

fn main() {}
