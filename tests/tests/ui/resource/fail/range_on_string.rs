use pale_core::prelude::*;

#[derive(Resource, serde::Serialize, Clone)]
struct Album {
    id: i64,
    #[pale(write = Owner, range = 1..=10)]
    title: String,
}

fn main() {}
