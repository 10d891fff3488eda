use pale_core::prelude::*;
use pale_core::argument::Raw;

#[derive(Endpoint)]
#[pale(GET "/albums")]
struct ListAlbums {
    #[pale(from = document)]
    filter: Raw,
}

fn main() {}
