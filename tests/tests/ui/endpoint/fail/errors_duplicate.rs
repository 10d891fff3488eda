use pale_core::prelude::*;

#[derive(Endpoint)]
#[pale(GET "/albums", errors(404, 404))]
struct ListAlbums {}

fn main() {}
