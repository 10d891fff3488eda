use pale_core::prelude::*;

#[derive(Arguments)]
struct Signup {
    #[pale(range = 3..=20)]
    username: String,
}

fn main() {}
