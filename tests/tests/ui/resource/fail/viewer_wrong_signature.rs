use pale_core::prelude::*;

#[derive(Resource)]
#[pale(context = (), viewer = Album::viewer)]
struct Album {
    id: u64,
}

impl Album {
    fn viewer(&self) -> Audience { Audience::Public }
}

fn main() {}
