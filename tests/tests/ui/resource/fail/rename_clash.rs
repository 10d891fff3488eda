use pale_core::prelude::*;

#[derive(Resource, serde::Serialize)]
struct Album {
    id: i64,
    #[pale(rename = "id")]
    album_id: i64,
}

fn main() {}
