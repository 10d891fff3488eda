use pale_core::prelude::*;

#[derive(Resource, Clone)]
struct Album {
    #[pale(write = Owners)]
    title: String,
}

fn main() {}
