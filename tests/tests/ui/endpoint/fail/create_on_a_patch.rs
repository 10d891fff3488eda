use pale_core::prelude::*;

/// An album.
#[derive(Resource, Clone)]
struct Album {
    /// Title.
    #[pale(write = User)]
    title: String,
}

#[derive(Endpoint)]
#[pale(PATCH "/albums/{id}")]
struct PatchAlbum {
    id: u32,
    #[pale(from = document)]
    patch: Create<Album>,
}

fn main() {}
