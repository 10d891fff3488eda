use pale_core::prelude::*;

#[derive(Resource, serde::Serialize)]
#[pale(default_fields())]
struct Album {
    id: i64,
    title: String,
}

fn main() {}
