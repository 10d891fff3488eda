use pale_core::prelude::*;

#[derive(Endpoint)]
#[pale(GET "/albums", audience = Usr)]
struct ListAlbums {}

fn main() {}
