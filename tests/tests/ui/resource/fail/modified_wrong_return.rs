use pale_core::prelude::*;

#[derive(Resource, serde::Serialize)]
#[pale(modified = updated)]
struct Album {
    id: i64,
    updated_at: i64,
}

fn updated(album: &Album) -> i64 {
    album.updated_at
}

fn main() {}
