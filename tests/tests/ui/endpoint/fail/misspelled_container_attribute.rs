use pale_core::prelude::*;

#[derive(Endpoint)]
#[pale(GET "/albums", nmae = "list_albums")]
struct ListAlbums {}

fn main() {}
