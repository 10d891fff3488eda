use pale_core::prelude::*;

#[derive(Endpoint)]
#[pale(GET "/albums/{}")]
struct GetAlbum {}

fn main() {}
