use pale_core::prelude::*;

#[derive(Resource)]
#[pale(context = (), viewer = Album::viewer)]
struct Album {
    id: u64,
}

impl Album {
    fn viewer(&self, _ctx: &Context<()>) -> bool { true }
}

fn main() {}
