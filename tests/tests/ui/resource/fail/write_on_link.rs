use pale_core::prelude::*;

/// One album.
#[derive(Endpoint)]
#[pale(GET "/albums/{id}", name = "album")]
struct GetAlbum {
    id: u32,
}

#[derive(Resource, Clone)]
struct Album {
    id: u32,
    #[pale(link = GetAlbum(id), write = Owner)]
    url: (),
}

fn main() {}
