use pale_core::prelude::*;

#[derive(Endpoint)]
#[pale(GET "/albums/{id}/tracks/{id}")]
struct GetTrack {
    id: i64,
}

fn main() {}
