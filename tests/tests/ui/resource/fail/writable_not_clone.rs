use pale_core::prelude::*;

#[derive(Resource)]
struct Album {
    #[pale(write = Owner)]
    title: String,
}

fn main() {}
