use pale_core::prelude::*;

#[derive(Endpoint)]
#[pale(GET "/albums", audience = User, audience = Admin)]
struct ListAlbums {}

fn main() {}
