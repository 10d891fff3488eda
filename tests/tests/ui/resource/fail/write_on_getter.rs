use pale_core::prelude::*;

#[derive(Resource, Clone)]
struct Track {
    seconds: u32,
    #[pale(getter = Track::minutes, write = Owner)]
    minutes: u32,
}

impl Track {
    fn minutes(&self) -> u32 {
        self.seconds / 60
    }
}

fn main() {}
