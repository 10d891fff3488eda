use pale_core::prelude::*;

#[derive(Endpoint)]
#[pale(GET "/albums")]
struct ListAlbums {
    #[pale(from = body)]
    title: String,
}

fn main() {}
