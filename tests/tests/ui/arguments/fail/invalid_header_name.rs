use pale_core::prelude::*;

#[derive(Arguments)]
struct Tracing {
    #[pale(from = header("X Request Id"))]
    request_id: String,
}

fn main() {}
