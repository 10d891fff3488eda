use pale_core::prelude::*;

#[derive(Arguments)]
struct Search {
    #[pale(default = "EUR", pattern = "^[a-z]{3}$")]
    currency: String,
}

fn main() {}
