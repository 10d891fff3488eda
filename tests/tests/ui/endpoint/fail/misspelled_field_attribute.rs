use pale_core::prelude::*;

#[derive(Endpoint)]
#[pale(GET "/albums")]
struct ListAlbums {
    #[pale(defualt = 20)]
    limit: u32,
}

fn main() {}
