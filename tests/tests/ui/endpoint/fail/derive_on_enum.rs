use pale_core::prelude::*;

#[derive(Endpoint)]
#[pale(GET "/albums")]
enum ListAlbums {
    All,
}

fn main() {}
