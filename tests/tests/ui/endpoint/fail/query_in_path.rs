use pale_core::prelude::*;

#[derive(Endpoint)]
#[pale(GET "/albums?page=1")]
struct ListAlbums {}

fn main() {}
