use pale_core::prelude::*;

#[derive(Arguments)]
struct Search {
    #[pale(audience = Owner)]
    include_drafts: bool,
}

fn main() {}
