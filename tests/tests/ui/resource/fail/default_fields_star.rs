use pale_core::prelude::*;

#[derive(Resource)]
#[pale(default_fields(*))]
struct Album {
    id: u64,
    title: String,
}

fn main() {}
