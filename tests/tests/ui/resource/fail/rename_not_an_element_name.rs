use pale_core::prelude::*;

#[derive(Resource, serde::Serialize)]
struct Album {
    id: i64,
    #[pale(rename = "2nd-title")]
    second_title: String,
}

fn main() {}
