use pale_core::prelude::*;

#[derive(Resource)]
struct Album {
    id: u64,
    #[pale(rename = "id")]
    legacy_id: u64,
}

fn main() {}
