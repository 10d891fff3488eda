use pale_core::prelude::*;

#[derive(Endpoint)]
#[pale(DELETE "/albums/{id}", errors(409, 204))]
struct DeleteAlbum {
    id: u32,
}

fn main() {}
