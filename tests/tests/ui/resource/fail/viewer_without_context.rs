use pale_core::prelude::*;

#[derive(Resource)]
#[pale(viewer = Album::viewer)]
struct Album {
    id: u64,
}

impl Album {
    fn viewer(&self, _ctx: &Context<()>) -> Audience { Audience::Public }
}

fn main() {}
