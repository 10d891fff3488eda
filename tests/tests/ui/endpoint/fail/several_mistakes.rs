use pale_core::prelude::*;

#[derive(Endpoint)]
#[pale(GET "/albums/{id}", nmae = "get_album")]
struct GetAlbum {
    #[pale(lenght = 1..=10)]
    id: i64,
}

fn main() {}
