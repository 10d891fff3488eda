use pale_core::prelude::*;

#[derive(Resource)]
struct Artist { id: u64, name: String }

#[derive(Resource)]
struct Album {
    id: u64,
    #[pale(subfields(id, nmae))]
    artist: Artist,
}

fn main() {}
