use pale_core::prelude::*;

/// An album.
#[derive(Resource, Clone)]
#[pale(creator = Owner)]
struct Album {
    /// Title.
    #[pale(write = Owner)]
    title: String,
}

fn main() {}
