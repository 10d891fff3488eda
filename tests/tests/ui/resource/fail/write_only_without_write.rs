use pale_core::prelude::*;

#[derive(Resource, Clone)]
struct Account {
    #[pale(write_only)]
    password: Option<String>,
}

fn main() {}
