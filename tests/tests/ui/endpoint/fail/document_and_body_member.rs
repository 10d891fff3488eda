use pale_core::prelude::*;
use pale_core::argument::Raw;

#[derive(Endpoint)]
#[pale(POST "/albums")]
struct CreateAlbum {
    #[pale(from = document)]
    album: Raw,
    #[pale(from = body)]
    title: String,
}

fn main() {}
