use pale_core::prelude::*;

#[derive(Resource, Clone)]
struct Artist {
    #[pale(create_only)]
    handle: String,
}

fn main() {}
