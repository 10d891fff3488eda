use pale_core::prelude::*;

#[derive(Resource)]
struct Album {
    id: u64,
    #[pale(getter = Album::slug)]
    slug: (),
}

impl Album {
    fn slug(&self, lower: bool) -> String { format!("{}-{lower}", self.id) }
}

fn main() {}
