use pale_core::prelude::*;

#[derive(Endpoint)]
#[pale(GET "/albums", name = "")]
struct ListAlbums {}

fn main() {}
