use pale_core::prelude::*;

#[derive(Resource, Clone)]
struct Album {
    title: String,
    #[pale(skip, write = Admin)]
    owner_id: u32,
}

fn main() {}
