use pale_core::prelude::*;

#[derive(Resource)]
struct Album {
    #[pale(rename)]
    album_id: u64,
}

fn main() {}
