use pale_core::prelude::*;

#[derive(Resource, serde::Serialize)]
#[pale(default_fields(id, title))]
struct Album {
    id: i64,
    #[pale(audince = Owner)]
    title: String,
    #[pale(create_only)]
    upc: Option<String>,
    #[pale(rename = "release date")]
    release_date: Option<String>,
}

fn main() {}
