use pale_core::prelude::*;

#[derive(Endpoint)]
#[pale(GET "/albums")]
struct ListAlbums {
    #[pale(from = path)]
    artist_id: u64,
}

fn main() {}
