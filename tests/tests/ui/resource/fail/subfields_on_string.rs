use pale_core::prelude::*;

#[derive(Resource)]
struct Album {
    id: u64,
    #[pale(subfields(name))]
    artist: String,
}

fn main() {}
