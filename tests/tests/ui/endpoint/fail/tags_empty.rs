use pale_core::prelude::*;

#[derive(Endpoint)]
#[pale(GET "/albums", tags())]
struct ListAlbums {}

fn main() {}
