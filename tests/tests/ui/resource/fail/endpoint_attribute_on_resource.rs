use pale_core::prelude::*;

#[derive(Resource)]
#[pale(cache = "max-age=60")]
struct Album {
    id: u64,
}

fn main() {}
