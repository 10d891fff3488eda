use pale_core::prelude::*;

#[derive(Resource, serde::Serialize)]
#[pale(etag = version_tag, etag = version_tag)]
struct Album {
    id: i64,
    version: i64,
}

fn version_tag(album: &Album) -> String {
    album.version.to_string()
}

fn main() {}
