use pale_core::prelude::*;

#[derive(Arguments)]
struct Order {
    #[pale(pattern = "^[0-9]{4}$")]
    pin: u16,
}

fn main() {}
