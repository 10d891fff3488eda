use pale_core::prelude::*;

#[derive(Resource, serde::Serialize, Clone)]
struct Album {
    id: i64,
}

#[derive(Endpoint)]
#[pale(POST "/albums", writes = Album, writes = Album)]
struct CreateAlbum {}

fn main() {}
