use pale_core::prelude::*;

#[derive(Endpoint)]
#[pale(name = "album")]
struct GetAlbum {
    album_id: u64,
}

fn main() {}
