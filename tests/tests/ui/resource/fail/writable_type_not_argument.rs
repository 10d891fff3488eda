use pale_core::prelude::*;

#[derive(serde::Serialize, Clone)]
struct Colour(u8, u8, u8);

#[derive(Resource, Clone)]
struct Theme {
    #[pale(write = Owner)]
    accent: Colour,
}

fn main() {}
