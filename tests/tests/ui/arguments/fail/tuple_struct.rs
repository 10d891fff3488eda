use pale_core::prelude::*;

#[derive(Arguments)]
struct Search(String, u32);

fn main() {}
