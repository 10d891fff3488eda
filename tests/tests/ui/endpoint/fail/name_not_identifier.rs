use pale_core::prelude::*;

#[derive(Endpoint)]
#[pale(GET "/albums", name = "list albums")]
struct ListAlbums {}

fn main() {}
