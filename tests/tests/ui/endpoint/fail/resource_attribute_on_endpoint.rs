use pale_core::prelude::*;

#[derive(Endpoint)]
#[pale(GET "/albums", default_fields(id, title))]
struct ListAlbums {
    page: Option<u32>,
}

fn main() {}
