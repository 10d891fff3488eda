use pale_core::prelude::*;

/// An album.
#[derive(Resource, Clone)]
struct Album {
    /// Title.
    #[pale(write = User)]
    title: String,
}

#[derive(Endpoint)]
#[pale(POST "/albums")]
struct CreateAlbum {
    album: Create<Album>,
}

fn main() {}
