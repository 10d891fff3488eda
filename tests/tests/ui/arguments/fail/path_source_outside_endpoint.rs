use pale_core::prelude::*;

#[derive(Arguments)]
struct AlbumRef {
    #[pale(from = path)]
    album_id: u64,
}

fn main() {}
