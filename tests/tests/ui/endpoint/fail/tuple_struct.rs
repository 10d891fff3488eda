use pale_core::prelude::*;

#[derive(Endpoint)]
#[pale(GET "/albums/{id}")]
struct GetAlbum(i64);

fn main() {}
