use pale_core::prelude::*;

#[derive(Resource, Clone)]
struct Account {
    #[pale(write = Owner, write_only, audience = Owner)]
    password: Option<String>,
}

fn main() {}
