use pale_core::prelude::*;

#[derive(Endpoint)]
#[pale(GET "/albums", cors = "https://app.example")]
struct ListAlbums {
    page: Option<u32>,
}

fn main() {}
