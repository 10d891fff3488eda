use pale_core::prelude::*;

#[derive(Endpoint)]
#[pale(GET "/albums/{album_id}")]
struct GetAlbum {
    #[pale(default = 1)]
    album_id: u64,
}

fn main() {}
