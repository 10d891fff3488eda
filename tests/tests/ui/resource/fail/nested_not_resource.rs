use pale_core::prelude::*;

struct Artist { id: u64, name: String }

#[derive(Resource)]
struct Album {
    id: u64,
    #[pale(nested)]
    artist: Artist,
}

fn main() {}
