use pale_core::prelude::*;

#[derive(Endpoint)]
#[pale(GET "/search", rate_limit = "0/min")]
struct Search {}

fn main() {}
