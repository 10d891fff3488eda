use pale_core::prelude::*;

#[derive(Resource, serde::Serialize)]
#[pale(default_feilds(id))]
struct Album {
    id: i64,
}

fn main() {}
