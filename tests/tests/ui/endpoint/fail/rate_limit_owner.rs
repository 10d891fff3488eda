use pale_core::prelude::*;

#[derive(Endpoint)]
#[pale(PATCH "/albums/{id}", rate_limit(owner = "10/min"))]
struct UpdateAlbum {
    id: u32,
}

fn main() {}
