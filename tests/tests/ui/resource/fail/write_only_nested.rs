use pale_core::prelude::*;

#[derive(Resource, Clone)]
struct Secret {
    #[pale(write = Owner)]
    value: String,
}

#[derive(Resource, Clone)]
struct Account {
    #[pale(write = Owner, write_only, nested)]
    secret: Secret,
}

fn main() {}
