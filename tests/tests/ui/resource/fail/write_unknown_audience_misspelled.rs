use pale_core::prelude::*;

#[derive(Resource, serde::Serialize)]
struct Album {
    id: i64,
    #[pale(write = Ownr)]
    title: String,
}

fn main() {}
