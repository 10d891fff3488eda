use pale_core::prelude::*;

#[derive(Arguments)]
struct Tracing {
    #[pale(from = header)]
    request_id: String,
}

fn main() {}
