use pale_core::prelude::*;

struct Album;

#[derive(Endpoint)]
#[pale(POST "/albums")]
struct CreateAlbum {
    #[pale(from = document)]
    album: Create<Album>,
}

fn main() {}
