use pale_core::prelude::*;

#[derive(Resource)]
struct Album {
    id: u64,
    #[pale(visible = Album::is_released)]
    tracks: u32,
}

impl Album {
    fn is_released(&self) -> bool { self.id > 0 }
}

fn main() {}
