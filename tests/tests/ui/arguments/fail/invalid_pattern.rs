use pale_core::prelude::*;

#[derive(Arguments)]
struct Signup {
    #[pale(pattern = "^[a-z0-9_+$")]
    username: String,
}

fn main() {}
