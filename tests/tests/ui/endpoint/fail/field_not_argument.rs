use pale_core::prelude::*;

struct AlbumId(u64);

#[derive(Endpoint)]
#[pale(GET "/albums/{album_id}")]
struct GetAlbum {
    album_id: AlbumId,
}

fn main() {}
