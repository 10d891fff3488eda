use pale_core::prelude::*;

#[derive(Resource)]
struct Artist { id: u64, name: String }

#[derive(Resource)]
struct Album {
    #[pale(subfeilds(id, name))]
    artist: Artist,
}

fn main() {}
