use pale_core::prelude::*;

#[derive(Arguments)]
struct Session {
    #[pale(from = cookie)]
    session_id: String,
}

fn main() {}
