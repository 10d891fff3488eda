use pale_core::prelude::*;

#[derive(Endpoint)]
#[pale(GET "/albums", rate_limit = "60/week")]
struct ListAlbums {}

fn main() {}
