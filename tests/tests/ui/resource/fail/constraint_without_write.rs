use pale_core::prelude::*;

#[derive(Resource)]
struct Track {
    number: u32,
    #[pale(range = 0..=3600)]
    duration_s: u32,
}

fn main() {}
