use pale_core::prelude::*;

#[derive(Endpoint)]
#[pale(GET "/search", rate_limit(public = "60/min", users = "600/min", public = "5/s"))]
struct Search {}

fn main() {}
