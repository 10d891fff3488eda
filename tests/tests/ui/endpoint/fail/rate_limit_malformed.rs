use pale_core::prelude::*;

#[derive(Endpoint)]
#[pale(GET "/search", rate_limit = "60 a minute")]
struct Search {}

#[derive(Endpoint)]
#[pale(GET "/search", rate_limit = "60/fortnight")]
struct SearchLonger {}

fn main() {}
