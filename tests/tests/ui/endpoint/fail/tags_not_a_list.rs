use pale_core::prelude::*;

#[derive(Endpoint)]
#[pale(GET "/albums", tags = "albums")]
struct ListAlbums {
    page: Option<u32>,
}

fn main() {}
