use pale_core::prelude::*;

#[derive(Resource, serde::Serialize)]
#[pale(name = "")]
struct Album {
    id: i64,
}

fn main() {}
