use pale_core::prelude::*;

/// An album.
#[derive(Resource, Clone)]
struct Album {
    /// Title.
    #[pale(write = User)]
    title: String,
}

#[derive(Endpoint)]
#[pale(POST "/albums", writes = Album)]
struct CreateAlbum {
    #[pale(from = document)]
    album: Create<Album>,
}

fn main() {}
