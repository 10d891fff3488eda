use pale_core::prelude::*;

#[derive(Resource)]
enum Status {
    Draft,
    Released,
}

fn main() {}
