use pale_core::prelude::*;

#[derive(Endpoint)]
#[pale(GET "/albums/{album_id}")]
struct GetAlbum {
    albumid: u64,
}

fn main() {}
