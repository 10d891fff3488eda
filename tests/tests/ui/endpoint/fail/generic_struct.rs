use pale_core::prelude::*;

#[derive(Endpoint)]
#[pale(GET "/albums")]
struct ListAlbums<T> {
    limit: T,
}

fn main() {}
