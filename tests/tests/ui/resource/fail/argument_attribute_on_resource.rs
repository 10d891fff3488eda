use pale_core::prelude::*;

#[derive(Resource)]
struct Track {
    number: u32,
    #[pale(from = query)]
    duration_s: u32,
}

fn main() {}
