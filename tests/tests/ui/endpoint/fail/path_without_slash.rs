use pale_core::prelude::*;

#[derive(Endpoint)]
#[pale(GET "albums/{album_id}")]
struct GetAlbum {
    album_id: u64,
}

fn main() {}
